/**
  * Dog Trainers Directory: every setting's default named once, and
  * "mark failed" as one SQL function
  *
  * 1. Setting accessors. A rule reads a business number from public.settings
  *    through setting_numeric and says what to do when the row is missing:
  *    coalesce(public.setting_numeric('featured_slots_per_council'), 5). The
  *    same default was written again in every function that read the setting
  *    (the slot count's in five functions), and a reader had to trust they
  *    all agreed. Now each setting has one accessor named
  *    after its key, e.g. public.featured_slots_per_council(), that holds its
  *    default; the functions that inlined one are re-created below calling
  *    the accessor, their text otherwise unchanged, so they behave exactly as
  *    before. The defaults are the numbers the spec gives (and the values
  *    migration 0100 and later seed), so a missing row still means "the
  *    spec's number", never null.
  *      - An accessor returns what the coalesce it replaces returned (numeric
  *        for numbers, text for the two text settings), so each caller keeps
  *        its own casts and comparisons.
  *      - SQL-standard bodies (RETURN …, as format_aud since migration 1800):
  *        resolved when created, so no search_path is needed, and inlined
  *        into the caller, so a call costs what the inline coalesce cost. Not
  *        security definer: they read with the caller's rights, as
  *        setting_numeric does (a non-operator client sees the default, the
  *        server sees the setting).
  *      - setting_text is setting_numeric's twin for the two text settings
  *        (business_timezone, featured_currency).
  *      - triage_ai_per_hour, bulk_approve_min_confidence, featured_currency
  *        and the console's two refresh intervals are read only by edge
  *        functions (TypeScript, with the same inline coalesce); their
  *        accessors are here so those reads can name their defaults in the
  *        same place. (No migration seeds console_refresh_seconds or
  *        console_refresh_red_seconds yet: the defaults are what applies.)
  *
  * 2. mark_payment_failed. Reconciliation's fix for a payment recorded as
  *    succeeded that Stripe never took (spec 2.3, "charge failed but
  *    recorded") made its queue and money writes from TypeScript, one
  *    statement at a time. They are one function now, like every other rule
  *    that moves money or a queue (DESIGN: business rules that change money
  *    or queues run as SQL functions inside one transaction). The operator
  *    function still asks Stripe first (a database function cannot) and
  *    passes what Stripe said; a payment Stripe did take is refused here too.
  *
  * Re-created functions keep their grants and comments (CREATE OR REPLACE
  * keeps both), so their callers are unchanged.
 */

/**
  * -------------------------------------------------------
  * Section - Reading settings
  * -------------------------------------------------------
 */
create or replace function public.setting_text(p_key text)
    returns text
    language plpgsql
    stable
    set search_path = ''
as
$$
begin
    return (select s.value #>> '{}' from public.settings s where s.key = p_key);
end
$$;

comment on function public.setting_text(text) is 'A text setting by key (null when absent); setting_numeric''s twin. Rules read a setting through its accessor (e.g. business_timezone()), which names its default.';

/**
  * -------------------------------------------------------
  * Section - One accessor per setting, its default named once
  * -------------------------------------------------------
  * Featured placements and the queue.
 */
create or replace function public.featured_slots_per_council()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('featured_slots_per_council'), 5);

comment on function public.featured_slots_per_council() is 'Active featured placements allowed per council (setting featured_slots_per_council; 5 when unset). Further purchases queue.';

create or replace function public.featured_days()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('featured_days'), 30);

comment on function public.featured_days() is 'How many days a featured placement lasts (setting featured_days; 30 when unset).';

create or replace function public.featured_currency()
    returns text
    language sql
    stable
return coalesce(public.setting_text('featured_currency'), 'aud');

comment on function public.featured_currency() is 'Currency of the featured price, as Stripe writes it (setting featured_currency; aud when unset).';

create or replace function public.promotion_settle_seconds()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('promotion_settle_seconds'), 120);

comment on function public.promotion_settle_seconds() is 'Seconds a council''s queue must go without a new purchase before it is promoted into free slots (setting promotion_settle_seconds; 120 when unset).';

create or replace function public.placements_per_business()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('placements_per_business'), 1);

comment on function public.placements_per_business() is 'Active or queued featured placements one business may hold at a time (setting placements_per_business; 1 when unset).';

create or replace function public.queue_alert_threshold()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('queue_alert_threshold'), 10);

comment on function public.queue_alert_threshold() is 'A council''s queue longer than this opens the YELLOW queue_long alert (setting queue_alert_threshold; 10 when unset).';

/** Refunds. */
create or replace function public.refund_window_hours()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('refund_window_hours'), 72);

comment on function public.refund_window_hours() is 'A refund is approved only when asked for within this many hours of payment (setting refund_window_hours; 72 when unset).';

create or replace function public.refund_abuse_window_days()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('refund_abuse_window_days'), 7);

comment on function public.refund_abuse_window_days() is 'The days over which one owner''s refunds are counted for the refund-abuse guard (setting refund_abuse_window_days; 7 when unset).';

create or replace function public.refund_abuse_limit()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('refund_abuse_limit'), 3);

comment on function public.refund_abuse_limit() is 'Refunds within refund_abuse_window_days that flag the owner''s account for review (setting refund_abuse_limit; 3 when unset).';

create or replace function public.refund_rate_yellow_pct()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('refund_rate_yellow_pct'), 10);

comment on function public.refund_rate_yellow_pct() is 'The 7-day refund rate, in percent, that opens the YELLOW refund_rate alert (setting refund_rate_yellow_pct; 10 when unset).';

create or replace function public.refund_rate_red_pct()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('refund_rate_red_pct'), 15);

comment on function public.refund_rate_red_pct() is 'Above this 7-day refund rate, in percent, the refund-pattern investigation opens (setting refund_rate_red_pct; 15 when unset).';

/** Alerts and health. */
create or replace function public.webhook_failures_per_hour_red()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('webhook_failures_per_hour_red'), 3);

comment on function public.webhook_failures_per_hour_red() is 'More failed Stripe webhook deliveries than this within an hour open a RED alert (setting webhook_failures_per_hour_red; 3 when unset).';

create or replace function public.cron_stale_yellow_hours()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('cron_stale_yellow_hours'), 24);

comment on function public.cron_stale_yellow_hours() is 'Hours since the daily job last succeeded that open the YELLOW cron_stale alert (setting cron_stale_yellow_hours; 24 when unset).';

create or replace function public.cron_stale_red_hours()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('cron_stale_red_hours'), 48);

comment on function public.cron_stale_red_hours() is 'Hours since the daily job last succeeded that make cron_stale RED (setting cron_stale_red_hours; 48 when unset).';

create or replace function public.db_slow_ms()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('db_slow_ms'), 1000);

comment on function public.db_slow_ms() is 'A database health probe slower than this many milliseconds counts as slow (setting db_slow_ms; 1000 when unset).';

create or replace function public.db_slow_probes()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('db_slow_probes'), 3);

comment on function public.db_slow_probes() is 'Consecutive slow or failed probes that open the RED db_slow alert (setting db_slow_probes; 3 when unset).';

/** AI. */
create or replace function public.zai_down_red_minutes()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('zai_down_red_minutes'), 30);

comment on function public.zai_down_red_minutes() is 'Minutes of continuous Z.AI failure that open the RED zai_down alert (setting zai_down_red_minutes; 30 when unset).';

create or replace function public.ai_budget_cents_per_month()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('ai_budget_cents_per_month'), 25000);

comment on function public.ai_budget_cents_per_month() is 'The monthly AI provider budget, in cents (setting ai_budget_cents_per_month; 25000 when unset).';

create or replace function public.ai_budget_switch_pct()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('ai_budget_switch_pct'), 90);

comment on function public.ai_budget_switch_pct() is 'At this share of the monthly AI budget, in percent, the router answers from the deterministic rules (setting ai_budget_switch_pct; 90 when unset).';

create or replace function public.triage_ai_per_hour()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('triage_ai_per_hour'), 20);

comment on function public.triage_ai_per_hour() is 'AI-classified emergency triages allowed per address per hour (setting triage_ai_per_hour; 20 when unset).';

/** The operator console's sync clock (spec 6.1). */
create or replace function public.console_refresh_seconds()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('console_refresh_seconds'), 60);

comment on function public.console_refresh_seconds() is 'How often the operator console syncs, in seconds (setting console_refresh_seconds; 60 when unset).';

create or replace function public.console_refresh_red_seconds()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('console_refresh_red_seconds'), 30);

comment on function public.console_refresh_red_seconds() is 'How often the operator console syncs while a RED alert is open, in seconds (setting console_refresh_red_seconds; 30 when unset).';

/** Reviews and the calendar. */
create or replace function public.bulk_approve_min_confidence()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('bulk_approve_min_confidence'), 0.9);

comment on function public.bulk_approve_min_confidence() is 'The AI safety confidence from which a pending review counts as safe for bulk approval (setting bulk_approve_min_confidence; 0.9 when unset).';

create or replace function public.business_timezone()
    returns text
    language sql
    stable
return coalesce(public.setting_text('business_timezone'), 'Australia/Melbourne');

comment on function public.business_timezone() is 'Time zone of business days: the daily job, search rollup days (setting business_timezone; Australia/Melbourne when unset).';

-- As setting_numeric (migration 0900): the server and signed-in clients may
-- read settings; RLS decides which rows a client sees.
revoke all on function public.setting_text(text) from public, anon, authenticated, service_role;
revoke all on function public.featured_slots_per_council() from public, anon, authenticated, service_role;
revoke all on function public.featured_days() from public, anon, authenticated, service_role;
revoke all on function public.featured_currency() from public, anon, authenticated, service_role;
revoke all on function public.promotion_settle_seconds() from public, anon, authenticated, service_role;
revoke all on function public.placements_per_business() from public, anon, authenticated, service_role;
revoke all on function public.queue_alert_threshold() from public, anon, authenticated, service_role;
revoke all on function public.refund_window_hours() from public, anon, authenticated, service_role;
revoke all on function public.refund_abuse_window_days() from public, anon, authenticated, service_role;
revoke all on function public.refund_abuse_limit() from public, anon, authenticated, service_role;
revoke all on function public.refund_rate_yellow_pct() from public, anon, authenticated, service_role;
revoke all on function public.refund_rate_red_pct() from public, anon, authenticated, service_role;
revoke all on function public.webhook_failures_per_hour_red() from public, anon, authenticated, service_role;
revoke all on function public.cron_stale_yellow_hours() from public, anon, authenticated, service_role;
revoke all on function public.cron_stale_red_hours() from public, anon, authenticated, service_role;
revoke all on function public.db_slow_ms() from public, anon, authenticated, service_role;
revoke all on function public.db_slow_probes() from public, anon, authenticated, service_role;
revoke all on function public.zai_down_red_minutes() from public, anon, authenticated, service_role;
revoke all on function public.ai_budget_cents_per_month() from public, anon, authenticated, service_role;
revoke all on function public.ai_budget_switch_pct() from public, anon, authenticated, service_role;
revoke all on function public.triage_ai_per_hour() from public, anon, authenticated, service_role;
revoke all on function public.console_refresh_seconds() from public, anon, authenticated, service_role;
revoke all on function public.console_refresh_red_seconds() from public, anon, authenticated, service_role;
revoke all on function public.bulk_approve_min_confidence() from public, anon, authenticated, service_role;
revoke all on function public.business_timezone() from public, anon, authenticated, service_role;
grant execute on function public.setting_text(text) to authenticated, service_role;
grant execute on function public.featured_slots_per_council() to authenticated, service_role;
grant execute on function public.featured_days() to authenticated, service_role;
grant execute on function public.featured_currency() to authenticated, service_role;
grant execute on function public.promotion_settle_seconds() to authenticated, service_role;
grant execute on function public.placements_per_business() to authenticated, service_role;
grant execute on function public.queue_alert_threshold() to authenticated, service_role;
grant execute on function public.refund_window_hours() to authenticated, service_role;
grant execute on function public.refund_abuse_window_days() to authenticated, service_role;
grant execute on function public.refund_abuse_limit() to authenticated, service_role;
grant execute on function public.refund_rate_yellow_pct() to authenticated, service_role;
grant execute on function public.refund_rate_red_pct() to authenticated, service_role;
grant execute on function public.webhook_failures_per_hour_red() to authenticated, service_role;
grant execute on function public.cron_stale_yellow_hours() to authenticated, service_role;
grant execute on function public.cron_stale_red_hours() to authenticated, service_role;
grant execute on function public.db_slow_ms() to authenticated, service_role;
grant execute on function public.db_slow_probes() to authenticated, service_role;
grant execute on function public.zai_down_red_minutes() to authenticated, service_role;
grant execute on function public.ai_budget_cents_per_month() to authenticated, service_role;
grant execute on function public.ai_budget_switch_pct() to authenticated, service_role;
grant execute on function public.triage_ai_per_hour() to authenticated, service_role;
grant execute on function public.console_refresh_seconds() to authenticated, service_role;
grant execute on function public.console_refresh_red_seconds() to authenticated, service_role;
grant execute on function public.bulk_approve_min_confidence() to authenticated, service_role;
grant execute on function public.business_timezone() to authenticated, service_role;

/**
  * -------------------------------------------------------
  * Section - Featured placements and the queue read their settings through the accessors
  * -------------------------------------------------------
 */
-- As in migration 2900 (activate_paid_payment); only the setting reads change.
create or replace function public.start_placement(p_payment public.payment_audit, p_now timestamptz,
                                                  out o_placement uuid, out o_until timestamptz)
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_contact record;
begin
    o_until := p_now + make_interval(days => public.featured_days()::integer);
    insert into public.featured_placements (business_id, council_id, payment_id, featured_from, featured_until)
    values (p_payment.business_id, p_payment.council_id, p_payment.id, p_now, o_until)
    returning id into o_placement;
    select * into v_contact from public.business_contact(p_payment.business_id);
    perform public.queue_email(v_contact.email, 'featured_activated',
        jsonb_build_object('name', v_contact.name, 'business', v_contact.business, 'council', v_contact.council,
                           'amount_cents', p_payment.amount_cents, 'until', o_until),
        'featured_activated:' || o_placement);
end
$$;

-- As in migration 1800 (webhook_one_statement); only the setting reads change.
create or replace function public.promote_from_queue(p_councils text[], p_now timestamptz)
    returns integer
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_slots   integer := public.featured_slots_per_council()::integer;
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

-- As in migration 2400 (fair_slots); only the setting reads change.
create or replace function public.promote_from_queue_all(p_councils text[], p_now timestamptz)
    returns integer
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_slots    integer := public.featured_slots_per_council()::integer;
    v_days     integer := public.featured_days()::integer;
    v_settled  timestamptz := p_now - make_interval(secs => public.promotion_settle_seconds());
    v_promoted integer;
    v_mailed   integer;
begin
    -- A council whose queue something joined within the settle period
    -- waits whole: an earlier payment may still be on its way.
    with unsettled as (
        select distinct q.council_id from public.featured_queue q
        where q.promoted_at is null and q.cancelled_at is null and q.created_at > v_settled
          and (p_councils is null or q.council_id = any (p_councils))
    ),
    waiting as (
        select q.id, q.business_id, q.council_id, q.payment_id,
               row_number() over (partition by q.council_id order by q.paid_at, q.payment_id) as place
        from public.featured_queue q
        where q.promoted_at is null and q.cancelled_at is null
          and (p_councils is null or q.council_id = any (p_councils))
          and q.council_id not in (select u.council_id from unsettled u)
    ),
    free as (
        select w.council_id,
               v_slots - (select count(*) from public.featured_placements fp
                          where fp.council_id = w.council_id and fp.status = 'active') as free_slots
        from (select distinct council_id from waiting) w
    ),
    chosen as (
        select w.* from waiting w join free f using (council_id) where w.place <= f.free_slots
    ),
    placed as (
        insert into public.featured_placements (business_id, council_id, payment_id, featured_from, featured_until)
        select c.business_id, c.council_id, c.payment_id, p_now, p_now + make_interval(days => v_days)
        from chosen c
        returning id, business_id, payment_id, featured_until
    ),
    promoted as (
        update public.featured_queue q
        set promoted_at = p_now, placement_id = p.id
        from placed p
        where q.payment_id = p.payment_id
        returning q.id
    ),
    mailed as (
        select public.queue_email(
                   c.email, 'featured_activated',
                   jsonb_build_object('name', c.name, 'business', c.business, 'council', c.council,
                                      'amount_cents', pa.amount_cents, 'until', p.featured_until),
                   'featured_activated:' || p.id) as email_id
        from placed p
        join public.payment_audit pa on pa.id = p.payment_id
        cross join lateral public.business_contact(p.business_id) c
    )
    select (select count(*) from promoted), (select count(*) from mailed) into v_promoted, v_mailed;
    return v_promoted;
end
$$;

-- As in migration 2400 (fair_slots); only the setting reads change.
create or replace function public.promote_settled(p_now timestamptz default now())
    returns integer
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_slots    integer := public.featured_slots_per_council()::integer;
    v_settled  timestamptz := p_now - make_interval(secs => public.promotion_settle_seconds());
    v_councils text[];
    v_council  text;
begin
    -- Read without locks to find candidates; promote_from_queue checks
    -- again under each council's lock.
    select array_agg(w.council_id order by w.council_id) into v_councils
    from (select q.council_id from public.featured_queue q
          where q.promoted_at is null and q.cancelled_at is null
          group by q.council_id
          having max(q.created_at) <= v_settled) w
    where (select count(*) from public.featured_placements fp
           where fp.council_id = w.council_id and fp.status = 'active') < v_slots;
    if v_councils is null then
        return 0;
    end if;
    foreach v_council in array v_councils loop
        perform public.lock_council_slots(v_council);
    end loop;
    return public.promote_from_queue(v_councils, p_now);
end
$$;

-- As in migration 2400 (fair_slots); only the setting reads change.
create or replace function public.queue_position(p_payment_id uuid, p_now timestamptz, out queue_position integer, out eta timestamptz)
    language plpgsql
    stable
    security definer
    set search_path = ''
as
$$
declare
    v_council text;
    v_paid_at timestamptz;
    v_active  integer;
    v_free    integer;
    v_turn    integer;
    v_soon    timestamptz;
    v_days    integer := public.featured_days()::integer;
    v_settle  interval := make_interval(secs => public.promotion_settle_seconds());
begin
    select q.council_id, q.paid_at into v_council, v_paid_at from public.featured_queue q
    where q.payment_id = p_payment_id and q.promoted_at is null and q.cancelled_at is null;
    if v_council is null then
        return; -- not waiting
    end if;
    select count(*)::integer + 1 into queue_position from public.featured_queue q
    where q.council_id = v_council and q.promoted_at is null and q.cancelled_at is null
      and (q.paid_at, q.payment_id) < (v_paid_at, p_payment_id);
    select count(*)::integer into v_active from public.featured_placements fp
    where fp.council_id = v_council and fp.status = 'active';
    v_free := greatest(public.featured_slots_per_council()::integer - v_active, 0);
    -- The promoter runs every minute, once the queue has settled.
    v_soon := p_now + v_settle + interval '1 minute';
    if queue_position <= v_free then
        queue_position := 0;
        eta := v_soon;
        return;
    end if;
    queue_position := queue_position - v_free;
    v_turn := queue_position - 1;
    with ends as (
        select fp.featured_until as ends_at from public.featured_placements fp
        where fp.council_id = v_council and fp.status = 'active'
        union all
        select v_soon + make_interval(days => v_days) from generate_series(1, v_free)
    )
    select e.ends_at + make_interval(days => (v_turn / (v_active + v_free)) * v_days)
    into eta
    from ends e
    order by e.ends_at
    offset (v_turn % (v_active + v_free))
    limit 1;
end
$$;

-- As in migration 2400 (fair_slots); only the setting reads change.
create or replace function public.record_payment_succeeded(
    p_business_id         uuid,
    p_amount_cents        integer,
    p_currency            text,
    p_paid_at             timestamptz,
    p_payment_intent_id   text,
    p_charge_id           text,
    p_checkout_session_id text,
    p_event_created       timestamptz,
    p_now                 timestamptz default now()
)
    returns jsonb
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_council  text;
    v_owner    uuid;
    v_payment  public.payment_audit;
    v_queue_id uuid;
    v_held     integer;
    v_limit    integer := public.placements_per_business()::integer;
    v_position record;
    v_contact  record;
begin
    select b.council_id, b.owner_id into v_council, v_owner from public.businesses b where b.id = p_business_id;
    if v_council is null then
        return jsonb_build_object('outcome', 'unknown_business', 'business_id', p_business_id);
    end if;
    perform public.lock_council_slots(v_council);

    select * into v_payment from public.payment_audit pa
    where pa.id = public.find_payment(p_payment_intent_id, p_charge_id, p_checkout_session_id)
    for update;

    if v_payment.id is null then
        insert into public.payment_audit (business_id, council_id, stripe_payment_intent_id, stripe_charge_id,
                                          stripe_checkout_session_id, amount_cents, currency, status, paid_at,
                                          last_stripe_event_at)
        values (p_business_id, v_council, p_payment_intent_id, p_charge_id, p_checkout_session_id, p_amount_cents,
                lower(p_currency), 'succeeded', p_paid_at, p_event_created)
        returning * into v_payment;
        perform public.audit(null, 'stripe', 'payment.succeeded', 'payment', v_payment.id::text, p_amount_cents,
                             jsonb_build_object('payment_intent', p_payment_intent_id, 'charge', p_charge_id,
                                                'business_id', p_business_id, 'council_id', v_council));
    else
        -- Later events fill in ids earlier ones lacked (a checkout session
        -- names its payment intent; a charge names both).
        update public.payment_audit pa
        set stripe_payment_intent_id   = coalesce(pa.stripe_payment_intent_id, p_payment_intent_id),
            stripe_charge_id           = coalesce(pa.stripe_charge_id, p_charge_id),
            stripe_checkout_session_id = coalesce(pa.stripe_checkout_session_id, p_checkout_session_id),
            last_stripe_event_at       = greatest(pa.last_stripe_event_at, p_event_created),
            status                     = case when pa.status in ('pending', 'failed') then 'succeeded' else pa.status end,
            paid_at                    = coalesce(pa.paid_at, p_paid_at)
        where pa.id = v_payment.id
        returning * into v_payment;
        if v_payment.status = 'refunded' then
            return jsonb_build_object('outcome', 'already_refunded', 'payment_id', v_payment.id);
        end if;
        if v_payment.held_reason is not null then
            return jsonb_build_object('outcome', 'held', 'payment_id', v_payment.id, 'reason', v_payment.held_reason);
        end if;
        if exists (select 1 from public.featured_queue q where q.payment_id = v_payment.id)
           or exists (select 1 from public.featured_placements fp where fp.payment_id = v_payment.id) then
            return jsonb_build_object('outcome', 'already_recorded', 'payment_id', v_payment.id);
        end if;
    end if;

    -- Slot squatting that raced past checkout's check: held, refund filed.
    select (select count(*) from public.featured_placements fp
            where fp.business_id = p_business_id and fp.status = 'active')
         + (select count(*) from public.featured_queue q
            where q.business_id = p_business_id and q.promoted_at is null and q.cancelled_at is null)
    into v_held;
    if v_held >= v_limit then
        update public.payment_audit pa
        set held_reason = format('The business already holds %s active or queued featured placement%s (the limit is %s); this payment is to be refunded.',
                                 v_held, case when v_held = 1 then '' else 's' end, v_limit)
        where pa.id = v_payment.id
        returning * into v_payment;
        if v_owner is not null then
            insert into public.refund_requests (payment_id, business_id, requested_by, requested_at, reason)
            values (v_payment.id, p_business_id, v_owner, p_now, 'Filed by the server: ' || v_payment.held_reason)
            on conflict do nothing;
        end if;
        perform public.open_alert('YELLOW', 'duplicate_purchase', v_payment.id::text,
            format('A second featured purchase (%s) for %s was held back and its refund filed: %s',
                   public.format_aud(v_payment.amount_cents),
                   (select b.name from public.businesses b where b.id = p_business_id), v_payment.held_reason),
            jsonb_build_object('payment_id', v_payment.id, 'business_id', p_business_id), p_now);
        perform public.audit(null, 'system', 'payment.held', 'payment', v_payment.id::text, v_payment.amount_cents,
                             jsonb_build_object('business_id', p_business_id, 'reason', v_payment.held_reason));
        return jsonb_build_object('outcome', 'held', 'payment_id', v_payment.id, 'reason', v_payment.held_reason);
    end if;

    -- Every purchase enters through the queue; the promoter places it once
    -- it has settled, in payment order.
    insert into public.featured_queue (business_id, council_id, payment_id, paid_at, created_at)
    values (p_business_id, v_council, v_payment.id, v_payment.paid_at, p_now)
    returning id into v_queue_id;

    select * into v_position from public.queue_position(v_payment.id, p_now);
    if v_position.queue_position > 0 then
        -- It must wait for a slot: say where it stands and when its turn
        -- should come. (One that takes a free slot hears from the promoter.)
        select * into v_contact from public.business_contact(p_business_id);
        perform public.queue_email(v_contact.email, 'featured_queued',
            jsonb_build_object('name', v_contact.name, 'business', v_contact.business, 'council', v_contact.council,
                               'amount_cents', v_payment.amount_cents, 'position', v_position.queue_position,
                               'eta', v_position.eta,
                               'slots', public.featured_slots_per_council()),
            'featured_queued:' || v_payment.id);
    end if;
    return jsonb_build_object('outcome', 'queued', 'payment_id', v_payment.id, 'queue_id', v_queue_id,
                              'position', v_position.queue_position, 'eta', v_position.eta);
end
$$;

/**
  * -------------------------------------------------------
  * Section - Refunds read their settings through the accessors
  * -------------------------------------------------------
 */
-- As in migration 1200 (payments); only the setting reads change.
create or replace function public.record_refund(
    p_business_id       uuid,
    p_amount_cents      integer,
    p_currency          text,
    p_paid_at           timestamptz,
    p_refunded_at       timestamptz,
    p_payment_intent_id text,
    p_charge_id         text,
    p_refund_id         text,
    p_event_created     timestamptz,
    p_now               timestamptz default now()
)
    returns jsonb
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_council  text;
    v_payment  public.payment_audit;
    v_owner    uuid;
    v_refunds  integer;
begin
    select b.council_id, b.owner_id into v_council, v_owner from public.businesses b where b.id = p_business_id;
    if v_council is null then
        return jsonb_build_object('outcome', 'unknown_business', 'business_id', p_business_id);
    end if;
    perform public.lock_council_slots(v_council);

    select * into v_payment from public.payment_audit pa
    where pa.id = public.find_payment(p_payment_intent_id, p_charge_id, null)
    for update;

    if v_payment.id is null then
        insert into public.payment_audit (business_id, council_id, stripe_payment_intent_id, stripe_charge_id, amount_cents,
                                          currency, status, paid_at, refunded_at, stripe_refund_id, last_stripe_event_at,
                                          notes)
        values (p_business_id, v_council, p_payment_intent_id, p_charge_id, p_amount_cents, lower(p_currency), 'refunded',
                coalesce(p_paid_at, p_refunded_at), p_refunded_at, p_refund_id, p_event_created,
                'refund recorded before its purchase event')
        returning * into v_payment;
    elsif v_payment.status = 'refunded' then
        update public.payment_audit pa set stripe_refund_id = coalesce(pa.stripe_refund_id, p_refund_id)
        where pa.id = v_payment.id;
        return jsonb_build_object('outcome', 'already_refunded', 'payment_id', v_payment.id);
    else
        update public.payment_audit pa
        set status = 'refunded', refunded_at = p_refunded_at, paid_at = coalesce(pa.paid_at, p_paid_at),
            stripe_refund_id = coalesce(pa.stripe_refund_id, p_refund_id),
            stripe_charge_id = coalesce(pa.stripe_charge_id, p_charge_id),
            last_stripe_event_at = greatest(pa.last_stripe_event_at, p_event_created)
        where pa.id = v_payment.id
        returning * into v_payment;
    end if;

    update public.featured_placements fp
    set status = 'refunded', refund_status = 'refunded', refunded_at = p_refunded_at
    where fp.payment_id = v_payment.id and fp.status <> 'refunded';
    update public.featured_queue q set cancelled_at = p_now
    where q.payment_id = v_payment.id and q.promoted_at is null and q.cancelled_at is null;
    perform public.promote_from_queue(array[v_council], p_now);

    perform public.audit(null, 'stripe', 'payment.refunded', 'payment', v_payment.id::text, -v_payment.amount_cents,
                         jsonb_build_object('refund', p_refund_id, 'charge', p_charge_id, 'business_id', p_business_id));

    -- Refund-abuse guard (the spec's "Trainer A"): too many refunds in the
    -- window blocks the owner from buying until an operator reviews them.
    select count(*) into v_refunds
    from public.payment_audit pa join public.businesses b on b.id = pa.business_id
    where b.owner_id = v_owner and pa.status = 'refunded'
      and pa.refunded_at > p_now - make_interval(days => public.refund_abuse_window_days()::integer);
    if v_owner is not null and v_refunds >= public.refund_abuse_limit() then
        update public.profiles p
        set account_status = 'flagged_for_review', flagged_at = coalesce(p.flagged_at, p_now),
            flagged_reason = coalesce(p.flagged_reason, format('%s refunds in %s days, possible abuse', v_refunds,
                                      public.refund_abuse_window_days()))
        where p.id = v_owner and p.account_status <> 'flagged_for_review';
        perform public.open_alert('YELLOW', 'refund_abuse', v_owner::text,
            format('Trainer %s has had %s refunds in %s days; featured purchases are blocked until reviewed',
                   (select coalesce(p.display_name, p.email, v_owner::text) from public.profiles p where p.id = v_owner),
                   v_refunds, public.refund_abuse_window_days()),
            jsonb_build_object('owner_id', v_owner, 'refunds', v_refunds), p_now);
    end if;

    return jsonb_build_object('outcome', 'refunded', 'payment_id', v_payment.id);
end
$$;

-- As in migration 1400 (refund_decisions); only the setting reads change.
create or replace function public.refund_eligibility(
    p_request_id uuid,
    out eligible boolean,
    out hours_after_purchase numeric,
    out window_hours numeric,
    out paid_at timestamptz,
    out requested_at timestamptz,
    out amount_cents integer
)
    language sql
    stable
    security definer
    set search_path = ''
as
$$
select rr.requested_at <= pa.paid_at + make_interval(secs => w.hours * 3600),
       round(extract(epoch from (rr.requested_at - pa.paid_at)) / 3600, 2),
       w.hours, pa.paid_at, rr.requested_at, pa.amount_cents
from public.refund_requests rr
join public.payment_audit pa on pa.id = rr.payment_id
cross join (select public.refund_window_hours() as hours) w
where rr.id = p_request_id
$$;

/**
  * -------------------------------------------------------
  * Section - Alerts read their thresholds through the accessors
  * -------------------------------------------------------
 */
-- As in migration 2000 (alerts_always_current); only the setting reads change.
create or replace function public.refresh_payment_red_alerts(p_now timestamptz default now())
    returns void
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    r          record;
    v_failures integer;
begin
    -- Orphaned charges (RED), one alert per payment.
    for r in select * from public.orphaned_payments loop
        perform public.open_alert('RED', 'orphaned_charge', r.payment_id::text,
            format('Charge %s (%s) succeeded on %s but has no placement or queue entry',
                   coalesce(r.stripe_charge_id, r.stripe_payment_intent_id), public.format_aud(r.amount_cents),
                   public.format_melbourne_date(r.paid_at)),
            jsonb_build_object('payment_id', r.payment_id, 'business_id', r.business_id, 'charge', r.stripe_charge_id), p_now);
    end loop;
    perform public.resolve_alert(a.kind, a.subject, p_now)
    from public.alerts a
    where a.kind = 'orphaned_charge' and a.resolved_at is null
      and not exists (select 1 from public.orphaned_payments o where o.payment_id::text = a.subject);

    -- Stripe webhook failures in the last hour (RED above the threshold).
    select count(*) into v_failures from public.stripe_events e
    where e.error is not null and e.received_at > p_now - interval '1 hour';
    if v_failures > public.webhook_failures_per_hour_red() then
        perform public.open_alert('RED', 'webhook_failures', 'stripe',
            format('%s Stripe webhook events failed in the last hour', v_failures),
            jsonb_build_object('failures', v_failures), p_now);
    else
        perform public.resolve_alert('webhook_failures', 'stripe', p_now);
    end if;
end
$$;

-- As in migration 2000 (alerts_always_current); only the setting reads change.
create or replace function public.refresh_operations_alerts(p_now timestamptz default now())
    returns void
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    r              record;
    v_last_success timestamptz;
    v_hours        numeric;
    v_purchases    integer;
    v_refunds      integer;
    v_rate         numeric;
begin
    -- Queue longer than the threshold, per council (YELLOW).
    for r in
        select q.council_id, count(*) as waiting from public.featured_queue q
        where q.promoted_at is null and q.cancelled_at is null group by q.council_id
    loop
        if r.waiting > public.queue_alert_threshold() then
            perform public.open_alert('YELLOW', 'queue_long', r.council_id,
                format('%s purchases waiting in the %s queue', r.waiting, r.council_id),
                jsonb_build_object('waiting', r.waiting), p_now);
        end if;
    end loop;
    perform public.resolve_alert(a.kind, a.subject, p_now)
    from public.alerts a
    where a.kind = 'queue_long' and a.resolved_at is null
      and (select count(*) from public.featured_queue q
           where q.council_id = a.subject and q.promoted_at is null and q.cancelled_at is null)
          <= public.queue_alert_threshold();

    -- Refund rate over 7 days (refund_rate_7d, the definition the dashboard shows too): YELLOW from the
    -- yellow threshold, the refund pattern investigation (still YELLOW, its own flag) above the red one.
    select x.rate_pct, x.refunds, x.purchases into v_rate, v_refunds, v_purchases from public.refund_rate_7d(p_now) x;
    if v_rate > public.refund_rate_red_pct() then
        perform public.open_alert('YELLOW', 'refund_rate', 'featured',
            format('Refund rate %s%% over 7 days (%s refunds of %s purchases): open the refund-pattern investigation', v_rate, v_refunds, v_purchases),
            jsonb_build_object('rate_pct', v_rate, 'refunds', v_refunds, 'purchases', v_purchases, 'investigate', true), p_now);
    elsif v_rate >= public.refund_rate_yellow_pct() then
        perform public.open_alert('YELLOW', 'refund_rate', 'featured',
            format('Refund rate %s%% over 7 days (%s refunds of %s purchases)', v_rate, v_refunds, v_purchases),
            jsonb_build_object('rate_pct', v_rate, 'refunds', v_refunds, 'purchases', v_purchases, 'investigate', false), p_now);
    else
        perform public.resolve_alert('refund_rate', 'featured', p_now);
    end if;

    -- The daily job: stale (YELLOW at 24 h, RED at 48 h) since its last success.
    select max(c.finished_at) into v_last_success from public.cron_jobs c
    where c.job_name = 'featured-expiry-and-promotion' and c.status = 'success';
    v_hours := extract(epoch from (p_now - coalesce(v_last_success, '-infinity'::timestamptz))) / 3600;
    if v_last_success is null or v_hours >= public.cron_stale_red_hours() then
        perform public.open_alert('RED', 'cron_stale', 'featured-expiry-and-promotion',
            case when v_last_success is null then 'The daily job has never succeeded'
                 else format('The daily job last succeeded %s hours ago', floor(v_hours)) end,
            jsonb_build_object('last_success', v_last_success), p_now);
    elsif v_hours >= public.cron_stale_yellow_hours() then
        perform public.open_alert('YELLOW', 'cron_stale', 'featured-expiry-and-promotion',
            format('The daily job last succeeded %s hours ago', floor(v_hours)),
            jsonb_build_object('last_success', v_last_success), p_now);
    else
        perform public.resolve_alert('cron_stale', 'featured-expiry-and-promotion', p_now);
    end if;
end
$$;

-- As in migration 2000 (alerts_always_current); only the setting reads change.
create or replace function public.refresh_db_alert(p_now timestamptz default now())
    returns void
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_limit   numeric := public.db_slow_ms();
    v_needed  integer := greatest(public.db_slow_probes(), 1)::integer;
    v_probes  record;
    v_latest  public.db_health;
begin
    select * into v_latest from public.db_health h where h.checked_at <= p_now order by h.checked_at desc limit 1;
    if v_latest.id is null then
        return;
    end if;
    -- The last v_needed probes of the past 10 minutes: all slow or failed opens; any good one resolves.
    select count(*) as n,
           count(*) filter (where not h.ok or h.latency_ms > v_limit) as bad,
           count(*) filter (where not h.ok) as failed,
           min(h.latency_ms) as fastest, max(h.latency_ms) as slowest,
           min(h.checked_at) as since
    into v_probes
    from (select * from public.db_health h
          where h.checked_at <= p_now and h.checked_at > p_now - interval '10 minutes'
          order by h.checked_at desc limit v_needed) h;
    if v_probes.n >= v_needed and v_probes.bad = v_probes.n then
        perform public.open_alert('RED', 'db_slow', 'postgres',
            case when v_probes.failed > 0
                 then format('Database timing out or failing: %s of the last %s health probes failed (last error: %s)',
                             v_probes.failed, v_probes.n, coalesce(v_latest.error, 'none recorded'))
                 else format('Database slow: the last %s health probes took %s–%s ms (threshold %s ms)',
                             v_probes.n, round(v_probes.fastest), round(v_probes.slowest), v_limit)
            end,
            jsonb_build_object('probes', v_probes.n, 'failed', v_probes.failed, 'fastest_ms', v_probes.fastest,
                               'slowest_ms', v_probes.slowest, 'threshold_ms', v_limit, 'last_error', v_latest.error),
            p_now);
    elsif v_latest.ok and v_latest.latency_ms <= v_limit then
        perform public.resolve_alert('db_slow', 'postgres', p_now);
    end if;
end
$$;

-- As in migration 0900 (alerts_and_ai_health); only the setting reads change.
create or replace function public.refresh_ai_alerts(p_now timestamptz default now())
    returns void
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_last_ok       timestamptz;
    v_failing_since timestamptz;
    v_failures      integer;
    v_last_error    text;
    v_limit         numeric := public.zai_down_red_minutes();
begin
    select max(h.checked_at) into v_last_ok
    from public.ai_provider_health h
    where h.provider = 'z_ai' and h.ok and h.checked_at <= p_now;

    select min(h.checked_at), count(*) into v_failing_since, v_failures
    from public.ai_provider_health h
    where h.provider = 'z_ai' and not h.ok and h.checked_at <= p_now
      and (v_last_ok is null or h.checked_at > v_last_ok);

    if v_failing_since is not null and v_failing_since <= p_now - make_interval(mins => v_limit::integer) then
        select h.error into v_last_error from public.ai_provider_health h
        where h.provider = 'z_ai' and not h.ok order by h.checked_at desc limit 1;
        perform public.open_alert(
            'RED', 'zai_down', 'z_ai',
            format('Z.AI down since %s (%s min); emergency triage is answering from the deterministic rules',
                   to_char(v_failing_since at time zone 'Australia/Melbourne', 'YYYY-MM-DD HH24:MI'),
                   floor(extract(epoch from (p_now - v_failing_since)) / 60)),
            jsonb_build_object('failing_since', v_failing_since, 'failed_calls', v_failures, 'last_error', v_last_error),
            p_now);
    elsif v_failing_since is null then
        perform public.resolve_alert('zai_down', 'z_ai', p_now);
    end if;
end
$$;

/**
  * -------------------------------------------------------
  * Section - The AI budget reads its settings through the accessors
  * -------------------------------------------------------
 */
-- As in migration 1950 (ai_budget_switch); only the setting reads change.
create or replace function public.ai_budget_state(p_now timestamptz default now())
    returns jsonb
    language sql
    stable
    security definer
    set search_path = ''
as
$$
with month as (
    select (date_trunc('month', p_now at time zone 'Australia/Melbourne') at time zone 'Australia/Melbourne') as starts
),
spend as (
    select coalesce(sum(h.cost_cents), 0) as cents
    from public.ai_provider_health h, month
    where h.checked_at >= month.starts and h.checked_at <= p_now and h.cost_cents > 0
),
limits as (
    select public.ai_budget_cents_per_month() as budget,
           public.ai_budget_switch_pct() as pct
)
select jsonb_build_object(
    'spent_cents', round(spend.cents, 4),
    'budget_cents', limits.budget,
    'switch_pct', limits.pct,
    'switch_at_cents', round(limits.budget * limits.pct / 100, 2),
    'over', spend.cents >= limits.budget * limits.pct / 100)
from spend, limits
$$;

-- As in migration 0900 (alerts_and_ai_health); only the setting reads change.
create or replace function public.ai_provider_summary(p_now timestamptz default now())
    returns jsonb
    language sql
    stable
    security definer
    set search_path = ''
as
$$
with month as (
    select (date_trunc('month', p_now at time zone 'Australia/Melbourne') at time zone 'Australia/Melbourne') as starts
),
per_provider as (
    select h.provider,
           count(*)                                                    as calls,
           count(*) filter (where h.ok)                                as ok_calls,
           round(avg(h.latency_ms) filter (where h.ok))                as avg_latency_ms,
           coalesce(sum(h.cost_cents), 0)                              as cost_cents,
           max(h.checked_at) filter (where h.ok)                       as last_ok_at,
           max(h.checked_at) filter (where not h.ok)                   as last_failure_at
    from public.ai_provider_health h, month
    where h.checked_at >= month.starts and h.checked_at <= p_now
    group by h.provider
)
select jsonb_build_object(
    'month_starts', (select starts from month),
    'budget_cents', public.ai_budget_cents_per_month(),
    'spent_cents', coalesce((select sum(cost_cents) from per_provider), 0),
    'providers', coalesce((select jsonb_agg(jsonb_build_object(
        'provider', p.provider,
        'calls', p.calls,
        'uptime_pct', round(100.0 * p.ok_calls / nullif(p.calls, 0), 1),
        'avg_latency_ms', p.avg_latency_ms,
        'cost_cents', p.cost_cents,
        'last_ok_at', p.last_ok_at,
        'last_failure_at', p.last_failure_at) order by p.provider) from per_provider p), '[]'::jsonb)
)
$$;

/**
  * -------------------------------------------------------
  * Section - The search rollup reads its time zone through the accessor
  * -------------------------------------------------------
 */
-- As in migration 0300 (directory); only the setting reads change.
create or replace function public.rollup_search_day(day date)
    returns integer
    language plpgsql
    set search_path = ''
as
$$
declare
    tz         text := public.business_timezone();
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

/**
  * -------------------------------------------------------
  * Section - Marking a payment failed after reconciliation
  * -------------------------------------------------------
  * The operator's payment.mark_failed command: a payment recorded here as
  * succeeded that Stripe never took. The operator function asks Stripe
  * first and passes its answer: the charge's (or payment intent's) status,
  * or null when Stripe has no such charge. Then, in the caller's
  * transaction: the payment row is locked, and only a succeeded payment
  * that Stripe did not take is marked failed (with a note saying what Stripe
  * said); its active placement ends now (its slot is free) or its waiting
  * queue entry leaves the queue, and the council's queue is promoted into
  * the freed slot in payment order. The operator command records the audit
  * entry, as for its other commands.
  * Refusals are answers, not errors, so a refused command rolls nothing back
  * around it: {"outcome": "not_found" | "refused", "reason": "..."}.
 */
create or replace function public.mark_payment_failed(p_payment_id uuid, p_stripe_status text, p_now timestamptz)
    returns jsonb
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_payment  public.payment_audit;
    v_ended    integer;
    v_left     integer;
    v_promoted integer;
begin
    select * into v_payment from public.payment_audit pa where pa.id = p_payment_id for update;
    if v_payment.id is null then
        return jsonb_build_object('outcome', 'not_found', 'reason', format('payment %s does not exist', p_payment_id));
    end if;
    if v_payment.status <> 'succeeded' then
        return jsonb_build_object('outcome', 'refused', 'reason',
            format('the payment is %s; only a succeeded payment can be marked failed', v_payment.status));
    end if;
    -- The caller refuses this before it gets here; a payment Stripe took is never marked failed.
    if p_stripe_status = 'succeeded' then
        return jsonb_build_object('outcome', 'refused', 'reason',
            format('Stripe shows %s succeeded (%s): the payment did not fail, so it is not marked',
                   coalesce(v_payment.stripe_charge_id, v_payment.stripe_payment_intent_id), public.format_aud(v_payment.amount_cents)));
    end if;

    perform public.lock_council_slots(v_payment.council_id);
    update public.payment_audit pa
    set status = 'failed',
        notes  = concat_ws('; ', pa.notes,
                           'marked failed after reconciliation: Stripe has '
                               || case when p_stripe_status is null then 'no such charge' else 'it as ' || p_stripe_status end)
    where pa.id = v_payment.id;
    -- Its placement ends now, freeing the slot (an expiry, as if its time were up).
    update public.featured_placements fp
    set status = 'expired', featured_until = least(fp.featured_until, p_now)
    where fp.payment_id = v_payment.id and fp.status = 'active';
    get diagnostics v_ended = row_count;
    update public.featured_queue q
    set cancelled_at = p_now
    where q.payment_id = v_payment.id and q.promoted_at is null and q.cancelled_at is null;
    get diagnostics v_left = row_count;
    v_promoted := public.promote_from_queue(array[v_payment.council_id], p_now);

    return jsonb_build_object('outcome', 'applied', 'payment_id', v_payment.id, 'council_id', v_payment.council_id,
                              'amount_cents', v_payment.amount_cents,
                              'stripe', coalesce(p_stripe_status, 'no such charge'),
                              'placement_ended', v_ended > 0, 'left_queue', v_left > 0, 'promoted', v_promoted);
end
$$;

comment on function public.mark_payment_failed(uuid, text, timestamptz) is
    'Reconciliation''s fix for a succeeded payment Stripe never took (p_stripe_status: what Stripe says, null when it has no such charge): marked failed with a note, its placement ended or queue entry cancelled, the queue promoted. Refuses an unknown, not succeeded or Stripe-succeeded payment. Server only.';
revoke all on function public.mark_payment_failed(uuid, text, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.mark_payment_failed(uuid, text, timestamptz) to service_role;
