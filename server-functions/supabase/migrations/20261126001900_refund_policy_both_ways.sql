/**
  * Dog Trainers Directory: the refund policy holds both ways, in exact words
  *
  * The policy (spec 2.2) is "within 3 days of purchase, no exceptions". Until
  * now only half of it was enforced: a late request could not be approved,
  * but an eligible one could be denied, which breaks the promise made to the
  * trainer just as surely. And the refusal said "this request came 72.0
  * hours after purchase" for a request 72 h 0 min 1 s after it, which reads
  * as inside the window.
  *
  * 1. exact_duration(interval): "72 h 0 min 1 s", whole seconds.
  * 2. refund_policy(...): the one sentence that says which decision the
  *    policy allows and why. apply_refund_decision refuses with it, the
  *    operator's pull carries it, and the console refuses and shows with it:
  *    the words are written once, here.
  * 3. apply_refund_decision: as in 20261126001400, and it refuses to deny an
  *    eligible request.
  */

create or replace function public.exact_duration(p interval)
    returns text
    language sql
    immutable
    set search_path = ''
as
$$
select format('%s h %s min %s s', floor(s / 3600)::bigint, floor(mod(s, 3600) / 60)::int, floor(mod(s, 60))::int)
from (select abs(extract(epoch from p)) as s) x
$$;

comment on function public.exact_duration(interval) is
    'A duration as the operator reads it: whole hours, minutes and seconds ("72 h 0 min 1 s").';

create or replace function public.refund_policy(
    p_eligible     boolean,
    p_requested_at timestamptz,
    p_paid_at      timestamptz,
    p_window_hours numeric
)
    returns text
    language sql
    immutable
    set search_path = ''
as
$$
select case
    when p_eligible then
        format('Requested %s after purchase, inside the %s h refund window: the policy is to refund it, so it can only be approved.',
               public.exact_duration(p_requested_at - p_paid_at), trim_scale(p_window_hours))
    else
        format('Requested %s after purchase; the refund window is %s h, so it can only be denied.',
               public.exact_duration(p_requested_at - p_paid_at), trim_scale(p_window_hours))
end
$$;

comment on function public.refund_policy(boolean, timestamptz, timestamptz, numeric) is
    'The decision the refund policy allows for a request, and why, in the words the operator reads (refusals, the console).';

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
    v_policy   text;
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
    v_policy := public.refund_policy(v_rule.eligible, v_rule.requested_at, v_rule.paid_at, v_rule.window_hours);
    select * into v_contact from public.business_contact(v_request.business_id);

    if p_decision = 'approve' then
        if not v_rule.eligible then
            return jsonb_build_object('outcome', 'rejected', 'reason', v_policy);
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
        -- Policy both ways: denying a request inside the window would override the 3-day promise.
        if v_rule.eligible then
            return jsonb_build_object('outcome', 'rejected', 'reason', v_policy);
        end if;
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
    'Applies an operator''s refund decision once: approve inside the window (after the Stripe refund), deny outside it, with the trainer email and audit entry; the other way round is refused with refund_policy''s sentence. Server only.';

revoke all on function public.exact_duration(interval) from public, anon, authenticated;
revoke all on function public.refund_policy(boolean, timestamptz, timestamptz, numeric) from public, anon, authenticated;
grant execute on function public.exact_duration(interval) to service_role;
grant execute on function public.refund_policy(boolean, timestamptz, timestamptz, numeric) to service_role;
revoke all on function public.apply_refund_decision(uuid, text, uuid, uuid, text, text, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.apply_refund_decision(uuid, text, uuid, uuid, text, text, timestamptz) to service_role;
