// Stores a verified Stripe event and applies it in one transaction, exactly
// once: the webhook and the missed-webhook sweep both come through here, so
// an event delivered late, twice, or found by the sweep changes the database
// once. A concurrent second delivery waits on the event row and then finds
// it processed.
import type { Sql } from '../db.ts';
import type { Stripe } from '../stripe.ts';
import { applyStripeEvent, type EventOutcome } from './apply-event.ts';

export interface IngestResult {
  duplicate: boolean;
  outcome: EventOutcome;
}

export async function ingestStripeEvent(sql: Sql, event: Stripe.Event, now: Date, payload: unknown = event): Promise<IngestResult> {
  return sql.begin(async (tx) => {
    const [stored] = await tx<{ processed_at: Date | null }[]>`
      insert into public.stripe_events (id, type, created_at_stripe, payload, received_at)
      values (${event.id}, ${event.type}, ${new Date(event.created * 1000)}, ${tx.json(payload as never)}, ${now})
      on conflict (id) do update set attempts = public.stripe_events.attempts + 1
      returning processed_at`;
    if (stored!.processed_at) return { duplicate: true, outcome: { outcome: 'duplicate' } };
    const outcome = await applyStripeEvent(tx, event, now);
    await tx`update public.stripe_events set processed_at = ${now}, error = null where id = ${event.id}`;
    return { duplicate: false, outcome };
  });
}

/** Keeps a failed event and why (the operator sees it; webhook_failures counts it). */
export async function recordEventFailure(sql: Sql, event: Stripe.Event, now: Date, message: string, payload: unknown = event): Promise<void> {
  await sql`
    insert into public.stripe_events (id, type, created_at_stripe, payload, received_at, error)
    values (${event.id}, ${event.type}, ${new Date(event.created * 1000)}, ${sql.json(payload as never)}, ${now}, ${message})
    on conflict (id) do update set error = excluded.error, attempts = public.stripe_events.attempts + 1
    where public.stripe_events.processed_at is null`;
}
