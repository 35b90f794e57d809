/**
  * Dog Trainers Directory: the operator activates a purchase that got nothing yet (playbook 2)
  *
  * "I paid $22 yesterday but my profile isn't featured." Since fair slots
  * (migration 2400) a payment recovered from Stripe after a missed webhook
  * joins its council's queue like any other, and the promoter places it once
  * the queue has settled (two minutes). The operator investigating the
  * complaint should not have to tell the trainer "in a few minutes": the
  * playbook ends with the placement active and the trainer emailed.
  *
  * activate_paid_payment(payment) does that, and no more than is fair:
  *   - an orphaned payment (succeeded, no placement, no queue entry) is
  *     activated now, as activate_orphaned_payment always did;
  *   - a waiting payment is activated now only when a slot is free for it
  *     (queue_position = 0: it is among the first in payment order for the
  *     free slots), since the sweep has brought in everything Stripe has;
  *   - a waiting payment with no free slot is refused with its position and
  *     ETA: activating it would jump the queue (first in, first out).
 */
create or replace function public.activate_paid_payment(p_payment_id uuid, p_operator_id uuid, p_now timestamptz default now())
    returns jsonb
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_payment   public.payment_audit;
    v_queue     public.featured_queue;
    v_position  record;
    v_placement uuid;
    v_until     timestamptz := p_now + make_interval(days => coalesce(public.setting_numeric('featured_days'), 30)::integer);
    v_contact   record;
begin
    select * into v_payment from public.payment_audit pa where pa.id = p_payment_id;
    if v_payment.id is null then
        return jsonb_build_object('outcome', 'rejected', 'reason', format('payment %s does not exist', p_payment_id));
    end if;
    perform public.lock_council_slots(v_payment.council_id);
    if exists (select 1 from public.orphaned_payments o where o.payment_id = p_payment_id) then
        return public.activate_orphaned_payment(p_payment_id, p_operator_id, p_now);
    end if;
    select * into v_queue from public.featured_queue q
    where q.payment_id = p_payment_id and q.promoted_at is null and q.cancelled_at is null;
    if v_queue.id is null then
        return jsonb_build_object('outcome', 'rejected', 'reason',
            case when exists (select 1 from public.featured_placements fp where fp.payment_id = p_payment_id and fp.status = 'active')
                 then format('payment %s already has an active placement', p_payment_id)
                 else format('payment %s is %s and has nothing waiting to activate', p_payment_id, v_payment.status) end);
    end if;
    select * into v_position from public.queue_position(p_payment_id, p_now);
    if v_position.queue_position > 0 then
        return jsonb_build_object('outcome', 'rejected', 'reason',
            format('the purchase waits at position #%s in its council''s queue (estimated start %s); activating it now would jump the queue of those who paid before it',
                   v_position.queue_position, coalesce(public.format_melbourne_date(v_position.eta), 'unknown')));
    end if;

    insert into public.featured_placements (business_id, council_id, payment_id, featured_from, featured_until)
    values (v_payment.business_id, v_payment.council_id, v_payment.id, p_now, v_until)
    returning id into v_placement;
    update public.featured_queue q set promoted_at = p_now, placement_id = v_placement where q.id = v_queue.id;
    perform public.audit(p_operator_id, 'operator', 'payment.placement_activated', 'payment', v_payment.id::text,
                         v_payment.amount_cents, jsonb_build_object('placement_id', v_placement, 'featured_until', v_until, 'from_queue', true));
    select * into v_contact from public.business_contact(v_payment.business_id);
    perform public.queue_email(v_contact.email, 'featured_activated',
        jsonb_build_object('name', v_contact.name, 'business', v_contact.business, 'council', v_contact.council,
                           'amount_cents', v_payment.amount_cents, 'until', v_until),
        'featured_activated:' || v_placement);
    return jsonb_build_object('outcome', 'applied', 'placement_id', v_placement, 'featured_until', v_until);
end
$$;
comment on function public.activate_paid_payment(uuid, uuid, timestamptz) is
    'Playbook 2: activates an orphaned payment, or a waiting one a free slot is for (queue position 0), now; refuses a queue jump. Audited, trainer emailed. Server only.';
revoke all on function public.activate_paid_payment(uuid, uuid, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.activate_paid_payment(uuid, uuid, timestamptz) to service_role;
