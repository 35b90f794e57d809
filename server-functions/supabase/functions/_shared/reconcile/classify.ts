// Payment reconciliation (spec 2.3), the comparison itself: our succeeded
// charges of a window against Stripe's, matched by charge id (then payment
// intent), totals on both sides, and each discrepancy classed with the
// spec's meaning and the fix the console offers. A pure function: the
// caller reads both sides (reconcile.ts), this decides.

/** A payment as we recorded it. */
export interface OurCharge {
  paymentId: string;
  businessId: string;
  chargeId: string | null;
  paymentIntentId: string | null;
  amountCents: number;
  currency: string;
  status: 'succeeded' | 'refunded' | 'failed' | 'pending';
  paidAt: string;
}

/** A charge as Stripe lists it (the fields we compare). */
export interface StripeCharge {
  id: string;
  paymentIntentId: string | null;
  amountCents: number;
  currency: string;
  /** succeeded, failed or pending, as Stripe says. */
  status: string;
  refunded: boolean;
  created: string;
  businessId: string | null;
}

export type DiscrepancyClass = 'missing_in_stripe' | 'missing_here' | 'amount_mismatch' | 'status_mismatch';

export interface Discrepancy {
  class: DiscrepancyClass;
  /** What it means, in the spec's words. */
  meaning: string;
  /** The fix the console offers (confirmed by the operator; nothing is changed by the run itself). */
  fix: 'mark_failed' | 'recover' | 'review';
  fixLabel: string;
  paymentId: string | null;
  businessId: string | null;
  chargeId: string | null;
  ours: { amountCents: number; currency: string; status: string } | null;
  stripe: { amountCents: number; currency: string; status: string } | null;
}

export interface Comparison {
  ourTotalCents: number;
  stripeTotalCents: number;
  ourCount: number;
  stripeCount: number;
  matched: number;
  discrepancies: Discrepancy[];
}

const MEANING: Record<DiscrepancyClass, { meaning: string; fix: Discrepancy['fix']; fixLabel: string }> = {
  missing_in_stripe: {
    meaning: 'Recorded here as paid, but Stripe has no successful charge: the charge failed but was recorded as succeeded.',
    fix: 'mark_failed',
    fixLabel: 'Mark the payment failed',
  },
  missing_here: {
    meaning: 'Stripe took the payment but we have no record of it: the webhook was missed.',
    fix: 'recover',
    fixLabel: 'Recover it (apply the missed event, then the placement)',
  },
  amount_mismatch: {
    meaning: 'Both sides have the charge, with different amounts or currencies.',
    fix: 'review',
    fixLabel: 'Review it against the Stripe Dashboard',
  },
  status_mismatch: {
    meaning: 'Refunded on one side only.',
    fix: 'review',
    fixLabel: 'Review the refund on both sides',
  },
};

/** A charge counts toward a side's total when that side says it was paid and not refunded. */
const oursPaid = (c: OurCharge) => c.status === 'succeeded';
const stripePaid = (c: StripeCharge) => c.status === 'succeeded' && !c.refunded;
const stripeStatus = (c: StripeCharge) => (c.status === 'succeeded' && c.refunded ? 'refunded' : c.status);

function discrepancy(kind: DiscrepancyClass, ours: OurCharge | null, stripe: StripeCharge | null): Discrepancy {
  return {
    class: kind,
    ...MEANING[kind],
    paymentId: ours?.paymentId ?? null,
    businessId: ours?.businessId ?? stripe?.businessId ?? null,
    chargeId: stripe?.id ?? ours?.chargeId ?? null,
    ours: ours ? { amountCents: ours.amountCents, currency: ours.currency, status: ours.status } : null,
    stripe: stripe ? { amountCents: stripe.amountCents, currency: stripe.currency, status: stripeStatus(stripe) } : null,
  };
}

export function compareCharges(ours: OurCharge[], stripe: StripeCharge[]): Comparison {
  const byCharge = new Map<string, StripeCharge>();
  const byIntent = new Map<string, StripeCharge>();
  for (const c of stripe) {
    byCharge.set(c.id, c);
    if (c.paymentIntentId) byIntent.set(c.paymentIntentId, c);
  }
  const seen = new Set<string>();
  const discrepancies: Discrepancy[] = [];
  let matched = 0;
  for (const o of ours) {
    const s = (o.chargeId ? byCharge.get(o.chargeId) : undefined) ?? (o.paymentIntentId ? byIntent.get(o.paymentIntentId) : undefined);
    if (s) seen.add(s.id);
    if (!s || s.status === 'failed') {
      if (oursPaid(o) || o.status === 'refunded') discrepancies.push(discrepancy('missing_in_stripe', o, s ?? null));
      continue;
    }
    if (s.amountCents !== o.amountCents || s.currency.toLowerCase() !== o.currency.toLowerCase()) {
      discrepancies.push(discrepancy('amount_mismatch', o, s));
    } else if ((o.status === 'refunded') !== s.refunded) {
      discrepancies.push(discrepancy('status_mismatch', o, s));
    } else {
      matched++;
    }
  }
  for (const s of stripe) {
    if (!seen.has(s.id) && s.status === 'succeeded') discrepancies.push(discrepancy('missing_here', null, s));
  }
  return {
    ourTotalCents: ours.filter(oursPaid).reduce((sum, c) => sum + c.amountCents, 0),
    stripeTotalCents: stripe.filter(stripePaid).reduce((sum, c) => sum + c.amountCents, 0),
    ourCount: ours.filter(oursPaid).length,
    stripeCount: stripe.filter(stripePaid).length,
    matched,
    discrepancies,
  };
}
