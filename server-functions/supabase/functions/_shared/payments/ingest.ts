// Stores a verified Stripe event and applies it exactly once, in one
// statement (public.ingest_stripe_event): the webhook and the missed-webhook
// sweep both come through here, so an event delivered late, twice, or found
// by the sweep changes the database once. A concurrent second delivery waits
// on the event row and then finds it processed.
import type { Sql } from '../db.ts';
import type { Stripe } from '../stripe.ts';
import { planStripeEvent, type EventOutcome } from './plan-event.ts';

export interface IngestResult {
  duplicate: boolean;
  outcome: EventOutcome;
}

/**
 * The event as stored: the delivery's body as received (`rawBody`, not the
 * parsed event serialised again), or the parsed event for the sweep, which
 * has nothing else. Sent as text cast ::text::jsonb: postgres.js serialises
 * a parameter it learns is jsonb with JSON.stringify, which would store the
 * body as one JSON string.
 */
const payloadOf = (event: Stripe.Event, rawBody?: string) => rawBody ?? JSON.stringify(event);
const createdAt = (event: Stripe.Event) => new Date(event.created * 1000);

export async function ingestStripeEvent(sql: Sql, event: Stripe.Event, now: Date, rawBody?: string): Promise<IngestResult> {
  const { action, args } = planStripeEvent(event);
  const [row] = await sql<{ r: EventOutcome }[]>`
    select public.ingest_stripe_event(${event.id}, ${event.type}, ${createdAt(event)}, ${payloadOf(event, rawBody)}::text::jsonb,
                                      ${now}, ${action}, ${JSON.stringify(args)}::text::jsonb) as r`;
  const outcome = row!.r;
  return { duplicate: outcome.outcome === 'duplicate', outcome };
}

/** Keeps a failed event and why (the operator sees it; webhook_failures counts it). */
/** What is wrong with a verified event's envelope (its id, type or creation time), or null when it can be stored as it is. */
export function malformedEnvelope(event: Stripe.Event): { field: 'id' | 'type' | 'created'; message: string } | null {
  const e = event as unknown as Record<string, unknown>;
  if (typeof e.id !== 'string' || !/^evt_[A-Za-z0-9_]{1,250}$/.test(e.id))
    return { field: 'id', message: `event id ${JSON.stringify(e.id)} is not a Stripe event id (evt_…)` };
  if (typeof e.type !== 'string' || !/^[a-z_.]{1,100}$/.test(e.type))
    return { field: 'type', message: `event type ${JSON.stringify(e.type)} is not a Stripe event type` };
  if (typeof e.created !== 'number' || !Number.isInteger(e.created) || e.created <= 0)
    return { field: 'created', message: `event created ${JSON.stringify(e.created)} is not a Unix time` };
  return null;
}

const sha256Hex = async (text: string) =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Records that an event could not be applied, so the webhook-failure alert counts it. An event whose
 * envelope cannot be stored as it is (a malformed id, type or time) is recorded under an id made from its
 * body (evt_malformed_<sha-256>), with the reason; a body Postgres cannot keep as jsonb is replaced by its hash.
 */
export async function recordEventFailure(sql: Sql, event: Stripe.Event, now: Date, message: string, rawBody?: string): Promise<void> {
  const bad = malformedEnvelope(event);
  const body = payloadOf(event, rawBody);
  const id = bad ? `evt_malformed_${(await sha256Hex(body)).slice(0, 32)}` : event.id;
  const type = bad?.field === 'type' ? 'unknown' : String(event.type);
  const created = Number.isInteger(event.created) && event.created > 0 ? createdAt(event) : now;
  const why = bad ? `${bad.message}: ${message}` : message;
  const write = (payload: string) => sql`
    insert into public.stripe_events (id, type, created_at_stripe, payload, received_at, error)
    values (${id}, ${type}, ${created}, ${payload}::text::jsonb, ${now}, ${why})
    on conflict (id) do update set error = excluded.error, attempts = public.stripe_events.attempts + 1
    where public.stripe_events.processed_at is null`;
  try {
    await write(body);
  } catch {
    await write(JSON.stringify({ unstorable_body_sha256: await sha256Hex(body) }));
  }
}
