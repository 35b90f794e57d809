// Fixes for a payment: playbook 2's activation of a paid charge, and
// reconciliation's "recorded here, never taken by Stripe".
import { activateOrphanedPayment, markPaymentFailed } from '../../../../../shared/commands/payments.ts';
import { formatAud } from '../../../../../shared/money.ts';
import type { Handler, Handlers } from '../operator/command.ts';
import { Refusal } from '../operator/versioned.ts';

/** Playbook 2: an orphaned payment, or a waiting one a free slot is for, activated now (never a queue jump: migration 2900). */
const activateOrphan: Handler<typeof activateOrphanedPayment.type> = async (ctx, c) => {
  const [row] = await ctx.tx<{ r: { outcome: string; reason?: string; placement_id?: string; featured_until?: string } }[]>`
    select public.activate_paid_payment(${c.payload.paymentId}, ${ctx.operatorId}, ${ctx.now}) as r`;
  if (row!.r.outcome !== 'applied') throw new Refusal({ kind: 'refused', reason: row!.r.reason ?? 'not activated' });
  return { subjectType: 'payment', subjectId: c.payload.paymentId, before: { placement: null }, after: row!.r, details: row!.r };
};

/**
 * Reconciliation's fix for a payment recorded as succeeded that Stripe never
 * took (spec 2.3: "charge failed but recorded"): asked of Stripe first, so a
 * payment Stripe did take is never marked failed. Its placement ends (or its
 * queue entry leaves the queue), the slot goes to the next in line, audited.
 */
const paymentMarkFailed: Handler<typeof markPaymentFailed.type> = async (ctx, c) => {
  const [p] = await ctx.tx<{ id: string; status: string; council_id: string; amount_cents: number; charge: string | null; intent: string | null }[]>`
    select id, status, council_id, amount_cents, stripe_charge_id as charge, stripe_payment_intent_id as intent
    from public.payment_audit where id = ${c.payload.paymentId} for update`;
  if (!p) throw new Refusal({ kind: 'not_found', reason: `payment ${c.payload.paymentId} does not exist` });
  if (p.status !== 'succeeded') throw new Refusal({ kind: 'refused', reason: `the payment is ${p.status}; only a succeeded payment can be marked failed` });
  const stripeSays = async (): Promise<string | null> => {
    try {
      if (p.charge) return (await ctx.stripe.charges.retrieve(p.charge)).status;
      if (p.intent) return (await ctx.stripe.paymentIntents.retrieve(p.intent)).status;
      return null;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return null; // Stripe has no such charge
      throw err;
    }
  };
  const status = await stripeSays();
  if (status === 'succeeded') {
    throw new Refusal({
      kind: 'refused',
      reason: `Stripe shows ${p.charge ?? p.intent} succeeded (${formatAud(p.amount_cents)}): the payment did not fail, so it is not marked`,
    });
  }
  // The money and queue writes are one SQL function (migration 3200): the payment marked, its placement ended or its queue entry left, the slot to the next in line.
  const [row] = await ctx.tx<{ r: { outcome: string; reason?: string; placement_ended?: boolean; left_queue?: boolean } }[]>`
    select public.mark_payment_failed(${p.id}, ${status}, ${ctx.now}) as r`;
  const r = row!.r;
  if (r.outcome === 'not_found') throw new Refusal({ kind: 'not_found', reason: r.reason ?? `payment ${p.id} does not exist` });
  if (r.outcome !== 'applied') throw new Refusal({ kind: 'refused', reason: r.reason ?? 'not marked failed' });
  return {
    subjectType: 'payment',
    subjectId: p.id,
    before: { status: 'succeeded' },
    after: { status: 'failed' },
    details: { stripe: status ?? 'no such charge', placementEnded: r.placement_ended === true, leftQueue: r.left_queue === true },
  };
};

export const paymentHandlers: Handlers<(typeof activateOrphanedPayment | typeof markPaymentFailed)['type']> = {
  [activateOrphanedPayment.type]: activateOrphan,
  [markPaymentFailed.type]: paymentMarkFailed,
};
