/**
  * -------------------------------------------------------
  * Dog Trainers Directory: recording Stripe payments and refunds
  * -------------------------------------------------------
  * Called by the stripe-webhook function and by the missed-webhook sweep with
  * what a Stripe event says. Idempotent: a purchase produces several events
  * (checkout.session.completed, payment_intent.succeeded, charge.succeeded),
  * each may arrive several times, concurrently, or out of order, and the
  * result is still one payment_audit row and one placement or queue entry.
  * States only move forward: pending → succeeded → refunded.
 */

create or replace function public.find_payment(p_payment_intent_id text, p_charge_id text, p_checkout_session_id text)
    returns uuid
    language sql
    stable
    set search_path = ''
as
$$
select pa.id from public.payment_audit pa
where (p_payment_intent_id is not null and pa.stripe_payment_intent_id = p_payment_intent_id)
   or (p_charge_id is not null and pa.stripe_charge_id = p_charge_id)
   or (p_checkout_session_id is not null and pa.stripe_checkout_session_id = p_checkout_session_id)
order by pa.created_at
limit 1
$$;

comment on function public.find_payment(text, text, text) is 'The payment_audit row any of the Stripe ids belongs to.';

/**
  * -------------------------------------------------------
  * Section - Succeeded payment
  * -------------------------------------------------------
 */
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
    v_council   text;
    v_payment   public.payment_audit;
    v_queue_id  uuid;
    v_placement uuid;
    v_position  record;
    v_contact   record;
begin
    select b.council_id into v_council from public.businesses b where b.id = p_business_id;
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
        if exists (select 1 from public.featured_queue q where q.payment_id = v_payment.id)
           or exists (select 1 from public.featured_placements fp where fp.payment_id = v_payment.id) then
            return jsonb_build_object('outcome', 'already_recorded', 'payment_id', v_payment.id);
        end if;
    end if;

    -- Every purchase enters through the queue, so nobody is placed ahead of
    -- someone who paid earlier and is still waiting.
    insert into public.featured_queue (business_id, council_id, payment_id, paid_at)
    values (p_business_id, v_council, v_payment.id, v_payment.paid_at)
    returning id into v_queue_id;
    perform public.promote_from_queue(array[v_council], p_now);

    select q.placement_id into v_placement from public.featured_queue q where q.id = v_queue_id;
    if v_placement is not null then
        return jsonb_build_object('outcome', 'placed', 'payment_id', v_payment.id, 'placement_id', v_placement);
    end if;

    select * into v_position from public.queue_position(v_payment.id);
    select * into v_contact from public.business_contact(p_business_id);
    perform public.queue_email(v_contact.email, 'featured_queued',
        jsonb_build_object('name', v_contact.name, 'business', v_contact.business, 'council', v_contact.council,
                           'amount_cents', v_payment.amount_cents, 'position', v_position.queue_position,
                           'eta', v_position.eta,
                           'slots', coalesce(public.setting_numeric('featured_slots_per_council'), 5)),
        'featured_queued:' || v_payment.id);
    return jsonb_build_object('outcome', 'queued', 'payment_id', v_payment.id, 'queue_id', v_queue_id,
                              'position', v_position.queue_position);
end
$$;

comment on function public.record_payment_succeeded(uuid, integer, text, timestamptz, text, text, text, timestamptz, timestamptz) is
    'Records a succeeded featured purchase once (by any of its Stripe ids) and places or queues it FIFO. Server only.';

/**
  * -------------------------------------------------------
  * Section - Refund
  * -------------------------------------------------------
  * From a charge.refunded event or an approved refund decision. A refund
  * that arrives before its purchase records the payment as refunded, so the
  * purchase event, when it comes, finds it refunded and places nothing.
 */
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
      and pa.refunded_at > p_now - make_interval(days => coalesce(public.setting_numeric('refund_abuse_window_days'), 7)::integer);
    if v_owner is not null and v_refunds >= coalesce(public.setting_numeric('refund_abuse_limit'), 3) then
        update public.profiles p
        set account_status = 'flagged_for_review', flagged_at = coalesce(p.flagged_at, p_now),
            flagged_reason = coalesce(p.flagged_reason, format('%s refunds in %s days, possible abuse', v_refunds,
                                      coalesce(public.setting_numeric('refund_abuse_window_days'), 7)))
        where p.id = v_owner and p.account_status <> 'flagged_for_review';
        perform public.open_alert('YELLOW', 'refund_abuse', v_owner::text,
            format('Trainer %s has had %s refunds in %s days; featured purchases are blocked until reviewed',
                   (select coalesce(p.display_name, p.email, v_owner::text) from public.profiles p where p.id = v_owner),
                   v_refunds, coalesce(public.setting_numeric('refund_abuse_window_days'), 7)),
            jsonb_build_object('owner_id', v_owner, 'refunds', v_refunds), p_now);
    end if;

    return jsonb_build_object('outcome', 'refunded', 'payment_id', v_payment.id);
end
$$;

comment on function public.record_refund(uuid, integer, text, timestamptz, timestamptz, text, text, text, timestamptz, timestamptz) is
    'Records a refund once: payment and placement refunded, queue entry cancelled, slot freed and queue promoted, abuse guard applied. Server only.';

revoke all on function public.lock_council_slots(text) from public, anon, authenticated, service_role;
revoke all on function public.promote_from_queue(text[], timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.queue_position(uuid) from public, anon, authenticated, service_role;
revoke all on function public.find_payment(text, text, text) from public, anon, authenticated, service_role;
revoke all on function public.record_payment_succeeded(uuid, integer, text, timestamptz, text, text, text, timestamptz, timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.record_refund(uuid, integer, text, timestamptz, timestamptz, text, text, text, timestamptz, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.lock_council_slots(text) to service_role;
grant execute on function public.promote_from_queue(text[], timestamptz) to service_role;
grant execute on function public.queue_position(uuid) to service_role;
grant execute on function public.find_payment(text, text, text) to service_role;
grant execute on function public.record_payment_succeeded(uuid, integer, text, timestamptz, text, text, text, timestamptz, timestamptz) to service_role;
grant execute on function public.record_refund(uuid, integer, text, timestamptz, timestamptz, text, text, text, timestamptz, timestamptz) to service_role;
