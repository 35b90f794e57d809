/**
  * -------------------------------------------------------
  * Dog Trainers Directory: foundation
  * -------------------------------------------------------
  * Shared helpers (who is asking, updated_at/version stamping), councils,
  * profiles, settings and feature flags.
  *
  * Access policy for every migration in this folder:
  *  - Every table in schema public has row level security enabled.
  *  - Each table starts from `revoke all`: hosted Supabase's default
  *    privileges grant ALL on new tables and EXECUTE on new functions to
  *    anon and authenticated, so nothing is open unless a GRANT below says so.
  *  - anon and authenticated never get DELETE or TRUNCATE; nothing here is
  *    ever deleted by a client.
  *  - Writes only the server may make go through `security definer`
  *    functions with `set search_path = ''` and fully qualified names.
  *  - Operator authority comes from the JWT's app_metadata.role, which only
  *    the service role can set. profiles.role is informational.
  * Never edit this file once applied; add a new migration instead.
 */

/**
  * -------------------------------------------------------
  * Section - Helpers
  * -------------------------------------------------------
 */

/**
 * Is the caller an operator? True only for a signed-in user whose token
 * carries app_metadata.role = 'operator'. Mirrors isOperator() in
 * supabase/functions/_shared/auth.ts. Policies call it as
 * `(select public.is_operator())` so it runs once per statement.
 */
create or replace function public.is_operator()
    returns boolean
    language sql
    stable
    set search_path = ''
as
$$
select coalesce(
    auth.jwt() ->> 'role' = 'authenticated'
        and auth.jwt() ->> 'sub' is not null
        and auth.jwt() -> 'app_metadata' ->> 'role' = 'operator',
    false)
$$;

comment on function public.is_operator() is
    'True when the request JWT is a signed-in user with app_metadata.role = operator (set only by the service role).';

-- Policies evaluate it as the querying role, so every API role may call it.
revoke all on function public.is_operator() from public, anon, authenticated, service_role;
grant execute on function public.is_operator() to anon, authenticated, service_role;

/**
 * Stamps updated_at on every update, so pulls and investigations can see
 * when a row last changed without trusting clients to send it.
 */
create or replace function public.touch_updated_at()
    returns trigger
    language plpgsql
    set search_path = ''
as
$$
begin
    new.updated_at := now();
    return new;
end;
$$;

comment on function public.touch_updated_at() is
    'Trigger: sets updated_at = now() on every update.';

/**
 * Bumps version (and updated_at) on every update. The operator app sends
 * the version it saw as baseVersion; a command whose baseVersion is behind
 * is answered `stale` instead of overwriting someone else's decision.
 */
create or replace function public.bump_version()
    returns trigger
    language plpgsql
    set search_path = ''
as
$$
begin
    new.version := old.version + 1;
    new.updated_at := now();
    return new;
end;
$$;

comment on function public.bump_version() is
    'Trigger: version = old.version + 1 and updated_at = now() on every update (optimistic concurrency for operator commands).';

-- Trigger functions are never called directly. Every function in these
-- migrations starts from `revoke all ... from public, anon, authenticated,
-- service_role` (hosted default privileges grant EXECUTE to all three) and
-- then grants exactly who may call it.
revoke all on function public.touch_updated_at() from public, anon, authenticated, service_role;
revoke all on function public.bump_version() from public, anon, authenticated, service_role;

/**
  * -------------------------------------------------------
  * Section - Councils
  * -------------------------------------------------------
  * Local government areas trainers list under. Featured slots and queues
  * are per council. Reference data: public.
 */
create table public.councils
(
    id         text primary key
        constraint councils_id_is_slug check (id ~ '^[a-z][a-z0-9-]*$'),
    name       text        not null
        constraint councils_name_not_blank check (btrim(name) <> ''),
    created_at timestamptz not null default now()
);

comment on table public.councils is 'Councils (local government areas) that businesses list under; featured slots and queues are per council.';
comment on column public.councils.id is 'Stable slug, e.g. melbourne, monash, stonnington, boroondara.';
comment on column public.councils.name is 'Display name, e.g. City of Melbourne.';
comment on column public.councils.created_at is 'When the council was added.';

alter table public.councils enable row level security;
revoke all on table public.councils from public, anon, authenticated, service_role;
grant select on table public.councils to anon, authenticated;
grant all on table public.councils to service_role;

create policy "Councils are public"
    on public.councils for select
    to anon, authenticated
    using (true);

/**
  * -------------------------------------------------------
  * Section - Profiles
  * -------------------------------------------------------
  * One row per signed-in person (trainer or operator). Created by the
  * server, never by a trigger on auth.users.
 */
create table public.profiles
(
    -- Deleting an auth user that has a profile fails on purpose: money and
    -- audit records point at it and are kept for 7 years.
    id             uuid primary key references auth.users (id),
    role           text        not null default 'trainer'
        constraint profiles_role_known check (role in ('trainer', 'operator')),
    account_status text        not null default 'active'
        constraint profiles_account_status_known check (account_status in ('active', 'flagged_for_review')),
    flagged_reason text,
    flagged_at     timestamptz,
    display_name   text,
    email          text,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    -- A flag always says when it was raised; an active account carries no flag.
    constraint profiles_flag_has_time check ((account_status = 'flagged_for_review') = (flagged_at is not null)),
    constraint profiles_reason_only_when_flagged check (flagged_reason is null or account_status = 'flagged_for_review')
);

comment on table public.profiles is 'People who sign in: trainers who own businesses, and operators. Written only by the server.';
comment on column public.profiles.id is 'auth.users.id of the person.';
comment on column public.profiles.role is 'trainer | operator. Informational only: authority comes from the JWT app_metadata.role (see public.is_operator()).';
comment on column public.profiles.account_status is 'active | flagged_for_review. A flagged account cannot buy featured placements until reviewed.';
comment on column public.profiles.flagged_reason is 'Why the operator flagged the account (e.g. "3 refunds in 7 days, possible abuse"); null when active.';
comment on column public.profiles.flagged_at is 'When the account was flagged; null when active.';
comment on column public.profiles.display_name is 'Name shown to the operator and used in emails.';
comment on column public.profiles.email is 'Contact email (copied from auth.users) used for operator emails.';
comment on column public.profiles.created_at is 'When the profile was created.';
comment on column public.profiles.updated_at is 'When the profile last changed (set by trigger).';

create trigger profiles_touch_updated_at
    before update on public.profiles
    for each row execute function public.touch_updated_at();

create index profiles_flagged_idx on public.profiles (flagged_at) where account_status = 'flagged_for_review';

alter table public.profiles enable row level security;
revoke all on table public.profiles from public, anon, authenticated, service_role;
grant select on table public.profiles to authenticated;
grant all on table public.profiles to service_role;

create policy "People read their own profile"
    on public.profiles for select
    to authenticated
    using (id = (select auth.uid()));

create policy "Operators read every profile"
    on public.profiles for select
    to authenticated
    using ((select public.is_operator()));

/**
  * -------------------------------------------------------
  * Section - Settings
  * -------------------------------------------------------
  * Business numbers (price, slots, windows, alert thresholds) live here once,
  * so a rule never hides a literal. Operators may read them, not change
  * them: changing prices or policy is not an operator action.
 */
create table public.settings
(
    key         text primary key
        constraint settings_key_is_snake_case check (key ~ '^[a-z][a-z0-9_]*$'),
    value       jsonb       not null,
    description text        not null,
    updated_at  timestamptz not null default now()
);

comment on table public.settings is 'Business settings (prices, slot counts, windows, alert thresholds), one row per setting. Written only by migrations and the server.';
comment on column public.settings.key is 'Setting name in snake_case, e.g. featured_slots_per_council.';
comment on column public.settings.value is 'Setting value as JSON (a number or a string).';
comment on column public.settings.description is 'What the setting controls, in the operator''s words.';
comment on column public.settings.updated_at is 'When the value last changed (set by trigger).';

create trigger settings_touch_updated_at
    before update on public.settings
    for each row execute function public.touch_updated_at();

alter table public.settings enable row level security;
revoke all on table public.settings from public, anon, authenticated, service_role;
grant select on table public.settings to authenticated;
grant all on table public.settings to service_role;

create policy "Operators read settings"
    on public.settings for select
    to authenticated
    using ((select public.is_operator()));

insert into public.settings (key, value, description)
values ('featured_price_cents', '2200', 'Price of one featured placement, in cents.'),
       ('featured_currency', '"aud"', 'Currency of the featured price (Stripe lower-case code).'),
       ('featured_days', '30', 'How long a featured placement lasts, in days.'),
       ('featured_slots_per_council', '5', 'Active featured placements allowed per council; further purchases queue.'),
       ('refund_window_hours', '72', 'A refund is approved only if the server-stamped request time is within this many hours of payment.'),
       ('queue_alert_threshold', '10', 'YELLOW alert when a council''s featured queue is longer than this.'),
       ('refund_rate_yellow_pct', '10', 'YELLOW alert when the 7-day refund rate reaches this percentage.'),
       ('refund_rate_red_pct', '15', 'Above this 7-day refund rate the refund-pattern investigation opens.'),
       ('cron_stale_yellow_hours', '24', 'YELLOW alert when the daily job has not succeeded for this many hours.'),
       ('cron_stale_red_hours', '48', 'RED alert when the daily job has not succeeded for this many hours.'),
       ('webhook_failures_per_hour_red', '3', 'RED alert when more Stripe webhook deliveries than this fail within an hour.'),
       ('zai_down_red_minutes', '30', 'RED alert when Z.AI has been failing for longer than this many minutes.'),
       ('ai_budget_cents_per_month', '25000', 'Monthly AI provider budget, in cents.'),
       ('cron_max_attempts', '5', 'Attempts per cron run before it is recorded as failed.'),
       ('refund_abuse_limit', '3', 'Refunds by one trainer within the abuse window that raise a refund_abuse alert.'),
       ('refund_abuse_window_days', '7', 'Window, in days, for counting one trainer''s refunds.'),
       ('business_timezone', '"Australia/Melbourne"', 'Time zone of business days: daily job schedule, search rollup days.');

/**
  * -------------------------------------------------------
  * Section - Feature flags
  * -------------------------------------------------------
  * Switches the operator may flip (through the operator function), e.g.
  * AI_MODE when Z.AI is down.
 */
create table public.feature_flags
(
    key         text primary key
        constraint feature_flags_key_is_upper_snake check (key ~ '^[A-Z][A-Z0-9_]*$'),
    value       text        not null,
    description text        not null default '',
    updated_by  uuid,
    updated_at  timestamptz not null default now(),
    -- Unknown modes would silently route triage nowhere; refuse them here.
    constraint feature_flags_ai_mode_known check (key <> 'AI_MODE' or value in ('z_ai', 'secondary', 'deterministic'))
);

comment on table public.feature_flags is 'Runtime switches, e.g. AI_MODE. Changed by the server on an operator command; every change is audited.';
comment on column public.feature_flags.key is 'Flag name in UPPER_SNAKE_CASE, e.g. AI_MODE.';
comment on column public.feature_flags.value is 'Current value. AI_MODE is one of z_ai | secondary | deterministic.';
comment on column public.feature_flags.description is 'What the flag switches.';
comment on column public.feature_flags.updated_by is 'auth.users.id of the operator who last changed it; null when set by a migration or the system.';
comment on column public.feature_flags.updated_at is 'When the value last changed (set by trigger).';

create trigger feature_flags_touch_updated_at
    before update on public.feature_flags
    for each row execute function public.touch_updated_at();

alter table public.feature_flags enable row level security;
revoke all on table public.feature_flags from public, anon, authenticated, service_role;
grant select on table public.feature_flags to authenticated;
grant all on table public.feature_flags to service_role;

create policy "Operators read feature flags"
    on public.feature_flags for select
    to authenticated
    using ((select public.is_operator()));

insert into public.feature_flags (key, value, description)
values ('AI_MODE', 'z_ai', 'Emergency triage provider: z_ai (primary), secondary, or deterministic keyword rules (always available).');
