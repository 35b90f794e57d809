// The refund decision service: the operator's approve or deny, applied once.
// The request row is locked for the whole decision, Stripe is asked for the
// refund with the decision id as the idempotency key, and the database
// changes (public.apply_refund_decision) commit in the same transaction. A
// repeated decision finds the request decided and calls Stripe no more; a
// retry after a crash between Stripe and commit gets the same refund back
// from Stripe's idempotency and applies it.
import type { TransactionSql } from 'postgres';
import type { Sql } from '../db.ts';
import type { Stripe } from '../stripe.ts';

export interface RefundDecision {
  requestId: string;
  decision: 'approve' | 'deny';
  operatorId: string;
  /** The operator command's id: one decision, one Stripe refund. */
  decisionId: string;
  note?: string | null;
}

export interface DecisionResult {
  outcome: 'applied' | 'already_decided' | 'rejected';
  status?: string;
  reason?: string;
  stripe_refund_id?: string | null;
  decided_by?: string;
  decided_at?: string;
}

interface RequestRow {
  status: string;
  eligible: boolean;
  hours_after_purchase: string;
  window_hours: string;
  amount_cents: number;
  stripe_payment_intent_id: string | null;
  stripe_charge_id: string | null;
}

export function refundIdempotencyKey(decisionId: string): string {
  return `refund-decision-${decisionId}`;
}

export async function decideRefund(deps: { sql: Sql; stripe: Stripe; now?: () => Date }, d: RefundDecision): Promise<DecisionResult> {
  const now = deps.now ?? (() => new Date());
  return (await deps.sql.begin((tx) => decideRefundWithin(tx, deps.stripe, d, now()))) as DecisionResult;
}

/**
 * The same decision inside a transaction the caller owns (the operator
 * API's push applies a whole batch in one), so the decision and the record
 * of the command that made it commit together.
 */
export async function decideRefundWithin(tx: TransactionSql, stripe: Stripe, d: RefundDecision, now: Date): Promise<DecisionResult> {
  const [request] = await tx<RequestRow[]>`
    select rr.status, e.eligible, e.hours_after_purchase, e.window_hours, e.amount_cents,
           pa.stripe_payment_intent_id, pa.stripe_charge_id
    from public.refund_requests rr
    join public.payment_audit pa on pa.id = rr.payment_id
    cross join lateral public.refund_eligibility(rr.id) e
    where rr.id = ${d.requestId}
    for update of rr`;
  let refundId: string | null = null;
  if (request && request.status === 'pending' && d.decision === 'approve' && request.eligible) {
    const target = request.stripe_payment_intent_id ? { payment_intent: request.stripe_payment_intent_id } : { charge: request.stripe_charge_id ?? undefined };
    const refund = await stripe.refunds.create(
      { ...target, amount: request.amount_cents, reason: 'requested_by_customer', metadata: { refund_request_id: d.requestId, decision_id: d.decisionId } },
      { idempotencyKey: refundIdempotencyKey(d.decisionId) },
    );
    refundId = refund.id;
  }
  // Not found, decided, ineligible and deny are all judged by the SQL rule.
  const [row] = await tx<{ r: DecisionResult }[]>`
    select public.apply_refund_decision(${d.requestId}, ${d.decision}, ${d.operatorId}, ${d.decisionId}, ${refundId},
                                        ${d.note ?? null}, ${now}) as r`;
  return row!.r;
}
