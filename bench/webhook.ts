// Bench: Stripe webhook ingestion through the gateway and Deno, with real
// signatures. Every event is delivered twice (as Stripe's retries do), and
// the result is checked: exactly one payment and one placement or queue
// entry per purchase, buyers spread over all councils. Goal ≥ 300 events/s.
import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import Stripe from 'stripe';
import { formatLoad, runLoad } from './stats.ts';
import { RawHttpConnection } from './raw-http.ts';

const CLIENTS = 20;
const WARM_UP = 200;

interface Delivery {
  run: string;
  payloads: string[];
}

/** `events` purchases (charge.succeeded) by buyers taken in turn, ids unique to this run. */
function purchases(businesses: { id: string; council_id: string }[], events: number): Delivery {
  const created = Math.floor(Date.now() / 1000);
  const run = randomUUID().slice(0, 8);
  const payloads = Array.from({ length: events }, (_, i) => {
    const b = businesses[i % businesses.length]!;
    const id = `${run}_${randomUUID().replace(/-/g, '')}`;
    return JSON.stringify({
      id: `evt_bench_${id}`,
      object: 'event',
      type: 'charge.succeeded',
      created,
      livemode: false,
      pending_webhooks: 1,
      api_version: '2025-01-01',
      request: { id: null, idempotency_key: null },
      data: {
        object: {
          id: `ch_bench_${id}`,
          object: 'charge',
          amount: 2200,
          amount_refunded: 0,
          currency: 'aud',
          created,
          payment_intent: `pi_bench_${id}`,
          paid: true,
          status: 'succeeded',
          metadata: { business_id: b.id, council_id: b.council_id },
        },
      },
    });
  });
  return { run, payloads };
}

export async function benchWebhook(sql: Sql, functionsUrl: string, webhookSecret: string, events = 2000): Promise<string[]> {
  const stripe = new Stripe('sk_test_bench');
  // Buyers spread over every council, as real purchases are: the seed lists
  // businesses council by council, so the first 500 would all be in one
  // council and the bench would measure that council's lock (purchases in
  // one council are serialized on purpose: FIFO), not ingestion.
  // Each purchase by a different business holding no placement, as a real
  // purchase is (one business holds one placement at a time: a second one
  // would be held for a refund, which is other work than ingestion).
  const businesses = await sql<{ id: string; council_id: string }[]>`
    select b.id, b.council_id from public.businesses b
    where public.business_is_visible(b.status, b.deleted, b.age_specialties, b.behavior_issues)
      and not exists (select 1 from public.featured_placements fp where fp.business_id = b.id and fp.status = 'active')
      and not exists (select 1 from public.featured_queue q where q.business_id = b.id and q.promoted_at is null and q.cancelled_at is null)
    order by md5(b.id::text) limit ${WARM_UP + events}`;
  if (businesses.length < WARM_UP + events) return [`webhook: only ${businesses.length} businesses without a placement to buy for; skipped`];
  // Stripe's side of the wire, kept lean: it shares the two cores with what it measures.
  const url = new URL(`${functionsUrl}/stripe-webhook`);
  const idle = Array.from({ length: CLIENTS }, () => new RawHttpConnection(url.hostname, Number(url.port)));
  const post = async (payload: string, signature: string) => {
    const connection = idle.pop()!;
    try {
      const res = await connection.post(url.pathname, { 'content-type': 'application/json', 'stripe-signature': signature }, payload);
      return res.status === 200;
    } finally {
      idle.push(connection);
    }
  };

  // Every event delivered twice, as Stripe's retries do. `firstPassSeconds`:
  // when the last first delivery is answered, splitting the run into first
  // deliveries (the purchases) and redeliveries (answered as duplicates).
  async function deliverTwice({ payloads }: Delivery) {
    // Signed up front (Stripe's work, not ours; well within the 5-minute tolerance).
    const signatures = payloads.map((payload) => stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret }));
    const deliveries = [...payloads, ...payloads];
    let firstDone = 0;
    let firstPassSeconds = 0;
    const started = performance.now();
    const result = await runLoad(deliveries.length, CLIENTS, async (i) => {
      const ok = await post(deliveries[i]!, signatures[i % payloads.length]!);
      if (i < payloads.length && ++firstDone === payloads.length) firstPassSeconds = (performance.now() - started) / 1000;
      return ok;
    });
    return { result, firstPassSeconds };
  }

  // Warm-up, not measured: the functions' connections and each one's
  // cached plans are made on first use, as in any long-running deployment.
  await deliverTwice(purchases(businesses.slice(0, WARM_UP), WARM_UP));
  const measured = purchases(businesses.slice(WARM_UP), events);
  const { result, firstPassSeconds } = await deliverTwice(measured);
  for (const connection of idle) connection.close();
  const like = `ch_bench_${measured.run}_%`;
  const [check] = await sql<{ payments: number; entries: number }[]>`
    select (select count(*)::int from public.payment_audit where stripe_charge_id like ${like}) as payments,
           (select count(*)::int from public.featured_queue q join public.payment_audit pa on pa.id = q.payment_id
             where pa.stripe_charge_id like ${like}) as entries`;
  return [
    formatLoad(`webhook ingestion (${events} events × 2 deliveries)`, result),
    `webhook: first deliveries ${(events / firstPassSeconds).toFixed(0)}/s, redeliveries ${(events / (result.seconds - firstPassSeconds)).toFixed(0)}/s (${CLIENTS} concurrent, after ${WARM_UP} warm-up events)`,
    `webhook: ${(events / result.seconds).toFixed(0)} unique events/s; exactly once: ${check!.payments} payments and ${check!.entries} placement/queue entries for ${events} purchases (goal ≥ 300 events/s)`,
  ];
}
