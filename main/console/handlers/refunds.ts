// Refund requests (spec 2.2) from the cache, decided by the policy the
// server states on each; and playbook 5's refund pattern (online only).
import type { RefundItem } from '../../../shared/api/operator.ts';
import { approveRefund, denyRefund } from '../../../shared/commands/refunds.ts';
import type { refundsMethods } from '../../../shared/ipc/methods.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import { freezesByBusiness } from './escalations.ts';
import { mustGet, parseRows, withDecisions, type HandlerContext, type HandlersFor, type ListFilter } from './context.ts';

const byPurchase = (a: RefundItem, b: RefundItem) => ((a.paidAt ?? a.requestedAt) < (b.paidAt ?? b.requestedAt) ? -1 : 1);

export function createRefundsHandlers(ctx: HandlerContext) {
  const { store, desk } = ctx;
  return {
    refunds: (f?: ListFilter) => {
      const frozen = freezesByBusiness(ctx);
      const items = parseRows<RefundItem>(store.items('refund', f?.status === 'all' ? undefined : 'pending')).sort(byPurchase);
      return withDecisions(ctx, items).map((r) => ({ ...r, freeze: frozen.get(r.businessId) ?? null }));
    },
    decideRefund: (refundId, decision) => {
      const refund = mustGet<RefundItem>(ctx, 'refund', refundId, 'refund request');
      // The policy holds both ways (the server refuses the same, in the same words): refused now, not a week later as a verdict.
      if ((decision.kind === 'approve') !== refund.eligible) throw new ConsoleError('refused', refund.policy);
      // Spec Part 7: the server refuses it while the legal escalation is open; said now, as the last pull knows it.
      const freeze = freezesByBusiness(ctx).get(refund.businessId);
      if (freeze) {
        throw new ConsoleError(
          'refused',
          `Frozen by the legal escalation "${freeze.subject}": refund decisions for ${freeze.businessName} wait for legal guidance. Close the escalation to lift the freeze.`,
        );
      }
      const payload = { refundRequestId: refund.id, businessId: refund.businessId, ...(decision.note ? { note: decision.note } : {}) };
      return desk.queue(decision.kind === 'approve' ? approveRefund : denyRefund, payload, refund.version);
    },
    refundPattern: () => ctx.investigation.refundPattern(),
  } satisfies HandlersFor<typeof refundsMethods>;
}
