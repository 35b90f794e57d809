/**
  * -------------------------------------------------------
  * Dog Trainers Directory: refund decisions
  * -------------------------------------------------------
  * Policy (hard, no exceptions, no operator override): a refund is approved
  * only when the trainer asked within refund_window_hours (72) of paying,
  * measured from payment_audit.paid_at to the server-stamped
  * refund_requests.requested_at. The decision time does not matter, so a
  * request made at hour 71 and decided in next Thursday's batch is still
  * fair. Full amount only.
  * The refund decision service (TypeScript) locks the request, calls Stripe
  * with the decision id as idempotency key, then applies the decision here
  * in the same transaction; a repeated decision finds it already applied.
 */

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
cross join (select coalesce(public.setting_numeric('refund_window_hours'), 72) as hours) w
where rr.id = p_request_id
$$;

comment on function public.refund_eligibility(uuid) is
    'Whether a refund request is inside the refund window: requested_at no later than paid_at + refund_window_hours.';

create or replace function public.apply_refund_decision(
    p_request_id       uuid,
    p_decision         text,
    p_operator_id      uuid,
    p_decision_id      uuid,
    p_stripe_refund_id text,
    p_note             text default null,
    p_now              timestamptz default now()
)
    returns jsonb
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_request  public.refund_requests;
    v_payment  public.payment_audit;
    v_rule     record;
    v_contact  record;
    v_days     integer;
begin
    if p_decision not in ('approve', 'deny') then
        raise exception 'decision must be approve or deny, got %', p_decision using errcode = '22023';
    end if;
    select * into v_request from public.refund_requests rr where rr.id = p_request_id for update;
    if v_request.id is null then
        return jsonb_build_object('outcome', 'rejected', 'reason', format('refund request %s does not exist', p_request_id));
    end if;
    if v_request.status <> 'pending' then
        return jsonb_build_object('outcome', 'already_decided', 'status', v_request.status,
                                  'decided_by', v_request.decided_by, 'decided_at', v_request.decided_at);
    end if;
    select * into v_payment from public.payment_audit pa where pa.id = v_request.payment_id;
    select * into v_rule from public.refund_eligibility(p_request_id);
    select * into v_contact from public.business_contact(v_request.business_id);

    if p_decision = 'approve' then
        if not v_rule.eligible then
            return jsonb_build_object('outcome', 'rejected', 'reason',
                format('refund window is %s hours; this request came %s hours after purchase, so it can only be denied',
                       v_rule.window_hours, v_rule.hours_after_purchase));
        end if;
        if p_stripe_refund_id is null then
            raise exception 'approving needs the Stripe refund id' using errcode = '22023';
        end if;
        perform public.record_refund(v_payment.business_id, v_payment.amount_cents, v_payment.currency, v_payment.paid_at,
                                     p_now, v_payment.stripe_payment_intent_id, v_payment.stripe_charge_id,
                                     p_stripe_refund_id, p_now, p_now);
        update public.refund_requests rr
        set status = 'approved', decided_by = p_operator_id, decided_at = p_now, decision_note = p_note
        where rr.id = p_request_id;
        perform public.queue_email(v_contact.email, 'refund_approved',
            jsonb_build_object('name', v_contact.name, 'business', v_contact.business, 'amount_cents', v_payment.amount_cents),
            'refund_approved:' || p_request_id);
    else
        v_days := floor(extract(epoch from (p_now - v_payment.paid_at)) / 86400);
        update public.refund_requests rr
        set status = 'denied', decided_by = p_operator_id, decided_at = p_now, decision_note = p_note
        where rr.id = p_request_id;
        perform public.queue_email(v_contact.email, 'refund_denied',
            jsonb_build_object('name', v_contact.name, 'business', v_contact.business, 'purchased_at', v_payment.paid_at,
                               'days_elapsed', v_days, 'window_days', round(v_rule.window_hours / 24)),
            'refund_denied:' || p_request_id);
    end if;

    perform public.audit(p_operator_id, 'operator', 'refund.' || case p_decision when 'approve' then 'approved' else 'denied' end,
                         'refund_request', p_request_id::text,
                         case when p_decision = 'approve' then -v_payment.amount_cents end,
                         jsonb_build_object('decision_id', p_decision_id, 'payment_id', v_payment.id,
                                            'stripe_refund_id', p_stripe_refund_id, 'note', p_note,
                                            'hours_after_purchase', v_rule.hours_after_purchase));
    return jsonb_build_object('outcome', 'applied', 'status', case p_decision when 'approve' then 'approved' else 'denied' end,
                              'stripe_refund_id', p_stripe_refund_id);
end
$$;

comment on function public.apply_refund_decision(uuid, text, uuid, uuid, text, text, timestamptz) is
    'Applies an operator''s refund decision once: approve (inside the window, after the Stripe refund) or deny, with the trainer email and audit entry. Server only.';

revoke all on function public.refund_eligibility(uuid) from public, anon, authenticated, service_role;
revoke all on function public.apply_refund_decision(uuid, text, uuid, uuid, text, text, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.refund_eligibility(uuid) to service_role;
grant execute on function public.apply_refund_decision(uuid, text, uuid, uuid, text, text, timestamptz) to service_role;
