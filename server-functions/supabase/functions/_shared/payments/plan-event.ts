// What each Stripe event means for the directory: a pure function of the
// verified event, turned into one action for public.ingest_stripe_event
// (migration 1800), which stores the event and runs the action in one
// statement through the SQL functions that own the rules
// (record_payment_succeeded, record_refund). Events we do not act on are
// stored and marked ignored, never an error, so Stripe stops retrying them.
import type { Stripe } from '../stripe.ts';

export interface EventOutcome {
  outcome: string;
  [key: string]: unknown;
}

export type StripeAction =
  | { action: 'payment_succeeded'; args: PaymentArgs }
  | { action: 'refund'; args: RefundArgs }
  | { action: 'refund_of_payment'; args: RefundOfPaymentArgs }
  | { action: 'ignore'; args: { reason: string } };

interface PaymentArgs {
  business_id: string;
  amount_cents: number;
  currency: string;
  paid_at: string;
  payment_intent_id: string | null;
  charge_id: string | null;
  checkout_session_id: string | null;
}
interface RefundArgs {
  business_id: string;
  amount_cents: number;
  currency: string;
  paid_at: string;
  refunded_at: string;
  payment_intent_id: string | null;
  charge_id: string | null;
  refund_id: string | null;
}
type RefundOfPaymentArgs = Pick<RefundArgs, 'amount_cents' | 'refunded_at' | 'payment_intent_id' | 'charge_id' | 'refund_id'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function businessOf(metadata: Stripe.Metadata | null | undefined): string | null {
  const id = metadata?.business_id;
  return typeof id === 'string' && UUID.test(id) ? id : null;
}
const idOf = (value: string | { id: string } | null | undefined): string | null => (value == null ? null : typeof value === 'string' ? value : value.id);
const at = (seconds: number) => new Date(seconds * 1000).toISOString();
const ignore = (reason: string): StripeAction => ({ action: 'ignore', args: { reason } });
const NOT_OURS = 'not a featured purchase (no business_id metadata)';
const PARTIAL = 'partial refund (policy: full refunds only)';

function succeeded(event: Stripe.Event, p: Omit<PaymentArgs, 'business_id' | 'paid_at'> & { business: string | null }): StripeAction {
  const { business, ...rest } = p;
  if (!business) return ignore(NOT_OURS);
  return { action: 'payment_succeeded', args: { business_id: business, paid_at: at(event.created), ...rest } };
}

export function planStripeEvent(event: Stripe.Event): StripeAction {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = event.data.object;
      if (session.payment_status !== 'paid') return ignore(`session ${session.payment_status}`);
      return succeeded(event, {
        business: businessOf(session.metadata),
        amount_cents: session.amount_total ?? 0,
        currency: session.currency ?? 'aud',
        payment_intent_id: idOf(session.payment_intent),
        charge_id: null,
        checkout_session_id: session.id,
      });
    }
    case 'payment_intent.succeeded': {
      const intent = event.data.object;
      return succeeded(event, {
        business: businessOf(intent.metadata),
        amount_cents: intent.amount_received || intent.amount,
        currency: intent.currency,
        payment_intent_id: intent.id,
        charge_id: idOf(intent.latest_charge),
        checkout_session_id: null,
      });
    }
    case 'charge.succeeded': {
      const charge = event.data.object;
      return succeeded(event, {
        business: businessOf(charge.metadata),
        amount_cents: charge.amount,
        currency: charge.currency,
        payment_intent_id: idOf(charge.payment_intent),
        charge_id: charge.id,
        checkout_session_id: null,
      });
    }
    case 'charge.refunded': {
      const charge = event.data.object;
      const business = businessOf(charge.metadata);
      if (!business) return ignore(NOT_OURS);
      if (charge.amount_refunded < charge.amount) return ignore(PARTIAL);
      return {
        action: 'refund',
        args: {
          business_id: business,
          amount_cents: charge.amount,
          currency: charge.currency,
          paid_at: at(charge.created),
          refunded_at: at(event.created),
          payment_intent_id: idOf(charge.payment_intent),
          charge_id: charge.id,
          // Charges in events no longer carry their refunds (API 2022-11-15+);
          // refund.created fills the refund id in when it arrives.
          refund_id: charge.refunds?.data?.[0]?.id ?? null,
        },
      };
    }
    case 'refund.created':
    case 'refund.updated': {
      const refund = event.data.object;
      if (refund.status !== 'succeeded') return ignore(`refund ${refund.status}`);
      // The payment it refunds (and whether the refund is full) is looked up
      // by the database in the same statement.
      return {
        action: 'refund_of_payment',
        args: {
          amount_cents: refund.amount,
          refunded_at: at(refund.created),
          payment_intent_id: idOf(refund.payment_intent),
          charge_id: idOf(refund.charge),
          refund_id: refund.id,
        },
      };
    }
    default:
      return ignore(`event type ${event.type} is not used`);
  }
}
