// Refund decisions as commands: the version the operator saw, then the
// decision through decideRefundWithin (Stripe, payment, placement, email).
import type { Command } from '../../../../../shared/api/operator.ts';
import { approveRefund, denyRefund } from '../../../../../shared/commands/refunds.ts';
import type { Applied, CommandContext, Handlers } from '../operator/command.ts';
import { checkVersioned, Refusal, type VersionedRow } from '../operator/versioned.ts';
import { decideRefundWithin } from './decide.ts';

async function refundDecision(
  ctx: CommandContext,
  c: Command<(typeof approveRefund | typeof denyRefund)['type']>,
  decision: 'approve' | 'deny',
): Promise<Applied> {
  const { refundRequestId: id, businessId } = c.payload;
  const [row] = await ctx.tx<(VersionedRow & { amount_cents: number })[]>`
    select rr.id, rr.business_id, rr.status, rr.version, rr.decided_by, p.display_name as decided_by_name, rr.decided_at,
           pa.amount_cents
    from public.refund_requests rr
    join public.payment_audit pa on pa.id = rr.payment_id
    left join public.profiles p on p.id = rr.decided_by
    where rr.id = ${id} for update of rr`;
  const before = checkVersioned('refund request', row, id, businessId, c.baseVersion);
  const result = await decideRefundWithin(
    ctx.tx,
    ctx.stripe,
    { requestId: id, decision, operatorId: ctx.operatorId, decisionId: c.id, note: c.payload.note ?? null },
    ctx.now,
  );
  if (result.outcome !== 'applied') throw new Refusal({ kind: 'refused', reason: result.reason ?? `refund request is ${result.status}` });
  return {
    subjectType: 'refund_request',
    subjectId: id,
    before: { status: before.status, version: before.version },
    after: { status: result.status, stripe_refund_id: result.stripe_refund_id ?? null },
    amountCents: decision === 'approve' ? -row!.amount_cents : null,
    details: { stripeRefundId: result.stripe_refund_id ?? null, amountCents: row!.amount_cents },
  };
}

export const refundHandlers: Handlers<(typeof approveRefund | typeof denyRefund)['type']> = {
  [approveRefund.type]: (ctx, c) => refundDecision(ctx, c, 'approve'),
  [denyRefund.type]: (ctx, c) => refundDecision(ctx, c, 'deny'),
};
