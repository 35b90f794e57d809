// Money over HTTP in the local stack: a trainer buys a featured placement
// through Checkout (Stripe double), Stripe's signed events reach the Deno
// webhook, the trainer asks for a refund, the operator's decision refunds
// once; and after a webhook outage the sweep restores what was missed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { createClient } from '@supabase/supabase-js';
import type { RunningStack } from '../server-functions/local/stack/stack.ts';
import { freePort } from '../server-functions/local/stack/ports.ts';
import { createStripe } from '../server-functions/supabase/functions/_shared/stripe.ts';
import { decideRefund } from '../server-functions/supabase/functions/_shared/refunds/decide.ts';
import { startE2eStack, type E2eStack } from './stack.ts';

let world: E2eStack;
let stack: RunningStack;
let sql: postgres.Sql;
const COUNCIL = 'e2e-money';

beforeAll(async () => {
  world = await startE2eStack('money', { stripeRetryDelaysMs: [20, 40] }, 3);
  ({ stack, sql } = world);
  await sql`insert into public.councils (id, name) values (${COUNCIL}, 'E2E Money') on conflict do nothing`;
}, 120_000);

afterAll(async () => world?.close());

async function trainer(opts: { visible?: boolean; flagged?: boolean } = {}) {
  const email = `trainer-${randomUUID().slice(0, 8)}@example.test`;
  const password = 'correct horse battery';
  const [user] = await sql<{ id: string }[]>`
    insert into auth.users (email, encrypted_password, raw_app_meta_data)
    values (${email}, extensions.crypt(${password}, extensions.gen_salt('bf', 4)), ${sql.json({ role: 'trainer' })}) returning id`;
  await sql`insert into public.profiles (id, role, email, display_name, account_status, flagged_at, flagged_reason)
            values (${user!.id}, 'trainer', ${email}, 'Sam', ${opts.flagged ? 'flagged_for_review' : 'active'},
                    ${opts.flagged ? new Date() : null}, ${opts.flagged ? '3 refunds in 7 days' : null})`;
  const [business] = await sql<{ id: string }[]>`
    insert into public.businesses (owner_id, council_id, name, age_specialties, behavior_issues)
    values (${user!.id}, ${COUNCIL}, 'Sam Trains Dogs', ${opts.visible === false ? [] : ['puppy']}::text[], '{pulling}') returning id`;
  const client = createClient(stack.info.API_URL, stack.info.ANON_KEY, { auth: { persistSession: false, autoRefreshToken: false } });
  const { error } = await client.auth.signInWithPassword({ email, password });
  if (error) throw error;
  return { client, userId: user!.id, businessId: business!.id, email };
}

describe('featured purchase and refund, end to end', () => {
  it('checkout → paid → webhook places it → refund request → the same decision approved 3× refunds once', async () => {
    const sam = await trainer();
    const checkout = await sam.client.functions.invoke('featured-checkout', { body: { businessId: sam.businessId } });
    expect(checkout.error).toBeNull();
    expect(checkout.data).toMatchObject({ amountCents: 2200, currency: 'aud', url: expect.stringContaining('/c/pay/') });

    const stripeDouble = stack.doubles.stripe!;
    stripeDouble.pay(checkout.data.id);
    await stripeDouble.waitForDeliveries();
    const [payment] = await sql<{ id: string; status: string }[]>`select id, status from public.payment_audit where business_id = ${sam.businessId}`;
    expect(payment!.status).toBe('succeeded');
    expect(await sql`select status from public.featured_placements where payment_id = ${payment!.id}`).toEqual([{ status: 'active' }]);
    expect(
      await sql`select count(*)::int as n from public.stripe_events where processed_at is not null and payload -> 'data' -> 'object' -> 'metadata' ->> 'business_id' = ${sam.businessId}`,
    ).toEqual([{ n: 3 }]); // session completed, payment intent succeeded, charge succeeded: one purchase

    const request = await sam.client.functions.invoke('refund-request', { body: { paymentId: payment!.id, reason: 'No leads yet' } });
    expect(request.error).toBeNull();
    expect(request.data).toMatchObject({ status: 'pending' });

    const stripe = createStripe('sk_test_local_double', stack.info.STRIPE_DOUBLE_URL);
    const decision = { requestId: request.data.id, decision: 'approve' as const, operatorId: randomUUID(), decisionId: randomUUID() };
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await decideRefund({ sql, stripe }, decision));
    expect(results.map((r) => r.outcome)).toEqual(['applied', 'already_decided', 'already_decided']);
    expect(stripeDouble.store.refunds.size).toBe(1);
    await stripeDouble.waitForDeliveries(); // charge.refunded and refund.created arrive: nothing changes twice
    expect(await sql`select status, stripe_refund_id is not null as has_refund from public.payment_audit where id = ${payment!.id}`).toEqual([
      { status: 'refunded', has_refund: true },
    ]);
    expect(await sql`select status from public.featured_placements where payment_id = ${payment!.id}`).toEqual([{ status: 'refunded' }]);
    expect(await sql`select template from public.email_outbox where to_email = ${sam.email} order by created_at`).toEqual([
      { template: 'featured_activated' },
      { template: 'refund_approved' },
    ]);
    // The local stack's email sender really sends them (to its Resend double), as the scheduler would.
    const sent = await fetch(`${stack.info.FUNCTIONS_URL}/email-sender`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.info.SERVICE_ROLE_KEY}` },
    });
    expect(sent.status).toBe(200);
    expect(stack.doubles.email!.sent.filter((e) => e.to.includes(sam.email)).map((e) => e.subject)).toEqual(
      expect.arrayContaining([expect.stringMatching(/featured/i), 'Your refund has been processed']),
    );
    expect(await sql`select distinct status from public.email_outbox where to_email = ${sam.email}`).toEqual([{ status: 'sent' }]);
  });

  it('refuses an open redirect and a second placement for one business (no slot squatting), with the reason', async () => {
    const jo = await trainer();
    const evil = await jo.client.functions.invoke('featured-checkout', {
      body: { businessId: jo.businessId, successUrl: 'https://evil.example/thanks', cancelUrl: 'https://dogtrainersdirectory.com.au/featured/cancelled' },
    });
    expect(evil.response?.status).toBe(400);
    expect(await evil.response!.json()).toEqual({
      error: {
        type: 'bad_request',
        field: 'successUrl',
        message:
          'successUrl must be a page of the site (https://dogtrainersdirectory.com.au or https://www.dogtrainersdirectory.com.au), not https://evil.example',
      },
    });
    const own = await jo.client.functions.invoke('featured-checkout', {
      body: { businessId: jo.businessId, successUrl: 'https://www.dogtrainersdirectory.com.au/featured/thanks' },
    });
    expect(own.response?.status).toBe(201);

    // Paid once (the webhook places it), a second checkout is refused before Stripe is asked.
    stack.doubles.stripe!.createPaidCharge({ amount: 2200, currency: 'aud', metadata: { business_id: jo.businessId, council_id: COUNCIL } });
    await stack.doubles.stripe!.waitForDeliveries();
    const [held] = await sql<{ n: number }[]>`
      select (select count(*) from public.featured_placements where business_id = ${jo.businessId} and status = 'active')
           + (select count(*) from public.featured_queue where business_id = ${jo.businessId} and promoted_at is null and cancelled_at is null) as n`;
    expect(Number(held!.n)).toBe(1);
    const second = await jo.client.functions.invoke('featured-checkout', { body: { businessId: jo.businessId } });
    expect(second.response?.status).toBe(409);
    expect(await second.response!.json()).toMatchObject({
      error: {
        field: 'businessId',
        message: expect.stringMatching(
          /^this business already has (a featured placement active until \d{1,2} \w+ \d{4}|a purchase waiting in the E2E Money queue since \d{1,2} \w+ \d{4}); one business holds at most 1 at a time$/,
        ),
      },
    });
  });

  it('refuses checkout for a flagged account and for a business not shown in search, with the reason', async () => {
    const flagged = await trainer({ flagged: true });
    const refused = await flagged.client.functions.invoke('featured-checkout', { body: { businessId: flagged.businessId } });
    expect(refused.response?.status).toBe(403);
    expect(await refused.response!.json()).toMatchObject({ error: { message: expect.stringMatching(/flagged for review/) } });

    const hidden = await trainer({ visible: false });
    const notShown = await hidden.client.functions.invoke('featured-checkout', { body: { businessId: hidden.businessId } });
    expect(notShown.response?.status).toBe(409);
    expect(await notShown.response!.json()).toMatchObject({ error: { message: expect.stringMatching(/no age specialties/) } });
  });

  it('after the webhook answered 500 for a stretch, the sweep brings the database to the same state, nothing duplicated', async () => {
    const stripeDouble = stack.doubles.stripe!;
    const down: Server = createServer((_req, res) => res.writeHead(500).end('{"error":"down"}'));
    const port = await freePort();
    await new Promise<void>((r) => down.listen(port, '127.0.0.1', () => r()));
    const buyers = await Promise.all(Array.from({ length: 8 }, () => trainer()));
    try {
      stripeDouble.setWebhook(`http://127.0.0.1:${port}/`);
      for (const b of buyers) stripeDouble.createPaidCharge({ amount: 2200, currency: 'aud', metadata: { business_id: b.businessId, council_id: COUNCIL } });
      await stripeDouble.waitForDeliveries();
    } finally {
      stripeDouble.setWebhook(`${stack.info.API_URL}/functions/v1/stripe-webhook`);
      down.close();
    }
    const ids = buyers.map((b) => b.businessId);
    const count = async () =>
      (
        await sql<{ payments: number; entries: number; orphans: number }[]>`
        select (select count(*)::int from public.payment_audit where business_id = any(${ids})) as payments,
               (select count(*)::int from public.featured_queue where business_id = any(${ids})) as entries,
               (select count(*)::int from public.orphaned_payments where business_id = any(${ids})) as orphans`
      )[0]!;
    expect(await count()).toEqual({ payments: 0, entries: 0, orphans: 0 });

    const sweep = await fetch(`${stack.info.FUNCTIONS_URL}/stripe-sweep`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.info.SERVICE_ROLE_KEY}` },
    });
    expect(sweep.status).toBe(200);
    expect(await count()).toEqual({ payments: 8, entries: 8, orphans: 0 });

    // Stripe's own retries (or a second sweep) arriving late change nothing.
    for (const event of stripeDouble.events().filter((e) => JSON.stringify(e.data.object).includes(buyers[0]!.businessId)))
      await stripeDouble.redeliver(event.id);
    await fetch(`${stack.info.FUNCTIONS_URL}/stripe-sweep`, { method: 'POST', headers: { authorization: `Bearer ${stack.info.SERVICE_ROLE_KEY}` } });
    expect(await count()).toEqual({ payments: 8, entries: 8, orphans: 0 });
    const [active] = await sql<{ n: number }[]>`select count(*)::int as n from public.featured_placements where council_id = ${COUNCIL} and status = 'active'`;
    expect(active!.n).toBeLessThanOrEqual(5);
  });

  it("the sweep reads Stripe's whole 30-day event window, every page: purchases missed 10 days ago are recovered", async () => {
    const stripeDouble = stack.doubles.stripe!;
    const council = 'e2e-sweep-window';
    await sql`insert into public.councils (id, name) values (${council}, 'E2E Sweep Window') on conflict do nothing`;
    const down: Server = createServer((_req, res) => res.writeHead(500).end('{"error":"down"}'));
    const port = await freePort();
    await new Promise<void>((r) => down.listen(port, '127.0.0.1', () => r()));
    // 60 purchases × 2 events = 120 events of the swept types: more than one page of 100.
    const buyers = await Promise.all(Array.from({ length: 60 }, () => trainer()));
    await sql`update public.businesses set council_id = ${council} where id = any(${buyers.map((b) => b.businessId)})`;
    const tenDaysAgo = new Date(Date.now() - 10 * 24 * 3600_000);
    try {
      stripeDouble.setWebhook(`http://127.0.0.1:${port}/`);
      for (const b of buyers)
        stripeDouble.createPaidCharge({ amount: 2200, currency: 'aud', created: tenDaysAgo, metadata: { business_id: b.businessId, council_id: council } });
      await stripeDouble.waitForDeliveries();
    } finally {
      stripeDouble.setWebhook(`${stack.info.API_URL}/functions/v1/stripe-webhook`);
      down.close();
    }
    const ids = buyers.map((b) => b.businessId);
    const payments = async () => (await sql<{ n: number }[]>`select count(*)::int as n from public.payment_audit where business_id = any(${ids})`)[0]!.n;
    expect(await payments()).toBe(0);
    const sweep = await fetch(`${stack.info.FUNCTIONS_URL}/stripe-sweep`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.info.SERVICE_ROLE_KEY}` },
    });
    expect(sweep.status).toBe(200);
    expect(await payments()).toBe(60);
    const [paid] = await sql<{ oldest: Date }[]>`select min(paid_at) as oldest from public.payment_audit where business_id = any(${ids})`;
    expect(Math.abs(paid!.oldest.getTime() - tenDaysAgo.getTime())).toBeLessThan(2_000); // paid when Stripe says, not when swept
  }, 120_000);
});
