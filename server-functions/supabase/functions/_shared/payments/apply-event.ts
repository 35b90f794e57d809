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
      const refundId = charge.refunds?.data?.[0]?.id ?? null;
      const [row] = await tx<{ r: EventOutcome }[]>`
        select public.record_refund(${business}, ${charge.amount}, ${charge.currency}, ${at(charge.created)}, ${at(event.created)},
                                    ${idOf(charge.payment_intent)}, ${charge.id}, ${refundId}, ${at(event.created)}, ${now}) as r`;
      return row!.r;
    }
    default:
      return { outcome: 'ignored', reason: `event type ${event.type} is not used` };
  }
}
