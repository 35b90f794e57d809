/**
  * Dog Trainers Directory: alerts always current
  *
  * The rules of spec 1.2 existed (refresh_money_alerts, refresh_ai_alerts)
  * but ran only when something else happened: the daily job, the hourly
  * sweep, a call to /health. Four councils could have more than 10 queued
  * purchases and the dashboard say GREEN until 2 AM. Now one refresh,
  * public.refresh_alerts, evaluates every rule on its own schedule (spec
  * 6.1): the RED rules every 30 seconds, all of them every minute, called by
  * the alerts-refresh function from the local scheduler and, on hosted
  * Supabase, from pg_cron (README). Each alert opens once, is updated while
  * its condition lasts, and resolves itself when the condition clears; both
  * times are kept (alerts.opened_at, alerts.resolved_at).
  *
  * 1. db_health: the database's own health probe, written by alerts-refresh
  *    (how long a trivial statement took from the functions, and whether it
  *    timed out), and the new RED rule "database slow or timing out".
  * 2. refresh_money_alerts split into its RED half (orphaned charges,
  *    webhook failures) and the rest (queue, refund rate, job staleness);
  *    refresh_money_alerts still runs both, for its callers.
  * 3. refresh_alerts(scope): 'red' or 'all'. The every-minute half also runs
  *    the AI budget rule of migration 1950.
  * 4. refund_rate_7d: one definition of the 7-day refund rate. The alert and
  *    the dashboard's metric computed it two ways (refunds this week against
  *    purchases this week, vs the refunded share of this week's purchases)
  *    and could disagree; both read this now.
  */

/**
  * -------------------------------------------------------
  * Section - Settings
  * -------------------------------------------------------
 */
insert into public.settings (key, value, description)
values ('db_slow_ms', '1000', 'RED alert when the database health probe takes longer than this many milliseconds, several times in a row.'),
       ('db_slow_probes', '3', 'How many consecutive slow or timed-out probes open the "database slow" alert (one good probe resolves it).'),
       ('db_probe_timeout_ms', '5000', 'The health probe''s statement timeout: a probe that takes longer counts as a timeout.')
on conflict (key) do nothing;

/**
  * -------------------------------------------------------
  * Section - Database health probes
  * -------------------------------------------------------
 */
create table public.db_health
(
    id         bigint generated always as identity primary key,
    checked_at timestamptz not null default now(),
    latency_ms numeric(10, 1) not null
        constraint db_health_latency_non_negative check (latency_ms >= 0),
    ok         boolean     not null,
    error      text
);

comment on table public.db_health is 'One row per database health probe (alerts-refresh): latency of a trivial statement as the functions see it, and whether it failed or timed out. Kept 7 days.';
comment on column public.db_health.id is 'Probe number.';
comment on column public.db_health.checked_at is 'When the probe ran.';
comment on column public.db_health.latency_ms is 'How long the probe statement took, seen from the function, in milliseconds.';
comment on column public.db_health.ok is 'False when the probe failed or timed out.';
comment on column public.db_health.error is 'Why the probe failed (null when it did not).';
create index db_health_checked_at on public.db_health (checked_at desc);

alter table public.db_health enable row level security;
-- No policy: server only (the service role bypasses RLS; nobody else reads it).
revoke all on table public.db_health from public, anon, authenticated, service_role;
grant all on table public.db_health to service_role;

create or replace function public.record_db_probe(p_latency_ms numeric, p_ok boolean, p_error text, p_now timestamptz default now())
    returns void
    language sql
    volatile
    security definer
    set search_path = ''
as
$$
insert into public.db_health (checked_at, latency_ms, ok, error) values (p_now, greatest(p_latency_ms, 0), p_ok, p_error);
delete from public.db_health h where h.checked_at < p_now - interval '7 days';
$$;

comment on function public.record_db_probe(numeric, boolean, text, timestamptz) is 'Records one database health probe and forgets probes older than 7 days. Server only.';

create or replace function public.refresh_db_alert(p_now timestamptz default now())
    returns void
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_limit   numeric := coalesce(public.setting_numeric('db_slow_ms'), 1000);
    v_needed  integer := greatest(coalesce(public.setting_numeric('db_slow_probes'), 3), 1)::integer;
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

comment on function public.refresh_db_alert(timestamptz) is
    'Opens the RED db_slow alert after db_slow_probes consecutive slow (> db_slow_ms) or failed probes; a good probe resolves it.';

/**
  * -------------------------------------------------------
  * Section - The money rules, split by how often they run
  * -------------------------------------------------------
 */
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
    if v_failures > coalesce(public.setting_numeric('webhook_failures_per_hour_red'), 3) then
        perform public.open_alert('RED', 'webhook_failures', 'stripe',
            format('%s Stripe webhook events failed in the last hour', v_failures),
            jsonb_build_object('failures', v_failures), p_now);
    else
        perform public.resolve_alert('webhook_failures', 'stripe', p_now);
    end if;
end
$$;

comment on function public.refresh_payment_red_alerts(timestamptz) is
    'Opens/resolves the RED money alerts: orphaned_charge (one per payment) and webhook_failures. Server only.';

create or replace function public.refund_rate_7d(p_now timestamptz default now(), out rate_pct numeric, out refunds integer, out purchases integer)
    language sql
    stable
    security definer
    set search_path = ''
as
$$
select case when x.purchases > 0 then round(100.0 * x.refunds / x.purchases, 1) else 0 end, x.refunds, x.purchases
from (select count(*) filter (where pa.paid_at > p_now - interval '7 days')::integer as purchases,
             count(*) filter (where pa.status = 'refunded' and pa.refunded_at > p_now - interval '7 days')::integer as refunds
      from public.payment_audit pa
      where pa.status in ('succeeded', 'refunded')
        and (pa.paid_at > p_now - interval '7 days' or pa.refunded_at > p_now - interval '7 days')) x
$$;

comment on function public.refund_rate_7d(timestamptz) is
    'The refund rate over the last 7 days: refunds made in them against purchases made in them, in percent (one decimal). The alert and the dashboard read this. Server only.';

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
        if r.waiting > coalesce(public.setting_numeric('queue_alert_threshold'), 10) then
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
          <= coalesce(public.setting_numeric('queue_alert_threshold'), 10);

    -- Refund rate over 7 days (refund_rate_7d, the definition the dashboard shows too): YELLOW from the
    -- yellow threshold, the refund pattern investigation (still YELLOW, its own flag) above the red one.
    select x.rate_pct, x.refunds, x.purchases into v_rate, v_refunds, v_purchases from public.refund_rate_7d(p_now) x;
    if v_rate > coalesce(public.setting_numeric('refund_rate_red_pct'), 15) then
        perform public.open_alert('YELLOW', 'refund_rate', 'featured',
            format('Refund rate %s%% over 7 days (%s refunds of %s purchases): open the refund-pattern investigation', v_rate, v_refunds, v_purchases),
            jsonb_build_object('rate_pct', v_rate, 'refunds', v_refunds, 'purchases', v_purchases, 'investigate', true), p_now);
    elsif v_rate >= coalesce(public.setting_numeric('refund_rate_yellow_pct'), 10) then
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
    if v_last_success is null or v_hours >= coalesce(public.setting_numeric('cron_stale_red_hours'), 48) then
        perform public.open_alert('RED', 'cron_stale', 'featured-expiry-and-promotion',
            case when v_last_success is null then 'The daily job has never succeeded'
                 else format('The daily job last succeeded %s hours ago', floor(v_hours)) end,
            jsonb_build_object('last_success', v_last_success), p_now);
    elsif v_hours >= coalesce(public.setting_numeric('cron_stale_yellow_hours'), 24) then
        perform public.open_alert('YELLOW', 'cron_stale', 'featured-expiry-and-promotion',
            format('The daily job last succeeded %s hours ago', floor(v_hours)),
            jsonb_build_object('last_success', v_last_success), p_now);
    else
        perform public.resolve_alert('cron_stale', 'featured-expiry-and-promotion', p_now);
    end if;
end
$$;

comment on function public.refresh_operations_alerts(timestamptz) is
    'Opens/resolves queue_long (per council), refund_rate (from refund_rate_7d) and cron_stale from current data. Server only.';

create or replace function public.refresh_money_alerts(p_now timestamptz default now())
    returns void
    language sql
    volatile
    security definer
    set search_path = ''
as
$$
select public.refresh_payment_red_alerts(p_now);
select public.refresh_operations_alerts(p_now);
$$;

comment on function public.refresh_money_alerts(timestamptz) is
    'Opens/resolves orphaned_charge, webhook_failures, queue_long, refund_rate and cron_stale alerts from current data (both halves). Server only.';

/**
  * -------------------------------------------------------
  * Section - The one refresh
  * -------------------------------------------------------
 */
create or replace function public.refresh_alerts(p_scope text default 'all', p_now timestamptz default now())
    returns jsonb
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
begin
    if p_scope not in ('red', 'all') then
        raise exception 'scope must be red or all, got %', p_scope using errcode = '22023';
    end if;
    -- RED rules: every 30 s. zai_down, orphaned charges, webhook failures, database slow.
    -- (cron_failed opens and resolves with the job's own run: runner.ts.)
    perform public.refresh_ai_alerts(p_now);
    perform public.refresh_payment_red_alerts(p_now);
    perform public.refresh_db_alert(p_now);
    if p_scope = 'all' then
        perform public.refresh_operations_alerts(p_now);
        perform public.refresh_ai_budget_alert(p_now); -- migration 1950
    end if;
    return (select jsonb_build_object(
        'scope', p_scope,
        'open_red', count(*) filter (where a.severity = 'RED'),
        'open_yellow', count(*) filter (where a.severity = 'YELLOW'))
        from public.alerts a where a.resolved_at is null);
end
$$;

comment on function public.refresh_alerts(text, timestamptz) is
    'Evaluates the alert rules of spec 1.2: scope red (every 30 s) or all (every minute). Called by the alerts-refresh function. Server only.';

revoke all on function public.record_db_probe(numeric, boolean, text, timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.refresh_db_alert(timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.refresh_payment_red_alerts(timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.refresh_operations_alerts(timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.refresh_money_alerts(timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.refresh_alerts(text, timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.refund_rate_7d(timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.record_db_probe(numeric, boolean, text, timestamptz) to service_role;
grant execute on function public.refresh_db_alert(timestamptz) to service_role;
grant execute on function public.refresh_payment_red_alerts(timestamptz) to service_role;
grant execute on function public.refresh_operations_alerts(timestamptz) to service_role;
grant execute on function public.refresh_money_alerts(timestamptz) to service_role;
grant execute on function public.refresh_alerts(text, timestamptz) to service_role;
grant execute on function public.refund_rate_7d(timestamptz) to service_role;
