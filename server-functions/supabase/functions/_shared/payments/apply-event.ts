// What each Stripe event means for the directory, applied through the SQL
// functions that own the rules (record_payment_succeeded, record_refund).
// One switch with grouped cases; events we do not act on are stored and
// marked ignored, never an error, so Stripe stops retrying them.
import type { Stripe } from '../stripe.ts';
import type { Sql } from '../db.ts';

type Tx = Sql | Parameters<Parameters<Sql['begin']>[1]>[0];

export interface EventOutcome {
  outcome: string;
  [key: string]: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function businessOf(metadata: Stripe.Metadata | null | undefined): string | null {
  const id = metadata?.business_id;
  return typeof id === 'string' && UUID.test(id) ? id : null;
}
const idOf = (value: string | { id: string } | null | undefined): string | null =>
  value == null ? null : typeof value === 'string' ? value : value.id;
const at = (seconds: number) => new Date(seconds * 1000);

async function succeeded(
  tx: Tx,
  event: Stripe.Event,
  p: { business: string | null; amount: number; currency: string; paidAt: Date; pi: string | null; charge: string | null; session: string | null },
  now: Date,
): Promise<EventOutcome> {
  if (!p.business) return { outcome: 'ignored', reason: 'not a featured purchase (no business_id metadata)' };
  const [row] = await tx<{ r: EventOutcome }[]>`
    select public.record_payment_succeeded(${p.business}, ${p.amount}, ${p.currency}, ${p.paidAt}, ${p.pi}, ${p.charge},
                                           ${p.session}, ${at(event.created)}, ${now}) as r`;
  return row!.r;
}

export async function applyStripeEvent(tx: Tx, event: Stripe.Event, now: Date): Promise<EventOutcome> {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = event.data.object;
      if (session.payment_status !== 'paid') return { outcome: 'ignored', reason: `session ${session.payment_status}` };
      return succeeded(tx, event, {
        business: businessOf(session.metadata),
        amount: session.amount_total ?? 0,
        currency: session.currency ?? 'aud',
        paidAt: at(event.created),
        pi: idOf(session.payment_intent),
        charge: null,
        session: session.id,
      }, now);
    }
    case 'payment_intent.succeeded': {
      const intent = event.data.object;
      return succeeded(tx, event, {
        business: businessOf(intent.metadata),
        amount: intent.amount_received || intent.amount,
        currency: intent.currency,
        paidAt: at(event.created),
        pi: intent.id,
        charge: idOf(intent.latest_charge),
        session: null,
      }, now);
    }
    case 'charge.succeeded': {
      const charge = event.data.object;
      return succeeded(tx, event, {
        business: businessOf(charge.metadata),
        amount: charge.amount,
        currency: charge.currency,
        paidAt: at(event.created),
        pi: idOf(charge.payment_intent),
        charge: charge.id,
        session: null,
      }, now);
    }
    case 'charge.refunded': {
      const charge = event.data.object;
      const business = businessOf(charge.metadata);
      if (!business) return { outcome: 'ignored', reason: 'not a featured purchase (no business_id metadata)' };
      if (charge.amount_refunded < charge.amount) return { outcome: 'ignored', reason: 'partial refund (policy: full refunds only)' };
      // Charges in events no longer carry their refunds (API 2022-11-15+);
      // refund.created fills the refund id in when it arrives.
      const refundId = charge.refunds?.data?.[0]?.id ?? null;
      const [row] = await tx<{ r: EventOutcome }[]>`
        select public.record_refund(${business}, ${charge.amount}, ${charge.currency}, ${at(charge.created)}, ${at(event.created)},
                                    ${idOf(charge.payment_intent)}, ${charge.id}, ${refundId}, ${at(event.created)}, ${now}) as r`;
      return row!.r;
    }
    case 'refund.created':
    case 'refund.updated': {
      const refund = event.data.object;
      if (refund.status !== 'succeeded') return { outcome: 'ignored', reason: `refund ${refund.status}` };
      const [payment] = await tx<{ business_id: string; amount_cents: number; currency: string; paid_at: Date }[]>`
        select business_id, amount_cents, currency, paid_at from public.payment_audit
        where id = public.find_payment(${idOf(refund.payment_intent)}, ${idOf(refund.charge)}, null)`;
      if (!payment) return { outcome: 'ignored', reason: 'refund of a payment not recorded yet; charge.refunded records it' };
      if (refund.amount < payment.amount_cents) return { outcome: 'ignored', reason: 'partial refund (policy: full refunds only)' };
      const [row] = await tx<{ r: EventOutcome }[]>`
        select public.record_refund(${payment.business_id}, ${payment.amount_cents}, ${payment.currency}, ${payment.paid_at},
                                    ${at(refund.created)}, ${idOf(refund.payment_intent)}, ${idOf(refund.charge)}, ${refund.id},
                                    ${at(event.created)}, ${now}) as r`;
      return row!.r;
    }
    default:
      return { outcome: 'ignored', reason: `event type ${event.type} is not used` };
  }
}
