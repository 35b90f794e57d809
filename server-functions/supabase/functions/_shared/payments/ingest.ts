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
export async function recordEventFailure(sql: Sql, event: Stripe.Event, now: Date, message: string, rawBody?: string): Promise<void> {
  await sql`
    insert into public.stripe_events (id, type, created_at_stripe, payload, received_at, error)
    values (${event.id}, ${event.type}, ${createdAt(event)}, ${payloadOf(event, rawBody)}::text::jsonb, ${now}, ${message})
    on conflict (id) do update set error = excluded.error, attempts = public.stripe_events.attempts + 1
    where public.stripe_events.processed_at is null`;
}
