/**
  * Dog Trainers Directory: one refund rate
  *
  * "Refund rate (7 days)" was computed twice, two ways: the alert divided
  * refunds made in the last 7 days by purchases made in them; the
  * dashboard's metric divided, among purchases made in the last 7 days, the
  * refunded ones by all of them. The two could disagree (a purchase from 8
  * days ago refunded today counted for the alert only), so the dashboard
  * could say 0 % beside a refund-rate alert. One definition now, the
  * alert's (spec 1.2: refunds this week against purchases this week), in
  * refund_rate_7d; the alert and the operator's pull both read it.
  */

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

revoke all on function public.refund_rate_7d(timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.refund_rate_7d(timestamptz) to service_role;
