// Refund requests (spec 2.2) from the cache, decided by the policy the
// server states on each (one by one, or all the pending ones at once); and
// playbook 5's refund pattern (online only).
import type { RefundItem } from '../../../shared/api/operator.ts';
import { approveRefund, denyRefund } from '../../../shared/commands/refunds.ts';
import type { refundsMethods } from '../../../shared/ipc/methods.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import type { Freeze, RefundDecision, RefundPolicyLeftOut, RefundPolicyOutcome, RefundPolicyPreview } from '../../../shared/ipc/views.ts';
import { formatAud } from '../../../shared/money.ts';
import { freezesByBusiness } from './escalations.ts';
import { mustGet, parseRows, withDecisions, type HandlerContext, type HandlersFor, type ListFilter } from './context.ts';

const byPurchase = (a: RefundItem, b: RefundItem) => ((a.paidAt ?? a.requestedAt) < (b.paidAt ?? b.requestedAt) ? -1 : 1);

/** The one decision the server's policy allows for a request: approve inside the window, deny outside it. */
export const policyOutcome = (r: Pick<RefundItem, 'eligible'>): RefundDecision['kind'] => (r.eligible ? 'approve' : 'deny');

/** Why a frozen business's refund cannot be decided, in the words the server refuses it with. */
const frozenSentence = (freeze: Freeze) =>
  `Frozen by the legal escalation "${freeze.subject}": refund decisions for ${freeze.businessName} wait for legal guidance. Close the escalation to lift the freeze.`;

const outcomeOf = (r: RefundItem): RefundPolicyOutcome => ({
  refundId: r.id,
  businessId: r.businessId,
  businessName: r.businessName,
  amountCents: r.amountCents,
  outcome: policyOutcome(r),
  policy: r.policy,
  email: r.email ?? null,
});

export function createRefundsHandlers(ctx: HandlerContext) {
  const { store, desk } = ctx;
  const queueDecision = (refund: RefundItem, kind: RefundDecision['kind'], note?: string) => {
    const payload = { refundRequestId: refund.id, businessId: refund.businessId, ...(note ? { note } : {}) };
    return desk.queue(kind === 'approve' ? approveRefund : denyRefund, payload, refund.version);
  };
  const pendingRefunds = () => parseRows<RefundItem>(store.items('refund', 'pending')).sort(byPurchase);

  /** Every pending request split into what the policy would decide now and what it leaves alone (decided here, or frozen). */
  const previewRefundPolicy = (): RefundPolicyPreview => {
    const frozen = freezesByBusiness(ctx);
    const local = desk.decisions();
    const decide: RefundPolicyOutcome[] = [];
    const leftOut: RefundPolicyLeftOut[] = [];
    for (const r of pendingRefunds()) {
      const localDecision = local.get(r.id) ?? null;
      const freeze = frozen.get(r.businessId) ?? null;
      if (localDecision) {
        const reason = `Already ${localDecision.words} here, waiting to sync${localDecision.state === 'pending' ? ' (undo it on its card to decide again)' : ''}.`;
        leftOut.push({ ...outcomeOf(r), why: 'decided', reason, freeze, localDecision });
      } else if (freeze) leftOut.push({ ...outcomeOf(r), why: 'frozen', reason: frozenSentence(freeze), freeze, localDecision });
      else decide.push(outcomeOf(r));
    }
    const approved = decide.filter((o) => o.outcome === 'approve');
    return {
      count: decide.length,
      approvals: approved.length,
      denials: decide.length - approved.length,
      approvedCents: approved.reduce((sum, o) => sum + o.amountCents, 0),
      decide,
      leftOut,
    };
  };

  return {
    refunds: (f?: ListFilter) => {
      const frozen = freezesByBusiness(ctx);
      const items = parseRows<RefundItem>(store.items('refund', f?.status === 'all' ? undefined : 'pending')).sort(byPurchase);
      return withDecisions(ctx, items).map((r) => ({ ...r, freeze: frozen.get(r.businessId) ?? null }));
    },
    decideRefund: (refundId, decision) => {
      const refund = mustGet<RefundItem>(ctx, 'refund', refundId, 'refund request');
      // The policy holds both ways (the server refuses the same, in the same words): refused now, not a week later as a verdict.
      if (decision.kind !== policyOutcome(refund)) throw new ConsoleError('refused', refund.policy);
      // Spec Part 7: the server refuses it while the legal escalation is open; said now, as the last pull knows it.
      const freeze = freezesByBusiness(ctx).get(refund.businessId);
      if (freeze) throw new ConsoleError('refused', frozenSentence(freeze));
      return queueDecision(refund, decision.kind, decision.note);
    },
    previewRefundPolicy,
    applyRefundPolicy: (choices) =>
      // All or nothing: every request is checked against the cache as it stands before one command is queued.
      store.db.transaction(() => {
        const frozen = freezesByBusiness(ctx);
        const local = desk.decisions();
        const problems: string[] = [];
        const refunds: RefundItem[] = [];
        const seen = new Set<string>();
        for (const { id, outcome } of choices) {
          const row = store.item('refund', id);
          const r = row ? (JSON.parse(row.data) as RefundItem) : null;
          const who = r ? `${r.businessName} (${formatAud(r.amountCents)})` : `Refund request ${id}`;
          if (seen.has(id)) problems.push(`${who} is listed twice.`);
          else if (!r) problems.push(`${who} is no longer in the local cache.`);
          else if (r.status !== 'pending') problems.push(`${who} is already ${r.status}${r.decidedByName ? ` by ${r.decidedByName}` : ''}.`);
          else if (local.has(id)) problems.push(`${who} already has a decision waiting to sync here.`);
          else if (frozen.has(r.businessId)) problems.push(`${who}: ${frozenSentence(frozen.get(r.businessId)!)}`);
          else if (policyOutcome(r) !== outcome)
            problems.push(`${who} is now to be ${r.eligible ? 'approved' : 'denied'}, not ${outcome === 'approve' ? 'approved' : 'denied'}: ${r.policy}`);
          else refunds.push(r);
          seen.add(id);
        }
        if (problems.length) {
          throw new ConsoleError('refused', `Nothing was decided: the requests changed since the preview. ${problems.join(' ')} Open the preview again.`);
        }
        return refunds.map((r) => queueDecision(r, policyOutcome(r)));
      })(),
    refundPattern: () => ctx.investigation.refundPattern(),
  } satisfies HandlersFor<typeof refundsMethods>;
}
