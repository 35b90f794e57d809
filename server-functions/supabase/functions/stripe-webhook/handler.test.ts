// The webhook under Node against the real database, with events signed the
// way Stripe signs them (the real SDK's header generator and verifier).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stripe } from '../_shared/stripe.ts';
import { planStripeEvent } from '../_shared/payments/plan-event.ts';
import { freshDatabase, rowCount, type TestDatabase } from '../../../test/db.ts';
import { createBusiness, createCouncil, createPerson } from '../../../test/fixtures.ts';
import { createStripe } from '../_shared/stripe.ts';
import { createStripeWebhookHandler } from './handler.ts';

const SECRET = 'whsec_test_secret';
const stripe = createStripe('sk_test_unused');
let db: TestDatabase;
let business: string;
let handler: ReturnType<typeof createStripeWebhookHandler>;

beforeAll(async () => {
  db = await freshDatabase();
  await createCouncil(db.sql, 'boroondara', 'Boroondara');
  handler = createStripeWebhookHandler({ sql: db.sql, stripe, webhookSecret: SECRET });
});
// A business per test: one business may hold one placement at a time (spec 4.5).
beforeEach(async () => {
  business = await createBusiness(db.sql, await createPerson(db.sql), 'boroondara');
});
afterAll(async () => {
  await db.drop();
});

function chargeEvent(type: 'charge.succeeded' | 'charge.refunded', ids: { ch: string; pi: string }, created = Math.floor(Date.now() / 1000)) {
  return {
    id: `evt_${randomUUID().replace(/-/g, '')}`,
    object: 'event',
    type,
    created,
    livemode: false,
    api_version: '2025-01-01',
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: {
      object: {
        id: ids.ch,
        object: 'charge',
        amount: 2200,
        amount_refunded: type === 'charge.refunded' ? 2200 : 0,
        currency: 'aud',
        created: created - 5,
        payment_intent: ids.pi,
        paid: true,
        refunded: type === 'charge.refunded',
        status: 'succeeded',
        metadata: { business_id: business, council_id: 'boroondara' },
      },
    },
  };
}
const deliver = (payload: string, header?: string | null) =>
  handler(
    new Request('http://x/stripe-webhook', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(header === null ? {} : { 'stripe-signature': header ?? stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }) }),
      },
      body: payload,
    }),
  );
const ids = () => ({ ch: `ch_${randomUUID()}`, pi: `pi_${randomUUID()}` });
const rowsFor = async (pi: string) => ({
  payments: await db.sql`select status from public.payment_audit where stripe_payment_intent_id = ${pi}`,
  placements:
    await db.sql`select fp.status from public.featured_placements fp join public.payment_audit pa on pa.id = fp.payment_id where pa.stripe_payment_intent_id = ${pi}`,
  queued:
    await db.sql`select 1 from public.featured_queue q join public.payment_audit pa on pa.id = q.payment_id where pa.stripe_payment_intent_id = ${pi} and q.promoted_at is null and q.cancelled_at is null`,
});

describe('stripe-webhook', () => {
  it('the same signed event 5× concurrently and 5× in sequence: one payment, one placement, every answer 2xx', async () => {
    const p = ids();
    const payload = JSON.stringify(chargeEvent('charge.succeeded', p));
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => deliver(payload)));
    const sequential = [];
    for (let i = 0; i < 5; i++) sequential.push(await deliver(payload));
    for (const res of [...concurrent, ...sequential]) expect(res.status).toBe(200);
    const bodies = await Promise.all([...concurrent, ...sequential].map((r) => r.json() as Promise<{ duplicate: boolean }>));
    expect(bodies.filter((b) => !b.duplicate)).toHaveLength(1);
    const state = await rowsFor(p.pi);
    expect(state.payments).toEqual([{ status: 'succeeded' }]);
    expect(state.placements.length + state.queued.length).toBe(1);
  });

  it('refuses a tampered body, a wrong secret, a missing header, an old or a future timestamp with 400 and writes nothing', async () => {
    const before = { events: await rowCount(db.sql, 'public.stripe_events'), payments: await rowCount(db.sql, 'public.payment_audit') };
    const payload = JSON.stringify(chargeEvent('charge.succeeded', ids()));
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      deliver(payload.replace('2200', '1'), stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET })),
      deliver(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_wrong' })),
      deliver(payload, null),
      deliver(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: now - 301 })),
      deliver(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: now + 3600 })),
    ];
    for (const res of await Promise.all(cases)) {
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field).toMatch(/stripe-signature/);
    }
    expect(await rowCount(db.sql, 'public.stripe_events')).toBe(before.events);
    expect(await rowCount(db.sql, 'public.payment_audit')).toBe(before.payments);
  });

  it('ends refunded when the refund event arrives before the purchase event', async () => {
    const p = ids();
    const refunded = await deliver(JSON.stringify(chargeEvent('charge.refunded', p)));
    expect(refunded.status).toBe(200);
    const purchase = await deliver(JSON.stringify(chargeEvent('charge.succeeded', p, Math.floor(Date.now() / 1000) - 60)));
    expect(await purchase.json()).toMatchObject({ outcome: 'already_refunded' });
    const state = await rowsFor(p.pi);
    expect(state.payments).toEqual([{ status: 'refunded' }]);
    expect(state.placements).toEqual([]);
    expect(state.queued).toEqual([]);
  });

  it('stores the signed body as the event, and a redelivery of a processed event writes nothing', async () => {
    const event = chargeEvent('charge.succeeded', ids());
    const payload = JSON.stringify(event);
    expect((await deliver(payload)).status).toBe(200);
    const stored = async () =>
      (
        await db.sql`
      select xmin::text as version, attempts, processed_at, payload from public.stripe_events where id = ${event.id}`
      )[0]!;
    const first = await stored();
    expect(first.payload).toEqual(event);
    expect(first).toMatchObject({ attempts: 1, processed_at: expect.any(Date) });
    const again = await deliver(payload);
    expect(await again.json()).toMatchObject({ duplicate: true, outcome: 'duplicate' });
    // Same row version: the redelivery only read it.
    expect(await stored()).toEqual(first);
  });

  it('matches a bare refund event to the payment it refunds: before the purchase it waits, a partial one is ignored, a full one refunds', async () => {
    const p = ids();
    const refund = (amount: number) => {
      const e = chargeEvent('charge.succeeded', p);
      return JSON.stringify({
        ...e,
        id: `evt_${randomUUID().replace(/-/g, '')}`,
        type: 'refund.created',
        data: { object: { id: `re_${randomUUID()}`, object: 'refund', amount, status: 'succeeded', created: e.created, payment_intent: p.pi, charge: p.ch } },
      });
    };
    expect(await (await deliver(refund(2200))).json()).toMatchObject({
      outcome: 'ignored',
      reason: 'refund of a payment not recorded yet; charge.refunded records it',
    });
    expect((await deliver(JSON.stringify(chargeEvent('charge.succeeded', p)))).status).toBe(200);
    expect(await (await deliver(refund(1000))).json()).toMatchObject({ outcome: 'ignored', reason: 'partial refund (policy: full refunds only)' });
    expect((await rowsFor(p.pi)).payments).toEqual([{ status: 'succeeded' }]);
    expect((await deliver(refund(2200))).status).toBe(200);
    const state = await rowsFor(p.pi);
    expect(state.payments).toEqual([{ status: 'refunded' }]);
    expect(state.queued).toEqual([]);
    expect(state.placements.every((r) => r.status === 'refunded')).toBe(true);
  });

  it('refuses a refund action without an amount (never read as a full refund) and stores nothing', async () => {
    const id = `evt_${randomUUID().replace(/-/g, '')}`;
    await expect(db.sql`
      select public.ingest_stripe_event(${id}, 'refund.created', now(), '{}'::jsonb, now(), 'refund_of_payment',
                                        ${JSON.stringify({ payment_intent_id: 'pi_x', charge_id: 'ch_x', refund_id: 're_x' })}::text::jsonb)`).rejects.toThrow(
      /refund_of_payment needs amount_cents/,
    );
    expect(await db.sql`select 1 from public.stripe_events where id = ${id}`).toHaveLength(0);
  });

  it('stores events it does not act on and acknowledges them', async () => {
    const payload = JSON.stringify({ ...chargeEvent('charge.succeeded', ids()), type: 'customer.created' });
    const res = await deliver(payload);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: 'ignored' });
  });

  it('answers 500 (so Stripe retries) and keeps the error when the event cannot be applied', async () => {
    const p = ids();
    const event = chargeEvent('charge.succeeded', p);
    await db.sql.unsafe(`create or replace function pg_temp.boom() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$;
      create trigger boom before insert on public.featured_queue for each row execute function pg_temp.boom();`);
    try {
      const res = await deliver(JSON.stringify(event));
      expect(res.status).toBe(500);
    } finally {
      await db.sql`drop trigger boom on public.featured_queue`;
    }
    const [stored] = await db.sql`select processed_at, error from public.stripe_events where id = ${event.id}`;
    expect(stored).toMatchObject({ processed_at: null, error: expect.stringMatching(/disk full/) });
    expect((await rowsFor(p.pi)).payments).toEqual([]);
    // Stripe's retry then applies it.
    expect((await deliver(JSON.stringify(event))).status).toBe(200);
    expect((await rowsFor(p.pi)).payments).toEqual([{ status: 'succeeded' }]);
    const [retried] = await db.sql`select processed_at, error, attempts from public.stripe_events where id = ${event.id}`;
    expect(retried).toMatchObject({ processed_at: expect.any(Date), error: null, attempts: 2 });
  });

  it.each([
    ['id', { id: 'bogus-id' }, /^event id "bogus-id" is not a Stripe event id/],
    ['id', { id: 42 }, /^event id 42 is not a Stripe event id/],
    ['type', { type: 'Charge Succeeded; drop table' }, /^event type .* is not a Stripe event type/],
    ['created', { created: 'yesterday' }, /^event created "yesterday" is not a Unix time/],
  ] as const)('records a signed event with a malformed %s as a failure the alerts count, and answers 400 naming it', async (field, patch, message) => {
    const event = { ...chargeEvent('charge.succeeded', ids()), ...patch };
    const payload = JSON.stringify(event);
    const failuresBefore = (await db.sql<{ n: number }[]>`select count(*)::int as n from public.stripe_events where error is not null`)[0]!.n;
    const res = await deliver(payload);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { field: string; message: string } };
    expect(body.error.field).toBe(field);
    expect(body.error.message).toMatch(message);
    const [row] = await db.sql<
      { id: string; error: string }[]
    >`select id, error from public.stripe_events where error is not null order by received_at desc limit 1`;
    expect(row!.id).toMatch(field === 'id' ? /^evt_malformed_[0-9a-f]{32}$/ : /^evt_/);
    expect(row!.error).toMatch(message);
    expect((await db.sql<{ n: number }[]>`select count(*)::int as n from public.stripe_events where error is not null`)[0]!.n).toBe(failuresBefore + 1);
  });

  it('those failures are what the RED webhook-failures alert counts (more than 3 in an hour)', async () => {
    await db.sql`select public.refresh_alerts('red')`;
    const [alert] = await db.sql<{ severity: string; message: string }[]>`
      select severity, message from public.alerts where kind = 'webhook_failures' and resolved_at is null`;
    expect(alert).toMatchObject({ severity: 'RED', message: expect.stringMatching(/^\d+ Stripe webhook events failed in the last hour$/) });
  });
});

/** A recorded event (server-functions/test/stripe-events) with its placeholders filled and its times moved to now. */
function recorded(type: string, ids: Record<string, string>): { payload: string; event: Stripe.Event } {
  let text = readFileSync(join(import.meta.dirname, '../../../test/stripe-events', `${type}.json`), 'utf8');
  for (const [k, v] of Object.entries(ids)) text = text.replaceAll(`{{${k}}}`, v);
  const event = JSON.parse(text) as Stripe.Event & { data: { object: { created?: number } } };
  const now = Math.floor(Date.now() / 1000);
  event.id = `evt_${randomUUID().replaceAll('-', '')}`;
  event.created = type.startsWith('refund') || type === 'charge.refunded' ? now : now - 60;
  if (typeof event.data.object.created === 'number') event.data.object.created = type.startsWith('refund') ? now : now - 70;
  return { payload: JSON.stringify(event), event };
}
const fixtureIds = async () => {
  const owner = await createPerson(db.sql);
  const biz = await createBusiness(db.sql, owner, 'boroondara');
  return {
    business_id: biz,
    council_id: 'boroondara',
    owner_id: owner,
    payment_intent: `pi_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    charge: `ch_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    refund: `re_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    refund_request_id: randomUUID(),
    decision_id: randomUUID(),
  };
};

describe('recorded Stripe events, in the shapes Stripe sends', () => {
  it.each(['checkout.session.completed', 'payment_intent.succeeded', 'charge.succeeded'])(
    '%s: planned as the purchase it is, and places it once',
    async (type) => {
      const ids = await fixtureIds();
      const { payload, event } = recorded(type, ids);
      expect(planStripeEvent(event)).toMatchObject({
        action: 'payment_succeeded',
        args: { business_id: ids.business_id, amount_cents: 2200, currency: 'aud' },
      });
      for (let i = 0; i < 2; i++) expect((await deliver(payload)).status).toBe(200);
      const [row] = await db.sql<{ n: number; status: string }[]>`
      select count(*)::int as n, max(status) as status from public.payment_audit where business_id = ${ids.business_id}`;
      expect(row).toEqual({ n: 1, status: 'succeeded' });
      const [held] = await db.sql<{ n: number }[]>`
      select (select count(*) from public.featured_placements where business_id = ${ids.business_id} and status = 'active')::int
           + (select count(*) from public.featured_queue where business_id = ${ids.business_id} and promoted_at is null and cancelled_at is null)::int as n`;
      expect(held!.n).toBe(1);
    },
  );

  it.each(['charge.refunded', 'refund.created', 'refund.updated'])('%s after the purchase: planned as a full refund, and refunds it once', async (type) => {
    const ids = await fixtureIds();
    expect((await deliver(recorded('charge.succeeded', ids).payload)).status).toBe(200);
    const { payload, event } = recorded(type, ids);
    expect(planStripeEvent(event).action).toBe(type === 'charge.refunded' ? 'refund' : 'refund_of_payment');
    for (let i = 0; i < 2; i++) expect((await deliver(payload)).status).toBe(200);
    const rows = await db.sql`select status from public.payment_audit where business_id = ${ids.business_id}`;
    expect(rows).toEqual([{ status: 'refunded' }]);
  });
});
