/**
  * -------------------------------------------------------
  * Dog Trainers Directory: directory
  * -------------------------------------------------------
  * Businesses, their anonymous reviews, and search events with a daily
  * rollup. The public (anon) reads visible businesses and approved reviews;
  * everything else here is for owners, operators and the server.
 */

/**
  * -------------------------------------------------------
  * Section - Search visibility
  * -------------------------------------------------------
 */

/**
 * THE rule for "shows in search": active, not deleted, and with at least one
 * age specialty and one behaviour issue. Used by the anon policy, the
 * partial index below, and any search query (call it with the same
 * arguments so the planner can use that index). Immutable: it reads only its
 * arguments.
 */
create or replace function public.business_is_visible(
    status text,
    deleted boolean,
    age_specialties text[],
    behavior_issues text[]
)
    returns boolean
    language sql
    immutable
    set search_path = ''
as
$$
select coalesce(
    business_is_visible.status = 'active'
        and not business_is_visible.deleted
        and cardinality(business_is_visible.age_specialties) > 0
        and cardinality(business_is_visible.behavior_issues) > 0,
    false)
$$;

comment on function public.business_is_visible(text, boolean, text[], text[]) is
    'True when a business shows in search: status active, not deleted, non-empty age_specialties and behavior_issues.';

revoke all on function public.business_is_visible(text, boolean, text[], text[]) from public, anon, authenticated, service_role;
grant execute on function public.business_is_visible(text, boolean, text[], text[]) to anon, authenticated, service_role;

/**
  * -------------------------------------------------------
  * Section - Businesses
  * -------------------------------------------------------
  * A trainer's listing in one council. Never deleted: `deleted` hides it.
 */
create table public.businesses
(
    id              uuid primary key default gen_random_uuid(),
    owner_id        uuid        not null references public.profiles (id),
    council_id      text        not null references public.councils (id),
    name            text        not null
        constraint businesses_name_not_blank check (btrim(name) <> ''),
    description     text,
    status          text        not null default 'active'
        constraint businesses_status_known check (status in ('active', 'suspended')),
    deleted         boolean     not null default false,
    age_specialties text[]      not null default '{}',
    behavior_issues text[]      not null default '{}',
    service_types   text[]      not null default '{}',
    suburb          text,
    phone           text,
    email           text,
    website         text,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

comment on table public.businesses is 'Trainer businesses listed by council. Shown in search only when public.business_is_visible(...) holds. Never deleted.';
comment on column public.businesses.id is 'Business id.';
comment on column public.businesses.owner_id is 'profiles.id of the trainer who owns the listing. Not readable by anon.';
comment on column public.businesses.council_id is 'Council the business lists under (its featured slots and queue are this council''s).';
comment on column public.businesses.name is 'Business name shown in search.';
comment on column public.businesses.description is 'Public description.';
comment on column public.businesses.status is 'active | suspended. Suspended businesses are hidden from search. Changed only by the server.';
comment on column public.businesses.deleted is 'Soft delete: true hides the business everywhere public; the row is kept. Changed only by the server.';
comment on column public.businesses.age_specialties is 'Dog ages the trainer works with (e.g. puppy, adolescent, adult, senior). Empty hides the business from search.';
comment on column public.businesses.behavior_issues is 'Behaviour issues handled (e.g. pulling, anxiety, reactivity). Empty hides the business from search.';
comment on column public.businesses.service_types is 'Services offered (e.g. private, group, board_and_train). Optional filter.';
comment on column public.businesses.suburb is 'Suburb shown in search results.';
comment on column public.businesses.phone is 'Public contact phone.';
comment on column public.businesses.email is 'Public contact email.';
comment on column public.businesses.website is 'Public website URL.';
comment on column public.businesses.created_at is 'When the listing was created.';
comment on column public.businesses.updated_at is 'When the listing last changed (set by trigger).';

create trigger businesses_touch_updated_at
    before update on public.businesses
    for each row execute function public.touch_updated_at();

-- Search: visible businesses of one council, then array filters.
create index businesses_visible_council_idx on public.businesses (council_id)
    where public.business_is_visible(status, deleted, age_specialties, behavior_issues);
create index businesses_age_specialties_idx on public.businesses using gin (age_specialties);
create index businesses_behavior_issues_idx on public.businesses using gin (behavior_issues);
create index businesses_service_types_idx on public.businesses using gin (service_types);
create index businesses_owner_idx on public.businesses (owner_id);

alter table public.businesses enable row level security;
revoke all on table public.businesses from public, anon, authenticated, service_role;
-- anon: public columns only (never owner_id). The policy below still limits rows to visible ones.
grant select (id, council_id, name, description, age_specialties, behavior_issues, service_types,
              suburb, phone, email, website, created_at, updated_at)
    on table public.businesses to anon;
-- Column grants are per role, not per row: owners and operators need status,
-- deleted and owner_id, so every signed-in user may read them on rows a
-- policy lets them see (on other trainers' visible rows: active, not deleted).
grant select on table public.businesses to authenticated;
-- Trainers may edit their listing's content, never its status, deletion,
-- council or owner (those are server decisions).
grant update (name, description, age_specialties, behavior_issues, service_types, suburb, phone, email, website)
    on table public.businesses to authenticated;
grant all on table public.businesses to service_role;

create policy "Visible businesses are public"
    on public.businesses for select
    to anon, authenticated
    using (public.business_is_visible(status, deleted, age_specialties, behavior_issues));

create policy "Trainers read their own businesses"
    on public.businesses for select
    to authenticated
    using (owner_id = (select auth.uid()));

create policy "Operators read every business"
    on public.businesses for select
    to authenticated
    using ((select public.is_operator()));

create policy "Trainers edit their own listings"
    on public.businesses for update
    to authenticated
    using (owner_id = (select auth.uid()) and not deleted)
    with check (owner_id = (select auth.uid()));

/**
  * -------------------------------------------------------
  * Section - Reviews
  * -------------------------------------------------------
  * Anonymous reviews. The server stores them `pending` with the AI's safety
  * score; the operator approves (published at once) or rejects with a reason.
  * Reviewers are never notified. Clients never insert directly: submission
  * goes through the server, which scores it and hashes the IP.
 */
create table public.reviews
(
    id                uuid primary key default gen_random_uuid(),
    business_id       uuid        not null references public.businesses (id),
    rating            smallint    not null
        constraint reviews_rating_1_to_5 check (rating between 1 and 5),
    body              text        not null
        constraint reviews_body_not_blank check (btrim(body) <> ''),
    display_name      text,
    status            text        not null default 'pending'
        constraint reviews_status_known check (status in ('pending', 'approved', 'rejected')),
    ai_confidence     numeric(4, 3)
        constraint reviews_ai_confidence_0_to_1 check (ai_confidence between 0 and 1),
    ai_flags          text[]      not null default '{}'
        constraint reviews_ai_flags_known check (ai_flags <@ array ['spam', 'profanity', 'off_topic']::text[]),
    rejection_reason  text
        constraint reviews_rejection_reason_known check (rejection_reason in ('spam', 'profanity', 'off_topic', 'other')),
    rejection_note    text,
    moderated_by      uuid,
    moderated_at      timestamptz,
    version           integer     not null default 1,
    submitted_ip_hash text,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    -- A rejection always has a reason, and only a rejection has one.
    constraint reviews_rejected_has_reason check ((status = 'rejected') = (rejection_reason is not null)),
    constraint reviews_note_only_when_rejected check (rejection_note is null or status = 'rejected')
);

comment on table public.reviews is 'Anonymous reviews of businesses. Public only once approved by the operator. Written only by the server.';
comment on column public.reviews.id is 'Review id.';
comment on column public.reviews.business_id is 'Business the review is about.';
comment on column public.reviews.rating is 'Star rating, 1 to 5.';
comment on column public.reviews.body is 'Review text.';
comment on column public.reviews.display_name is 'Name the reviewer chose to show; null shows as anonymous.';
comment on column public.reviews.status is 'pending | approved | rejected. Only approved reviews are public.';
comment on column public.reviews.ai_confidence is 'AI confidence (0..1) that the review is safe to publish; null when no AI score was available.';
comment on column public.reviews.ai_flags is 'Problems the AI saw: a subset of spam, profanity, off_topic.';
comment on column public.reviews.rejection_reason is 'spam | profanity | off_topic | other; set exactly when status = rejected.';
comment on column public.reviews.rejection_note is 'Optional operator note on a rejection (also kept in the audit log).';
comment on column public.reviews.moderated_by is 'auth.users.id of the operator who last decided; null while pending.';
comment on column public.reviews.moderated_at is 'When the operator last decided; null while pending.';
comment on column public.reviews.version is 'Bumped by trigger on every update; operator commands carry it as baseVersion to detect stale decisions.';
comment on column public.reviews.submitted_ip_hash is 'Salted hash of the submitter''s IP, for rate limits and spam patterns. Never readable by anon or authenticated.';
comment on column public.reviews.created_at is 'When the review was submitted.';
comment on column public.reviews.updated_at is 'When the review last changed (set by trigger).';

create trigger reviews_bump_version
    before update on public.reviews
    for each row execute function public.bump_version();

-- Moderation queue, oldest first.
create index reviews_status_created_idx on public.reviews (status, created_at);
-- A business's published reviews.
create index reviews_business_approved_idx on public.reviews (business_id, created_at desc) where status = 'approved';
-- Operator pulls: what changed since the cursor.
create index reviews_updated_at_idx on public.reviews (updated_at);

alter table public.reviews enable row level security;
revoke all on table public.reviews from public, anon, authenticated, service_role;
grant select (id, business_id, rating, body, display_name, created_at) on table public.reviews to anon;
-- Everything except the IP hash, which stays with the server.
grant select (id, business_id, rating, body, display_name, status, ai_confidence, ai_flags, rejection_reason,
              rejection_note, moderated_by, moderated_at, version, created_at, updated_at)
    on table public.reviews to authenticated;
grant all on table public.reviews to service_role;

-- The subquery runs under the caller's own policies on businesses, so a
-- review of a hidden (suspended, deleted, incomplete) business stays hidden.
create policy "Approved reviews of visible businesses are public"
    on public.reviews for select
    to anon, authenticated
    using (status = 'approved'
        and exists (select 1 from public.businesses b where b.id = reviews.business_id));

create policy "Operators read every review"
    on public.reviews for select
    to authenticated
    using ((select public.is_operator()));

/**
  * -------------------------------------------------------
  * Section - Search events
  * -------------------------------------------------------
  * One row per public search, written by the server. Filters only: no
  * query text, IP or anything else that identifies a person.
 */
create table public.search_events
(
    id           bigint generated always as identity primary key,
    occurred_at  timestamptz not null default now(),
    council_id   text references public.councils (id),
    filters      jsonb       not null default '{}'::jsonb
        constraint search_events_filters_is_object check (jsonb_typeof(filters) = 'object'),
    result_count integer     not null
        constraint search_events_result_count_non_negative check (result_count >= 0),
    latency_ms   integer
        constraint search_events_latency_non_negative check (latency_ms >= 0)
);

comment on table public.search_events is 'One row per public search (filters and outcome only, no personal data). Rolled up daily into search_daily_rollup.';
comment on column public.search_events.id is 'Event number.';
comment on column public.search_events.occurred_at is 'When the search ran.';
comment on column public.search_events.council_id is 'Council searched; null when the search named none.';
comment on column public.search_events.filters is 'Filters chosen (ages, issues, service types), as a JSON object. Never free text or personal data.';
comment on column public.search_events.result_count is 'How many businesses the search returned.';
comment on column public.search_events.latency_ms is 'How long the search took on the server, in milliseconds.';

create index search_events_occurred_at_idx on public.search_events (occurred_at);

alter table public.search_events enable row level security;
revoke all on table public.search_events from public, anon, authenticated, service_role;
grant select on table public.search_events to authenticated;
grant all on table public.search_events to service_role;

create policy "Operators read search events"
    on public.search_events for select
    to authenticated
    using ((select public.is_operator()));

/**
  * -------------------------------------------------------
  * Section - Search daily rollup
  * -------------------------------------------------------
 */
create table public.search_daily_rollup
(
    day          date        not null,
    -- '' (not null) so that searches without a council still form one row
    -- under the primary key; hence no foreign key to councils.
    council_id   text        not null default '',
    searches     integer     not null
        constraint search_daily_rollup_searches_non_negative check (searches >= 0),
    zero_results integer     not null default 0
        constraint search_daily_rollup_zero_results_non_negative check (zero_results >= 0),
    rolled_up_at timestamptz not null default now(),
    primary key (day, council_id)
);

comment on table public.search_daily_rollup is 'Searches per business day (Australia/Melbourne) and council, built by public.rollup_search_day().';
comment on column public.search_daily_rollup.day is 'Business day in the business_timezone setting.';
comment on column public.search_daily_rollup.council_id is 'Council searched, or '''' for searches that named no council. Sum the rows of a day for its total.';
comment on column public.search_daily_rollup.searches is 'Number of searches.';
comment on column public.search_daily_rollup.zero_results is 'How many of those searches returned nothing.';
comment on column public.search_daily_rollup.rolled_up_at is 'When this row was last computed.';

alter table public.search_daily_rollup enable row level security;
revoke all on table public.search_daily_rollup from public, anon, authenticated, service_role;
grant select on table public.search_daily_rollup to authenticated;
grant all on table public.search_daily_rollup to service_role;

create policy "Operators read search rollups"
    on public.search_daily_rollup for select
    to authenticated
    using ((select public.is_operator()));

/**
 * Recomputes one business day's rows from search_events. Idempotent: run
 * it again (or late) and the day's counts are simply replaced. Returns the
 * day's total number of searches. Server only.
 */
create or replace function public.rollup_search_day(day date)
    returns integer
    language plpgsql
    set search_path = ''
as
$$
declare
    tz         text := coalesce((select s.value #>> '{}' from public.settings s where s.key = 'business_timezone'),
                                'Australia/Melbourne');
    -- Bounds as timestamps so the occurred_at index is used.
    day_starts timestamptz := rollup_search_day.day::timestamp at time zone tz;
    day_ends   timestamptz := (rollup_search_day.day + 1)::timestamp at time zone tz;
    total      integer;
begin
    delete from public.search_daily_rollup r where r.day = rollup_search_day.day;

    insert into public.search_daily_rollup (day, council_id, searches, zero_results, rolled_up_at)
    select rollup_search_day.day, coalesce(e.council_id, ''), count(*), count(*) filter (where e.result_count = 0), now()
    from public.search_events e
    where e.occurred_at >= day_starts
      and e.occurred_at < day_ends
    group by coalesce(e.council_id, '');

    select coalesce(sum(r.searches), 0) into total
    from public.search_daily_rollup r
    where r.day = rollup_search_day.day;
    return total;
end;
$$;

comment on function public.rollup_search_day(date) is
    'Replaces search_daily_rollup rows for one business day from search_events; returns the day''s total searches. Server only.';

-- Runs with the caller's rights: only service_role holds the table writes it needs.
revoke all on function public.rollup_search_day(date) from public, anon, authenticated, service_role;
grant execute on function public.rollup_search_day(date) to service_role;
