// Bench: Stripe webhook ingestion through the gateway and Deno, with real
// signatures. Every event is delivered twice (as Stripe's retries do), and
// the result is checked: exactly one payment and one placement or queue
// entry per purchase, buyers spread over all councils. Goal ≥ 300 events/s.
import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import Stripe from 'stripe';
import { formatLoad, runLoad } from './stats.ts';

export async function benchWebhook(sql: Sql, functionsUrl: string, webhookSecret: string, events = 2000): Promise<string[]> {
  const stripe = new Stripe('sk_test_bench');
  // Buyers spread over every council, as real purchases are: the seed lists
  // businesses council by council, so the first 500 would all be in one
  // council and the bench would measure that council's lock (purchases in
  // one council are serialized on purpose: FIFO), not ingestion.
  const businesses = await sql<{ id: string; council_id: string }[]>`
    select id, council_id from public.businesses
    where public.business_is_visible(status, deleted, age_specialties, behavior_issues)
    order by md5(id::text) limit 500`;
  if (!businesses.length) return ['webhook: no visible businesses to buy for; skipped'];
  const created = Math.floor(Date.now() / 1000);
  const payloads = Array.from({ length: events }, (_, i) => {
    const b = businesses[i % businesses.length]!;
    const id = randomUUID().replace(/-/g, '');
    return JSON.stringify({
      id: `evt_bench_${id}`, object: 'event', type: 'charge.succeeded', created, livemode: false, pending_webhooks: 1,
      api_version: '2025-01-01', request: { id: null, idempotency_key: null },
      data: { object: { id: `ch_bench_${id}`, object: 'charge', amount: 2200, amount_refunded: 0, currency: 'aud', created,
        payment_intent: `pi_bench_${id}`, paid: true, status: 'succeeded', metadata: { business_id: b.id, council_id: b.council_id } } },
    });
  });
  const deliveries = [...payloads, ...payloads];
  const result = await runLoad(deliveries.length, 20, async (i) => {
    const payload = deliveries[i]!;
    const res = await fetch(`${functionsUrl}/stripe-webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret }) },
      body: payload,
    });
    await res.arrayBuffer();
    return res.status === 200;
  });
  const [check] = await sql<{ payments: number; entries: number }[]>`
    select (select count(*)::int from public.payment_audit where stripe_charge_id like 'ch_bench_%') as payments,
           (select count(*)::int from public.featured_queue q join public.payment_audit pa on pa.id = q.payment_id
             where pa.stripe_charge_id like 'ch_bench_%') as entries`;
  return [
    formatLoad(`webhook ingestion (${events} events × 2 deliveries)`, result),
    `webhook: ${(events / result.seconds).toFixed(0)} unique events/s; exactly once: ${check!.payments} payments and ${check!.entries} placement/queue entries for ${events} purchases (goal ≥ 300 events/s)`,
  ];
}
