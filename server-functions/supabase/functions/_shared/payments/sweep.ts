// Missed-webhook recovery (beyond the spec's manual playbook 2): asks Stripe
// for the events it could not deliver (delivery_success=false) and for every
// purchase and refund event in the retry window, and applies each through the
// same exactly-once path as the webhook. Run hourly and after an outage, it
// brings the database to the state it would have had without the outage.
import type { Sql } from '../db.ts';
import type { Stripe } from '../stripe.ts';
import { ingestStripeEvent } from './ingest.ts';

export const SWEPT_TYPES = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'payment_intent.succeeded',
  'charge.succeeded',
  'charge.refunded',
  'refund.created',
] as const;

export interface SweepReport {
  seen: number;
  applied: number;
  alreadyProcessed: number;
}

/**
 * Stripe keeps events for 30 days (and retries a failed delivery for 3): a webhook outage or a
 * misconfigured endpoint found on day 10 must still be recovered, so the sweep reads the whole
 * window, every page (the SDK's auto-pagination), and lets the exactly-once ingest skip what it has.
 */
export const SWEEP_WINDOW_HOURS = 30 * 24;

export async function sweepMissedEvents(sql: Sql, stripe: Stripe, now: Date, windowHours = SWEEP_WINDOW_HOURS): Promise<SweepReport> {
  const since = Math.floor(now.getTime() / 1000) - windowHours * 3600;
  const report: SweepReport = { seen: 0, applied: 0, alreadyProcessed: 0 };
  const seen = new Set<string>();
  const batches = [
    stripe.events.list({ delivery_success: false, created: { gte: since }, limit: 100 }),
    stripe.events.list({ types: [...SWEPT_TYPES], created: { gte: since }, limit: 100 }),
  ];
  const events: Stripe.Event[] = [];
  for (const list of batches) {
    for await (const event of list) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      events.push(event);
    }
  }
  // Oldest first, as Stripe would have delivered them.
  events.sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  for (const event of events) {
    report.seen++;
    const result = await ingestStripeEvent(sql, event, now);
    if (result.duplicate) report.alreadyProcessed++;
    else report.applied++;
  }
  return report;
}
