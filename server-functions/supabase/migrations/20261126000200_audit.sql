/**
  * -------------------------------------------------------
  * Section - Audit log
  * -------------------------------------------------------
  * Every operator action and every money movement, kept 7 years.
  * APPEND-ONLY: there is no update or delete path for anyone.
  *  - No role is granted UPDATE, DELETE or TRUNCATE (service_role included).
  *  - Statement-level BEFORE UPDATE/DELETE/TRUNCATE triggers raise for
  *    every role, the superuser and the table owner included (triggers
  *    fire for them too), and fire even when no row matches.
  *  - No foreign keys: a cascade from another table must never be able to
  *    rewrite or remove an entry, and entries outlive what they describe.
  * A wrong entry is corrected by appending a new one that says so.
 */
create table public.audit_log
(
    id           bigint generated always as identity primary key,
    occurred_at  timestamptz not null default now(),
    actor_id     uuid,
    actor_kind   text        not null
        constraint audit_log_actor_kind_known check (actor_kind in ('operator', 'system', 'stripe', 'trainer')),
    action       text        not null
        constraint audit_log_action_format check (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'),
    subject_type text,
    subject_id   text,
    amount_cents integer,
    details      jsonb       not null default '{}'::jsonb
        constraint audit_log_details_is_object check (jsonb_typeof(details) = 'object'),
    -- People are always named; the system and Stripe act without an account.
    constraint audit_log_people_are_named check (actor_kind in ('system', 'stripe') or actor_id is not null)
);

comment on table public.audit_log is 'Append-only record of every operator action and money movement (7-year retention). No update or delete path exists.';
comment on column public.audit_log.id is 'Monotonic entry number.';
comment on column public.audit_log.occurred_at is 'When the entry was written (server time).';
comment on column public.audit_log.actor_id is 'auth.users.id of the operator or trainer who acted; null for system and stripe.';
comment on column public.audit_log.actor_kind is 'operator | system | stripe | trainer.';
comment on column public.audit_log.action is 'What happened, dotted lower-case, e.g. review.approved, refund.approved, payment.succeeded, flag.changed.';
comment on column public.audit_log.subject_type is 'Kind of thing acted on, e.g. review, refund_request, payment, placement, feature_flag, profile.';
comment on column public.audit_log.subject_id is 'Id of the thing acted on, as text (uuids, Stripe ids and flag keys alike).';
comment on column public.audit_log.amount_cents is 'Money moved, in cents, when the entry is a money movement; otherwise null.';
comment on column public.audit_log.details is 'Anything else worth keeping (reasons, notes, before/after values) as a JSON object.';

create index audit_log_occurred_at_idx on public.audit_log (occurred_at desc);
create index audit_log_subject_idx on public.audit_log (subject_type, subject_id, occurred_at desc);
create index audit_log_actor_idx on public.audit_log (actor_id, occurred_at desc) where actor_id is not null;

/**
 * Refuses every change to an existing entry. Raised for UPDATE, DELETE and
 * TRUNCATE alike, whoever asks.
 */
create or replace function public.audit_log_refuse_change()
    returns trigger
    language plpgsql
    set search_path = ''
as
$$
begin
    raise exception 'audit_log is append-only: % is not allowed', tg_op
        using errcode = '42501',
            hint = 'Entries are kept for 7 years. Append a new entry that corrects the old one.';
end;
$$;

comment on function public.audit_log_refuse_change() is
    'Trigger: raises on UPDATE, DELETE and TRUNCATE of audit_log for every role, superuser included.';
revoke all on function public.audit_log_refuse_change() from public, anon, authenticated, service_role;

create trigger audit_log_no_update
    before update on public.audit_log
    for each statement execute function public.audit_log_refuse_change();

create trigger audit_log_no_delete
    before delete on public.audit_log
    for each statement execute function public.audit_log_refuse_change();

create trigger audit_log_no_truncate
    before truncate on public.audit_log
    for each statement execute function public.audit_log_refuse_change();

alter table public.audit_log enable row level security;
revoke all on table public.audit_log from public, anon, authenticated, service_role;
grant select on table public.audit_log to authenticated;
-- Supabase gives service_role everything; here it may only read and append.
grant select, insert on table public.audit_log to service_role;

create policy "Operators read the audit log"
    on public.audit_log for select
    to authenticated
    using ((select public.is_operator()));

/**
 * The one way to write an entry. security definer so that server-side SQL
 * functions (running as any caller) can append without holding INSERT on
 * the table; EXECUTE is for the server (service_role) only.
 * Returns the new entry's id.
 */
create or replace function public.audit(
    actor_id uuid,
    actor_kind text,
    action text,
    subject_type text,
    subject_id text,
    amount_cents integer default null,
    details jsonb default '{}'::jsonb
)
    returns bigint
    language sql
    security definer
    set search_path = ''
as
$$
insert into public.audit_log (actor_id, actor_kind, action, subject_type, subject_id, amount_cents, details)
values (audit.actor_id, audit.actor_kind, audit.action, audit.subject_type, audit.subject_id,
        audit.amount_cents, coalesce(audit.details, '{}'::jsonb))
returning id
$$;

comment on function public.audit(uuid, text, text, text, text, integer, jsonb) is
    'Appends one audit_log entry and returns its id. Server only (service_role).';

revoke all on function public.audit(uuid, text, text, text, text, integer, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.audit(uuid, text, text, text, text, integer, jsonb) to service_role;
