/**
  * -------------------------------------------------------
  * Dog Trainers Directory: the daily job and money alerts
  * -------------------------------------------------------
  * featured-expiry-and-promotion (2:00 AM Australia/Melbourne): expire
  * placements whose period has ended, then promote every council's queue.
  * One transaction holding the locks of every council it touches (taken in
  * id order, the same order purchases lock one council), so two runs at once
  * serialise and the second finds nothing left to do: never a sixth active
  * slot, never a skipped or doubled promotion. A failure rolls back whole.
 */
create or replace function public.expire_and_promote(p_now timestamptz default now())
    returns jsonb
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_councils text[];
    v_expired  integer;
    v_promoted integer;
begin
    select coalesce(array_agg(c.id order by c.id), '{}') into v_councils from public.councils c;
    perform public.lock_council_slots(c) from unnest(v_councils) as c;

    update public.featured_placements fp
    set status = 'expired'
    where fp.status = 'active' and fp.featured_until <= p_now;
    get diagnostics v_expired = row_count;

    v_promoted := public.promote_from_queue(null, p_now);

    perform public.audit(null, 'system', 'featured.expiry_and_promotion', 'job', 'featured-expiry-and-promotion', null,
                         jsonb_build_object('expired', v_expired, 'promoted', v_promoted, 'at', p_now));
    return jsonb_build_object('expired', v_expired, 'promoted', v_promoted, 'councils', cardinality(v_councils));
end
$$;

comment on function public.expire_and_promote(timestamptz) is
    'The daily job: expires lapsed placements and promotes every council''s queue FIFO into free slots, atomically. Server only.';

/**
  * -------------------------------------------------------
  * Section - Orphaned charges
  * -------------------------------------------------------
  * A succeeded payment with neither a placement nor a queue entry: the
  * trainer paid and got nothing (playbook 2). RED until the operator
  * activates it or the missing event is applied.
 */
create or replace view public.orphaned_payments
    with (security_invoker = true)
as
select pa.id as payment_id, pa.business_id, pa.council_id, pa.stripe_charge_id, pa.stripe_payment_intent_id,
       pa.amount_cents, pa.paid_at
from public.payment_audit pa
where pa.status = 'succeeded'
  and not exists (select 1 from public.featured_placements fp where fp.payment_id = pa.id)
  and not exists (select 1 from public.featured_queue q where q.payment_id = pa.id);

comment on view public.orphaned_payments is 'Succeeded payments with no placement and no queue entry (paid, got nothing).';
revoke all on public.orphaned_payments from public, anon, authenticated, service_role;
grant select on public.orphaned_payments to authenticated, service_role;

/** The operator's fix for an orphaned charge: a placement for it now, 30 days, audited. */
create or replace function public.activate_orphaned_payment(p_payment_id uuid, p_operator_id uuid, p_now timestamptz default now())
    returns jsonb
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_payment   public.payment_audit;
    v_placement uuid;
    v_until     timestamptz := p_now + make_interval(days => coalesce(public.setting_numeric('featured_days'), 30)::integer);
    v_contact   record;
begin
    select * into v_payment from public.payment_audit pa where pa.id = p_payment_id;
    if v_payment.id is null then
        return jsonb_build_object('outcome', 'rejected', 'reason', format('payment %s does not exist', p_payment_id));
    end if;
    perform public.lock_council_slots(v_payment.council_id);
    if not exists (select 1 from public.orphaned_payments o where o.payment_id = p_payment_id) then
        return jsonb_build_object('outcome', 'rejected', 'reason',
            format('payment %s is not orphaned: it is %s or already has a placement or queue entry', p_payment_id, v_payment.status));
    end if;
    -- The trainer already waited for a slot they paid for: activate now,
    -- even if the council is full (the operator's explicit decision).
    insert into public.featured_placements (business_id, council_id, payment_id, featured_from, featured_until)
    values (v_payment.business_id, v_payment.council_id, v_payment.id, p_now, v_until)
    returning id into v_placement;
    update public.payment_audit pa
    set notes = concat_ws(E'\n', pa.notes, format('Webhook missed; placement activated by operator on %s', p_now))
    where pa.id = v_payment.id;
    perform public.audit(p_operator_id, 'operator', 'payment.orphan_activated', 'payment', v_payment.id::text,
                         v_payment.amount_cents, jsonb_build_object('placement_id', v_placement, 'featured_until', v_until));
    select * into v_contact from public.business_contact(v_payment.business_id);
    perform public.queue_email(v_contact.email, 'featured_activated',
        jsonb_build_object('name', v_contact.name, 'business', v_contact.business, 'council', v_contact.council,
                           'amount_cents', v_payment.amount_cents, 'until', v_until),
        'featured_activated:' || v_placement);
    perform public.resolve_alert('orphaned_charge', v_payment.id::text, p_now);
    return jsonb_build_object('outcome', 'applied', 'placement_id', v_placement, 'featured_until', v_until);
end
$$;

comment on function public.activate_orphaned_payment(uuid, uuid, timestamptz) is
    'Gives an orphaned succeeded payment its 30-day placement now, audited with the operator. Server only.';

/**
  * -------------------------------------------------------
  * Section - Money and job alerts
  * -------------------------------------------------------
 */
create or replace function public.refresh_money_alerts(p_now timestamptz default now())
    returns void
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    r                record;
    v_failures       integer;
    v_last_success   timestamptz;
    v_hours          numeric;
    v_purchases      integer;
    v_refunds        integer;
    v_rate           numeric;
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

    -- Refund rate over 7 days: YELLOW from the yellow threshold, the refund
    -- pattern investigation (still YELLOW, its own kind) above the red one.
    select count(*) filter (where pa.paid_at > p_now - interval '7 days'),
           count(*) filter (where pa.status = 'refunded' and pa.refunded_at > p_now - interval '7 days')
    into v_purchases, v_refunds
    from public.payment_audit pa where pa.status in ('succeeded', 'refunded');
    v_rate := case when v_purchases > 0 then round(100.0 * v_refunds / v_purchases, 1) else 0 end;
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

comment on function public.refresh_money_alerts(timestamptz) is
    'Opens/resolves orphaned_charge (RED), webhook_failures (RED), queue_long, refund_rate and cron_stale alerts from current data. Server only.';

revoke all on function public.expire_and_promote(timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.activate_orphaned_payment(uuid, uuid, timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.refresh_money_alerts(timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.expire_and_promote(timestamptz) to service_role;
grant execute on function public.activate_orphaned_payment(uuid, uuid, timestamptz) to service_role;
grant execute on function public.refresh_money_alerts(timestamptz) to service_role;
