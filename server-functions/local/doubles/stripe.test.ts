// The Stripe double, driven by the real `stripe` SDK (both its Node and fetch
// HTTP clients) and checked with the SDK's own webhook signature verification.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { createStripe } from '../../supabase/functions/_shared/stripe.ts';
import { startStripeDouble, type StripeDouble, type StripeDoubleOptions } from './stripe.ts';
import { parseForm } from './stripe-form.ts';

const SECRET = 'whsec_test_double_secret';
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function double(opts: StripeDoubleOptions = {}): Promise<{ d: StripeDouble; stripe: Stripe }> {
  const d = await startStripeDouble(opts);
  open.push(d);
  const stripe = new Stripe('sk_test_local', { host: '127.0.0.1', port: d.port, protocol: 'http', maxNetworkRetries: 0 });
  return { d, stripe };
}

interface Received {
  body: string;
  signature: string;
}
/** A webhook endpoint that keeps the raw bytes and answers with `status`. */
async function receiver(status = 200) {
  const received: Received[] = [];
  const state = { status };
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['stripe-signature']) });
    res.writeHead(state.status).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const handle = {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    state,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
  open.push(handle);
  return handle;
}

const featured = {
  mode: 'payment' as const,
  line_items: [
    { quantity: 1, price_data: { currency: 'aud', unit_amount: 2200, product_data: { name: 'Featured placement: Good Dogs in Monash (30 days)' } } },
  ],
  metadata: { business_id: 'b-1', council_id: 'c-1' },
  payment_intent_data: { metadata: { business_id: 'b-1', council_id: 'c-1' } },
  client_reference_id: 'b-1',
  success_url: 'http://127.0.0.1:1/featured/success?session_id={CHECKOUT_SESSION_ID}',
  cancel_url: 'http://127.0.0.1:1/featured/cancelled',
};

const post = (d: StripeDouble, path: string, body: unknown = {}) =>
  fetch(`${d.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('stripe double: form encoding', () => {
  it('decodes bracket paths, indexed and [] arrays', () => {
    expect(parseForm('a[0]=x&a[1]=y&b[c][d]=1&e[]=p&e[]=q&m%5Bk%5D=v+w')).toEqual({ a: ['x', 'y'], b: { c: { d: '1' } }, e: ['p', 'q'], m: { k: 'v w' } });
  });
});

describe('stripe double: API through the real SDK', () => {
  it('creates a checkout session with metadata and reads it back (fetch client, as the functions use it)', async () => {
    const { d } = await double();
    const stripe = createStripe('sk_test_local', d.url);
    const session = await stripe.checkout.sessions.create(featured);
    expect(session).toMatchObject({
      object: 'checkout.session',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: 2200,
      currency: 'aud',
      payment_intent: null,
      metadata: featured.metadata,
      client_reference_id: 'b-1',
    });
    expect(session.id).toMatch(/^cs_test_[A-Za-z0-9]{20,}$/);
    expect(session.url).toBe(`${d.url}/c/pay/${session.id}`);
    const back = await stripe.checkout.sessions.retrieve(session.id, { expand: ['line_items'] });
    expect(back.metadata).toEqual(featured.metadata);
    expect(back.line_items?.data[0]).toMatchObject({ quantity: 1, amount_total: 2200, price: { unit_amount: 2200, currency: 'aud' } });
    expect((await fetch(session.url!)).status).toBe(200);

    await expect(stripe.checkout.sessions.create({ ...featured, colour: 'red' } as never)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'parameter_unknown',
      param: 'colour',
    });
    const noName = { ...featured, line_items: [{ quantity: 1, price_data: { currency: 'aud', unit_amount: 2200, product_data: { description: 'no name' } } }] }; // an empty {} would not be sent at all
    await expect(stripe.checkout.sessions.create(noName as never)).rejects.toMatchObject({
      statusCode: 400,
      code: 'parameter_missing',
      param: 'line_items[0][price_data][product_data][name]',
    });
    await expect(stripe.checkout.sessions.retrieve('cs_test_nope')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('paying a session emits checkout.session.completed, payment_intent.succeeded, charge.succeeded with the metadata', async () => {
    const { d, stripe } = await double();
    const session = await stripe.checkout.sessions.create(featured);
    const paid = await post(d, `/__double/checkout/sessions/${session.id}/pay`);
    expect(paid.status).toBe(200);
    const events = (await stripe.events.list()).data.reverse();
    expect(events.map((e) => e.type)).toEqual(['checkout.session.completed', 'payment_intent.succeeded', 'charge.succeeded']);
    for (const e of events)
      expect(e).toMatchObject({
        object: 'event',
        livemode: false,
        pending_webhooks: 0,
        api_version: Stripe.API_VERSION,
        request: { id: null, idempotency_key: null },
      });
    const done = await stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid' });
    const intent = await stripe.paymentIntents.retrieve(done.payment_intent as string);
    expect(intent).toMatchObject({ status: 'succeeded', amount_received: 2200, metadata: featured.metadata });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({
      paid: true,
      captured: true,
      status: 'succeeded',
      amount: 2200,
      payment_intent: intent.id,
      metadata: featured.metadata,
      refunded: false,
    });
    expect(charge.id).toMatch(/^ch_/);
    expect(events[2]!.data.object).toMatchObject({ id: charge.id, metadata: featured.metadata });
    expect((await post(d, `/__double/checkout/sessions/${session.id}/pay`)).status).toBe(400);

    // The hosted page's button pays and sends the browser to success_url.
    const other = await stripe.checkout.sessions.create(featured);
    const page = await fetch(other.url!, { method: 'POST', redirect: 'manual' });
    expect([page.status, page.headers.get('location')]).toEqual([303, `http://127.0.0.1:1/featured/success?session_id=${other.id}`]);
    expect((await stripe.checkout.sessions.retrieve(other.id)).payment_status).toBe('paid');
  });

  it('lists charges newest first, with created filters and cursor pagination', async () => {
    const { d, stripe } = await double();
    const base = Date.UTC(2026, 0, 5, 10) / 1000;
    const made = Array.from({ length: 25 }, (_, i) => d.createPaidCharge({ amount: 2200, metadata: { n: String(i) }, created: base + i * 60 }).charge);
    d.clock.setNow(new Date(base * 1000 + 3600_000));
    expect(d.createPaidCharge({ amount: 2200 }).charge.created).toBe(base + 3600);
    const page1 = await stripe.charges.list({ limit: 10, created: { lte: base + 24 * 60 } });
    expect(page1).toMatchObject({ object: 'list', has_more: true, url: '/v1/charges' });
    expect(page1.data.map((c) => c.id)).toEqual(
      made
        .slice(15)
        .reverse()
        .map((c) => c.id),
    );
    const page2 = await stripe.charges.list({ limit: 10, created: { lte: base + 24 * 60 }, starting_after: page1.data.at(-1)!.id });
    const page3 = await stripe.charges.list({ limit: 10, created: { lte: base + 24 * 60 }, starting_after: page2.data.at(-1)!.id });
    expect([page2.has_more, page3.has_more, page3.data.length]).toEqual([true, false, 5]);
    expect([...page1.data, ...page2.data, ...page3.data].map((c) => c.metadata.n)).toEqual(made.map((_, i) => String(24 - i)));
    const all = await stripe.charges.list({ limit: 7, created: { gte: base, lt: base + 25 * 60 } }).autoPagingToArray({ limit: 100 });
    expect(all).toHaveLength(25);
    expect((await stripe.charges.list({ created: { gt: base + 10 * 60, lte: base + 20 * 60 }, limit: 100 })).data).toHaveLength(10);
    const before = await stripe.charges.list({ limit: 3, ending_before: made[10]!.id });
    expect(before.data.map((c) => c.metadata.n)).toEqual(['13', '12', '11']);
    await expect(stripe.charges.list({ limit: 101 })).rejects.toMatchObject({ statusCode: 400, param: 'limit' });
  });

  it('refunds: one key three times gives one refund, replays flagged; other params → idempotency error; over-refund refused', async () => {
    const { d, stripe } = await double();
    const { charge, paymentIntent } = d.createPaidCharge({ amount: 2200, metadata: { business_id: 'b-1' } });
    const params = { payment_intent: paymentIntent.id, amount: 2200, reason: 'requested_by_customer' as const, metadata: { decision_id: 'd-1' } };
    const tries = [];
    for (let i = 0; i < 3; i++) tries.push(await stripe.refunds.create(params, { idempotencyKey: 'refund-decision-d-1' }));
    expect(new Set(tries.map((r) => r.id)).size).toBe(1);
    expect(tries[0]).toMatchObject({
      object: 'refund',
      status: 'succeeded',
      amount: 2200,
      charge: charge.id,
      payment_intent: paymentIntent.id,
      metadata: { decision_id: 'd-1' },
    });
    expect(tries.map((r) => r.lastResponse.headers['idempotent-replayed'])).toEqual([undefined, 'true', 'true']);
    expect((await stripe.refunds.list({ charge: charge.id })).data).toHaveLength(1);

    await expect(stripe.refunds.create({ ...params, amount: 100 }, { idempotencyKey: 'refund-decision-d-1' })).rejects.toMatchObject({
      type: 'StripeIdempotencyError',
      statusCode: 400,
    });
    await expect(stripe.refunds.create({ charge: charge.id })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', code: 'charge_already_refunded' });

    const after = await stripe.charges.retrieve(charge.id);
    expect(after).toMatchObject({ refunded: true, amount_refunded: 2200 });
    expect(after.refunds).toBeUndefined(); // not included since API 2022-11-15 …
    expect((await stripe.charges.retrieve(charge.id, { expand: ['refunds'] })).refunds?.data.map((r) => r.id)).toEqual([tries[0]!.id]); // … unless expanded

    const refundEvents = (await stripe.events.list({ types: ['charge.refunded', 'refund.created'] })).data.reverse();
    expect(refundEvents.map((e) => e.type)).toEqual(['charge.refunded', 'refund.created']);
    expect(refundEvents[0]!.request).toMatchObject({ idempotency_key: 'refund-decision-d-1' });
    expect(refundEvents[0]!.data.object).toMatchObject({ id: charge.id, refunded: true, amount_refunded: 2200, metadata: { business_id: 'b-1' } });

    const second = d.createPaidCharge({ amount: 2200 }).charge;
    await stripe.refunds.create({ charge: second.id, amount: 1000 });
    await expect(stripe.refunds.create({ charge: second.id, amount: 1500 })).rejects.toMatchObject({
      param: 'amount',
      message: expect.stringContaining('greater than unrefunded amount on charge (A$12.00)'),
    });
    await expect(stripe.refunds.create({ charge: 'ch_missing' })).rejects.toMatchObject({ code: 'resource_missing', param: 'charge' });
  });

  it('payment intents with confirm=true succeed at once with a charge and events', async () => {
    const { stripe } = await double();
    const pi = await stripe.paymentIntents.create(
      { amount: 2200, currency: 'aud', confirm: true, payment_method: 'pm_card_visa', metadata: { business_id: 'b-2' } },
      { idempotencyKey: 'pi-1' },
    );
    expect(pi).toMatchObject({ status: 'succeeded', amount_received: 2200, metadata: { business_id: 'b-2' } });
    const events = (await stripe.events.list({ type: '*.succeeded' })).data;
    expect(events.map((e) => e.type).sort()).toEqual(['charge.succeeded', 'payment_intent.succeeded']);
    expect(events[0]!.request).toMatchObject({ idempotency_key: 'pi-1' });
    await expect(stripe.paymentIntents.create({ amount: 10, currency: 'aud' })).rejects.toMatchObject({ code: 'amount_too_small' });
  });

  it("answers 401 without a valid key and 404 for unknown routes, in Stripe's error envelope", async () => {
    const { d } = await double({ apiKey: 'sk_test_local' });
    const wrong = new Stripe('sk_test_wrong_key_1234', { host: '127.0.0.1', port: d.port, protocol: 'http', maxNetworkRetries: 0 });
    await expect(wrong.charges.list()).rejects.toMatchObject({
      type: 'StripeAuthenticationError',
      statusCode: 401,
      message: expect.stringContaining('Invalid API Key provided: sk_test_'),
    });
    const bare = await fetch(`${d.url}/v1/charges`);
    expect(bare.status).toBe(401);
    expect(await bare.json()).toEqual({ error: { type: 'invalid_request_error', message: expect.stringContaining('You did not provide an API key') } });
    const unknown = await fetch(`${d.url}/v1/customers`, { headers: { authorization: 'Bearer sk_test_local' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: { type: 'invalid_request_error', message: expect.stringContaining('Unrecognized request URL (GET: /v1/customers)') },
    });
  });
});

describe('stripe double: webhooks', () => {
  it('delivers each event signed so that stripe.webhooks.constructEvent verifies it', async () => {
    const hook = await receiver(200);
    const { d, stripe } = await double({ webhookUrl: hook.url, webhookSecret: SECRET });
    const session = await stripe.checkout.sessions.create(featured);
    const { events } = d.pay(session.id);
    await d.waitForDeliveries();
    expect(hook.received).toHaveLength(3);
    const verified = hook.received.map((r) => stripe.webhooks.constructEvent(r.body, r.signature, SECRET));
    expect(verified.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(verified.map((e) => e.type)).toEqual(['checkout.session.completed', 'payment_intent.succeeded', 'charge.succeeded']);
    expect(verified[0]!.data.object).toMatchObject({ id: session.id, payment_status: 'paid', metadata: featured.metadata });

    const { body, signature } = hook.received[2]!;
    expect(() => stripe.webhooks.constructEvent(body.replace('2200', '1'), signature, SECRET)).toThrow(/No signatures found/);
    expect(() => stripe.webhooks.constructEvent(body, signature, 'whsec_other')).toThrow(/No signatures found/);
    const old = d.sign(body, SECRET, Math.floor(Date.now() / 1000) - 400);
    expect(() => stripe.webhooks.constructEvent(body, old, SECRET)).toThrow(/tolerance/);
    expect(stripe.webhooks.constructEvent(body, d.sign(body), SECRET).id).toBe(events[2]!.id);

    expect(d.deliveries.map((x) => [x.attempt, x.status, x.ok])).toEqual([
      [1, 200, true],
      [1, 200, true],
      [1, 200, true],
    ]);
    expect((await stripe.events.list({ delivery_success: true })).data).toHaveLength(3);
    expect((await stripe.events.list({ delivery_success: false })).data).toHaveLength(0);
  });

  it('retries a receiver that answers 500, then lists the event under delivery_success=false until a resend succeeds', async () => {
    const hook = await receiver(500);
    const { d, stripe } = await double({ webhookUrl: hook.url, webhookSecret: SECRET, retryDelaysMs: [5, 10] });
    const { events } = d.createPaidCharge({ amount: 2200, metadata: { business_id: 'b-3' } });
    await d.waitForDeliveries();
    expect(d.deliveries.filter((x) => x.eventId === events[0]!.id).map((x) => [x.attempt, x.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
    ]);
    expect(hook.received).toHaveLength(6);
    const signatures = hook.received.map((r) => r.signature);
    expect(new Set(hook.received.map((r) => r.body)).size).toBe(2); // same bytes on every retry
    for (const r of hook.received) expect(stripe.webhooks.constructEvent(r.body, r.signature, SECRET)).toBeTruthy();
    expect(signatures).toHaveLength(6);

    const failing = await stripe.events.list({ delivery_success: false });
    expect(failing.data.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(failing.data[0]!.pending_webhooks).toBe(1);

    hook.state.status = 200;
    const resend = await post(d, `/__double/events/${events[1]!.id}/redeliver`);
    expect(await resend.json()).toMatchObject({ eventId: events[1]!.id, attempt: 4, status: 200, ok: true, manual: true });
    expect((await stripe.events.list({ delivery_success: false })).data.map((e) => e.id)).toEqual([events[0]!.id]);
    expect((await stripe.events.retrieve(events[1]!.id)).pending_webhooks).toBe(0);

    d.setWebhook('http://127.0.0.1:9/unreachable');
    const refused = await d.redeliver(events[0]!.id);
    expect(refused).toMatchObject({ ok: false, status: null, error: expect.any(String) });
  });

  it('holds deliveries while paused and sends them on resume (over the HTTP control surface)', async () => {
    const hook = await receiver(200);
    const { d, stripe } = await double({ retryDelaysMs: [5] });
    expect(await (await post(d, '/__double/webhook', { url: hook.url, secret: SECRET })).json()).toMatchObject({ configured: true });
    await post(d, '/__double/deliveries/pause');
    const created = await post(d, '/__double/charges', { amount: 2200, metadata: { business_id: 'b-4' } });
    expect(created.status).toBe(200);
    await d.waitForDeliveries();
    await new Promise((r) => setTimeout(r, 30));
    expect(hook.received).toHaveLength(0);
    expect((await stripe.events.list({ delivery_success: false })).data).toHaveLength(2);
    await post(d, '/__double/deliveries/resume');
    await post(d, '/__double/deliveries/wait');
    expect(hook.received.map((r) => stripe.webhooks.constructEvent(r.body, r.signature, SECRET).type)).toEqual([
      'payment_intent.succeeded',
      'charge.succeeded',
    ]);
    expect((await stripe.events.list({ delivery_success: false })).data).toHaveLength(0);
    const log = (await (await fetch(`${d.url}/__double/deliveries`)).json()) as { deliveries: unknown[] };
    expect(log.deliveries).toHaveLength(2);
  });

  it('sends nothing for events that happened before an endpoint existed, and moves `created` with the clock', async () => {
    const hook = await receiver(200);
    const { d, stripe } = await double();
    d.clock.setNow(new Date('2026-03-01T00:00:00Z'));
    const early = d.createPaidCharge({ amount: 2200 });
    d.setWebhook(hook.url, SECRET);
    d.clock.reset();
    d.createPaidCharge({ amount: 2200 });
    await d.waitForDeliveries();
    expect(hook.received).toHaveLength(2);
    expect(early.events[0]!.created).toBe(Date.parse('2026-03-01T00:00:00Z') / 1000);
    const march = await stripe.events.list({ created: { lt: Date.parse('2026-03-02T00:00:00Z') / 1000 } });
    expect(march.data.map((e) => e.id).sort()).toEqual(early.events.map((e) => e.id).sort());
  });
});
