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
  // The promoter every 300 ms, and a queue settled after 2 s of quiet (a minute and 120 s in production).
  world = await startE2eStack('money', { stripeRetryDelaysMs: [20, 40], promoteEveryMs: 300 }, 3);
  ({ stack, sql } = world);
  await sql`update public.settings set value = '2' where key = 'promotion_settle_seconds'`;
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
  it('checkout → paid → webhook queues it → the promoter places it → refund request → the same decision approved 3× refunds once', async () => {
    const sam = await trainer();
    const checkout = await sam.client.functions.invoke('featured-checkout', { body: { businessId: sam.businessId } });
    expect(checkout.error).toBeNull();
    expect(checkout.data).toMatchObject({ amountCents: 2200, currency: 'aud', url: expect.stringContaining('/c/pay/') });

    const stripeDouble = stack.doubles.stripe!;
    stripeDouble.pay(checkout.data.id);
    await stripeDouble.waitForDeliveries();
    const [payment] = await sql<{ id: string; status: string }[]>`select id, status from public.payment_audit where business_id = ${sam.businessId}`;
    expect(payment!.status).toBe('succeeded');
    await expect
      .poll(async () => sql`select status from public.featured_placements where payment_id = ${payment!.id}`, { timeout: 15_000 })
      .toEqual([{ status: 'active' }]);
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

    // Paid once (the webhook queues it), a second checkout is refused before Stripe is asked.
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

  it('a second payment that races past checkout anyway is held, its refund filed for the operator, never a second slot', async () => {
    const ana = await trainer();
    const stripeDouble = stack.doubles.stripe!;
    for (let i = 0; i < 2; i++)
      stripeDouble.createPaidCharge({ amount: 2200, currency: 'aud', metadata: { business_id: ana.businessId, council_id: COUNCIL } });
    await stripeDouble.waitForDeliveries();
    const payments = await sql<{ id: string; held: boolean; placed: boolean; request: string | null }[]>`
      select pa.id, pa.held_reason is not null as held,
             exists (select 1 from public.featured_queue q where q.payment_id = pa.id) as placed,
             (select rr.status from public.refund_requests rr where rr.payment_id = pa.id) as request
      from public.payment_audit pa where pa.business_id = ${ana.businessId} order by pa.created_at`;
    expect(payments.map(({ held, placed, request }) => ({ held, placed, request }))).toEqual([
      { held: false, placed: true, request: null },
      { held: true, placed: false, request: 'pending' },
    ]);
    expect(await sql`select kind from public.alerts where subject = ${payments[1]!.id} and resolved_at is null`).toEqual([{ kind: 'duplicate_purchase' }]);
  });

  it('20 purchases in one council, paid minutes apart, delivered at once in shuffled order: the 5 earliest payments take the slots', async () => {
    const council = 'e2e-fair';
    await sql`insert into public.councils (id, name) values (${council}, 'E2E Fair') on conflict do nothing`;
    const stripeDouble = stack.doubles.stripe!;
    const buyers = await Promise.all(Array.from({ length: 20 }, () => trainer()));
    await sql`update public.businesses set council_id = ${council} where id = any(${buyers.map((b) => b.businessId)})`;
    // Paid a minute apart, 40 to 21 minutes ago, while the webhook endpoint was down.
    const start = Date.now() - 40 * 60_000;
    stripeDouble.setWebhook(null);
    const paid = buyers.map((b, i) => {
      stripeDouble.createPaidCharge({
        amount: 2200,
        currency: 'aud',
        created: new Date(start + i * 60_000),
        metadata: { business_id: b.businessId, council_id: council },
      });
      return b.businessId;
    });
    stripeDouble.setWebhook(`${stack.info.API_URL}/functions/v1/stripe-webhook`);
    const mine = stripeDouble.events().filter((e) => buyers.some((b) => JSON.stringify(e.data.object).includes(b.businessId)));
    expect(mine).toHaveLength(40); // payment_intent.succeeded and charge.succeeded for each
    // All at once, in a shuffled order (a fixed permutation: the test is repeatable).
    const shuffled = mine
      .map((e, i) => ({ e, k: (i * 17 + 11) % mine.length }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.e);
    const answers = await Promise.all(shuffled.map((e) => stripeDouble.redeliver(e.id)));
    expect(answers.every((a) => a.status === 200)).toBe(true);

    const placedInOrder = async () => {
      const active = await sql<{ business_id: string }[]>`
        select business_id from public.featured_placements where council_id = ${council} and status = 'active'`;
      const waiting = await sql<{ business_id: string }[]>`
        select business_id from public.featured_queue where council_id = ${council} and promoted_at is null and cancelled_at is null
        order by paid_at, payment_id`;
      return { active: active.map((r) => r.business_id).sort(), waiting: waiting.map((r) => r.business_id) };
    };
    await expect.poll(async () => (await placedInOrder()).active.length, { timeout: 20_000 }).toBe(5);
    expect(await placedInOrder()).toEqual({ active: paid.slice(0, 5).sort(), waiting: paid.slice(5) });
    // Each purchase recorded once, whatever was delivered twice.
    const [n] = await sql<{ n: number }[]>`select count(*)::int as n from public.payment_audit where business_id = any(${paid})`;
    expect(n!.n).toBe(20);
    // The 15 who wait were told their place and when to expect their turn.
    const queued = await sql<{ n: number }[]>`
      select count(*)::int as n from public.email_outbox
      where template = 'featured_queued' and to_email = any(${buyers.slice(5).map((b) => b.email)}) and body_text like '%estimated to come up around%'`;
    expect(queued[0]!.n).toBeGreaterThan(0);
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
