/**
  * Dog Trainers Directory: a Stripe event is stored and applied in one statement
  *
  * Measured on the large seed with every event delivered twice (bench
  * `--only webhook`): PostgreSQL used ~2.5 ms of CPU per delivery, the most of
  * any process on the machine, and a purchase took five round trips (begin,
  * store the event, apply it, mark it processed, commit), each parsed and
  * planned afresh (the functions run behind a transaction-mode pooler, so no
  * prepared statements). The council's slot lock was held across the last
  * three of them.
  *
  * 1. ingest_stripe_event: store + dedupe + apply, one call.
  * The edge function still decides what an event means (a pure function of
  * the verified event, `planStripeEvent`); this function gets the verdict as
  * an action name and its arguments, and runs it in the statement's own
  * transaction. An exception rolls all of it back, as before; the caller then
  * records the failure and answers 500 so Stripe retries. The event row is
  * written once, already marked processed (the update that marked it moved
  * it in and out of the unprocessed index), and a redelivery of a processed
  * event writes nothing.
  *
  * 2. Helpers re-planned on every call become plannable once.
  * PostgreSQL 17 keeps no plan for a LANGUAGE sql function it cannot inline,
  * and a SET clause (our pinned search_path) forbids inlining. Per purchase,
  * setting_numeric ran 3×, format_aud, format_melbourne_date,
  * lock_council_slots and audit once each: ~1 ms of planning together.
  *   - format_aud, format_melbourne_date, lock_council_slots: SQL-standard
  *     bodies (RETURN …), resolved when created, so they need no search_path
  *     and are inlined into their callers. None is security definer.
  *   - setting_numeric and audit read or write a table: PL/pgSQL (plans
  *     cached per session), search_path still pinned.
 */

/**
  * -------------------------------------------------------
  * Section - Helpers
  * -------------------------------------------------------
 */
-- Stable, not immutable as first declared: to_char's G and D follow
-- lc_numeric, and an immutable function whose body is only stable is never
-- inlined.
create or replace function public.format_aud(p_cents integer)
    returns text
    language sql
    stable
return '$' || pg_catalog.to_char(p_cents / 100.0, 'FM999G999G990D00') || ' AUD';

comment on function public.format_aud(integer) is 'Cents as the spec writes money in emails: $22.00 AUD.';

create or replace function public.format_melbourne_date(p_at timestamptz)
    returns text
    language sql
    stable
return pg_catalog.to_char(p_at at time zone 'Australia/Melbourne', 'FMDD FMMonth YYYY');

comment on function public.format_melbourne_date(timestamptz) is 'A date as trainers read it (Melbourne calendar), e.g. 15 December 2025.';

create or replace function public.lock_council_slots(p_council text)
    returns void
    language sql
    volatile
return pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('featured-slots:' || p_council, 0));

comment on function public.lock_council_slots(text) is 'Transaction lock on one council''s featured slots; take councils in id order when locking several.';

create or replace function public.setting_numeric(p_key text)
    returns numeric
    language plpgsql
    stable
    set search_path = ''
as
$$
begin
    return (select (s.value #>> '{}')::numeric from public.settings s where s.key = p_key);
end
$$;

comment on function public.setting_numeric(text) is 'A numeric setting by key (null when absent). Rules read thresholds through this, never as literals.';

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
    language plpgsql
    security definer
    set search_path = ''
as
$$
declare
    v_id bigint;
begin
    insert into public.audit_log (actor_id, actor_kind, action, subject_type, subject_id, amount_cents, details)
    values (audit.actor_id, audit.actor_kind, audit.action, audit.subject_type, audit.subject_id,
            audit.amount_cents, coalesce(audit.details, '{}'::jsonb))
    returning id into v_id;
    return v_id;
end
$$;

comment on function public.audit(uuid, text, text, text, text, integer, jsonb) is
    'Appends one audit_log entry and returns its id. Server only (service_role).';

-- CREATE OR REPLACE keeps each function's grants (migrations 0200, 0900,
-- 1000, 1200): callers are unchanged.

/**
  * -------------------------------------------------------
  * Section - Ingest one verified Stripe event
  * -------------------------------------------------------
  * Actions (arguments in p_args, named as in the functions they call):
  *   payment_succeeded  record_payment_succeeded
  *   refund             record_refund (charge.refunded: the charge has it all)
  *   refund_of_payment  record_refund for the payment the refund names
  *                      (refund.created/updated carry no metadata)
  *   ignore             stored and marked processed; p_args.reason says why
 */
create or replace function public.ingest_stripe_event(
    p_event_id    text,
    p_type        text,
    p_created     timestamptz,
    p_payload     jsonb,
    p_received_at timestamptz,
    p_action      text,
    p_args        jsonb
)
    returns jsonb
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_done    boolean;
    v_id      text;
    v_payment public.payment_audit;
    v_outcome jsonb;
begin
    -- A redelivery of a processed event (Stripe retries; several events of
    -- one purchase) only reads: no row version, no WAL, no flush at commit.
    -- EXECUTE plans the lookup afresh each time: a cached generic plan made
    -- while the table was nearly empty (a new project) scans it whole
    -- forever after, and this runs on every delivery.
    execute 'select true from public.stripe_events e where e.id = $1 and e.processed_at is not null'
        into v_done using p_event_id;
    if v_done then
        return jsonb_build_object('outcome', 'duplicate');
    end if;
    -- Stored as processed: if the action below fails, the statement rolls
    -- back and the caller records the failure (processed_at null). A
    -- concurrent delivery of the same event waits here for the first to
    -- commit, then finds it processed and changes nothing. A failed event
    -- being retried is taken over (attempts + 1).
    insert into public.stripe_events (id, type, created_at_stripe, payload, received_at, processed_at)
    values (p_event_id, p_type, p_created, p_payload, p_received_at, p_received_at)
    on conflict (id) do update
        set attempts = public.stripe_events.attempts + 1, processed_at = excluded.processed_at, error = null
        where public.stripe_events.processed_at is null
    returning id into v_id;
    if v_id is null then
        return jsonb_build_object('outcome', 'duplicate');
    end if;

    case p_action
        when 'payment_succeeded' then
            v_outcome := public.record_payment_succeeded(
                (p_args ->> 'business_id')::uuid, (p_args ->> 'amount_cents')::integer, p_args ->> 'currency',
                (p_args ->> 'paid_at')::timestamptz, p_args ->> 'payment_intent_id', p_args ->> 'charge_id',
                p_args ->> 'checkout_session_id', p_created, p_received_at);
        when 'refund' then
            v_outcome := public.record_refund(
                (p_args ->> 'business_id')::uuid, (p_args ->> 'amount_cents')::integer, p_args ->> 'currency',
                (p_args ->> 'paid_at')::timestamptz, (p_args ->> 'refunded_at')::timestamptz,
                p_args ->> 'payment_intent_id', p_args ->> 'charge_id', p_args ->> 'refund_id', p_created, p_received_at);
        when 'refund_of_payment' then
            select * into v_payment from public.payment_audit pa
            where pa.id = public.find_payment(p_args ->> 'payment_intent_id', p_args ->> 'charge_id', null);
            if (p_args ->> 'amount_cents') is null then
                -- A missing amount must never read as a full refund.
                raise exception 'refund_of_payment needs amount_cents' using errcode = '22023';
            elsif v_payment.id is null then
                v_outcome := jsonb_build_object('outcome', 'ignored',
                    'reason', 'refund of a payment not recorded yet; charge.refunded records it');
            elsif (p_args ->> 'amount_cents')::integer < v_payment.amount_cents then
                v_outcome := jsonb_build_object('outcome', 'ignored', 'reason', 'partial refund (policy: full refunds only)');
            else
                v_outcome := public.record_refund(
                    v_payment.business_id, v_payment.amount_cents, v_payment.currency, v_payment.paid_at,
                    (p_args ->> 'refunded_at')::timestamptz, p_args ->> 'payment_intent_id', p_args ->> 'charge_id',
                    p_args ->> 'refund_id', p_created, p_received_at);
            end if;
        when 'ignore' then
            v_outcome := jsonb_build_object('outcome', 'ignored', 'reason', p_args ->> 'reason');
        else
            raise exception 'unknown Stripe event action %', p_action using errcode = '22023';
    end case;

    return v_outcome;
end
$$;

/**
  * -------------------------------------------------------
  * Section - Statements planned once, not on every purchase
  * -------------------------------------------------------
  * A PL/pgSQL statement with parameters is planned afresh on every call
  * while its custom plans look cheaper than the generic one, which is always
  * the case when a custom plan can drop an "is not null" arm or knows an
  * array's length. Profiled under load (perf, bench data): planning was a
  * fifth of the database's time per purchase, mostly these two.
  *   - find_payment: its one statement's generic plan is the same BitmapOr
  *     over the three id indexes; pinned to it.
  *   - promote_from_queue: the free-slot check over unnest(p_councils) is
  *     now a loop of one index-only count per council, whose generic plan is
  *     the custom one.
 */
alter function public.find_payment(text, text, text) set plan_cache_mode = force_generic_plan;

create or replace function public.promote_from_queue(p_councils text[], p_now timestamptz)
    returns integer
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_slots   integer := coalesce(public.setting_numeric('featured_slots_per_council'), 5)::integer;
    v_council text;
    v_active  integer;
begin
    if p_councils is null then
        return public.promote_from_queue_all(null, p_now);
    end if;
    foreach v_council in array p_councils loop
        select count(*)::integer into v_active from public.featured_placements fp
        where fp.council_id = v_council and fp.status = 'active';
        if v_active < v_slots then
            return public.promote_from_queue_all(p_councils, p_now);
        end if;
    end loop;
    return 0; -- every named council is full: nobody can move up
end
$$;

comment on column public.stripe_events.attempts is
    'Deliveries that tried to process the event, up to the one that succeeded; redeliveries of a processed event only read it and are not counted.';

comment on function public.ingest_stripe_event(text, text, timestamptz, jsonb, timestamptz, text, jsonb) is
    'Stores a verified Stripe event once and applies the action the edge function chose for it, in one transaction; a redelivery answers duplicate. Server only.';

revoke all on function public.ingest_stripe_event(text, text, timestamptz, jsonb, timestamptz, text, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.ingest_stripe_event(text, text, timestamptz, jsonb, timestamptz, text, jsonb) to service_role;
