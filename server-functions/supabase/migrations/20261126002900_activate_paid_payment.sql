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
  *
  * Both activations start the placement the same way, so that step is one
  * function, start_placement (the 30 days from now and the trainer's
  * activation email); activate_orphaned_payment is redefined on it, its
  * behaviour unchanged. The promoter places set-wise on its own.
 */
/** A paid purchase's placement, featured_days (30) from now, and the trainer's activation email. */
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
    o_until := p_now + make_interval(days => coalesce(public.setting_numeric('featured_days'), 30)::integer);
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
comment on function public.start_placement(public.payment_audit, timestamptz) is
    'Starts a paid purchase''s placement now (featured_days long) and queues the trainer''s activation email; the operator''s activations share it. Server only.';
revoke all on function public.start_placement(public.payment_audit, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.start_placement(public.payment_audit, timestamptz) to service_role;

/** The operator's fix for an orphaned charge (migration 1300), now on start_placement; same checks, audit and alert. */
create or replace function public.activate_orphaned_payment(p_payment_id uuid, p_operator_id uuid, p_now timestamptz default now())
    returns jsonb
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_payment public.payment_audit;
    v_started record;
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
    select * into v_started from public.start_placement(v_payment, p_now);
    update public.payment_audit pa
    set notes = concat_ws(E'\n', pa.notes, format('Webhook missed; placement activated by operator on %s', p_now))
    where pa.id = v_payment.id;
    perform public.audit(p_operator_id, 'operator', 'payment.orphan_activated', 'payment', v_payment.id::text,
                         v_payment.amount_cents, jsonb_build_object('placement_id', v_started.o_placement, 'featured_until', v_started.o_until));
    perform public.resolve_alert('orphaned_charge', v_payment.id::text, p_now);
    return jsonb_build_object('outcome', 'applied', 'placement_id', v_started.o_placement, 'featured_until', v_started.o_until);
end
$$;

create or replace function public.activate_paid_payment(p_payment_id uuid, p_operator_id uuid, p_now timestamptz default now())
    returns jsonb
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_payment  public.payment_audit;
    v_queue    public.featured_queue;
    v_position record;
    v_started  record;
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

    select * into v_started from public.start_placement(v_payment, p_now);
    update public.featured_queue q set promoted_at = p_now, placement_id = v_started.o_placement where q.id = v_queue.id;
    perform public.audit(p_operator_id, 'operator', 'payment.placement_activated', 'payment', v_payment.id::text,
                         v_payment.amount_cents, jsonb_build_object('placement_id', v_started.o_placement, 'featured_until', v_started.o_until, 'from_queue', true));
    return jsonb_build_object('outcome', 'applied', 'placement_id', v_started.o_placement, 'featured_until', v_started.o_until);
end
$$;
comment on function public.activate_paid_payment(uuid, uuid, timestamptz) is
    'Playbook 2: activates an orphaned payment, or a waiting one a free slot is for (queue position 0), now; refuses a queue jump. Audited, trainer emailed. Server only.';
revoke all on function public.activate_paid_payment(uuid, uuid, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.activate_paid_payment(uuid, uuid, timestamptz) to service_role;
