// The legal freeze (spec Part 7) on the real database: while a legal/compliance
// escalation about a business is not closed, the server refuses the operator's
// refund decisions, placement activations, account flags and trainer emails
// for it (kind frozen, the escalation named), even when they were decided
// offline before it and pushed after; other businesses, and other kinds of
// escalation, freeze nothing; answering keeps the freeze, closing lifts it.
// The daily job, the promoter and the Stripe webhook never ask: they keep
// working for a frozen business.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscalationDraft } from '../../../../shared/api/escalations.ts';
import type { CommandResult } from '../../../../shared/api/operator.ts';
import { startStripeDouble, type StripeDouble } from '../../../local/doubles/stripe.ts';
import { signJwt } from '../../../local/stack/keys.ts';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { createBusiness, createCouncil, createPayment, createPerson, createPlacement, createQueueEntry, createRefundRequest } from '../../../test/fixtures.ts';
import { hs256Verifier } from '../_shared/auth.ts';
import { runDailyJob } from '../_shared/jobs/daily.ts';
import { createStripe } from '../_shared/stripe.ts';
import { createStripeWebhookHandler } from '../stripe-webhook/handler.ts';
import { createOperatorHandler } from './handler.ts';

const SECRET = 'legal-freeze-test-secret';
const WEBHOOK_SECRET = 'whsec_legal_freeze';
let db: TestDatabase;
let stripeDouble: StripeDouble;
let handler: ReturnType<typeof createOperatorHandler>;
let opToken: string;
let council: string;

type Verdict = CommandResult & { details?: Record<string, unknown>; kind?: string; reason?: string };

beforeAll(async () => {
  db = await freshDatabase();
  stripeDouble = await startStripeDouble();
  handler = createOperatorHandler({ sql: db.sql, verifier: hs256Verifier(SECRET), stripe: createStripe('sk_test_double', stripeDouble.url) });
  const alex = await createPerson(db.sql, { profileRole: 'operator' });
  await db.sql`update public.profiles set display_name = 'Alex Operator' where id = ${alex}`;
  opToken = await signJwt(SECRET, { sub: alex, aud: 'authenticated', role: 'authenticated', app_metadata: { role: 'operator' } }, 600);
  council = await createCouncil(db.sql, 'yarra', 'City of Yarra');
});
afterAll(async () => {
  await stripeDouble?.close();
  await db?.drop();
});

const call = (path: string, body: unknown) =>
  handler(
    new Request(`http://x/operator${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${opToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
const cmd = (type: string, payload: Record<string, unknown>, baseVersion: number | null = null, decidedAt = new Date()) => ({
  id: randomUUID(),
  type,
  payload,
  baseVersion,
  decidedAt: decidedAt.toISOString(),
});
async function push(...commands: ReturnType<typeof cmd>[]) {
  const res = await call('/push', { commands });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: Verdict[] }).results;
}

/** A trainer's business, with a complaint about it the operator escalates from. */
async function trainerBusiness(name: string, councilId = council) {
  const owner = await createPerson(db.sql, { email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.test` });
  const id = await createBusiness(db.sql, owner, councilId, { name });
  const [c] = await db.sql<{ id: string }[]>`
    insert into public.complaints (business_id, filed_by, kind, message) values (${id}, ${owner}, 'other', 'I want a lawyer to look at this') returning id`;
  return { id, owner, complaint: c!.id };
}
/** Drafted from the business's complaint and sent with the draft's evidence, as the console does. */
async function escalate(situation: string, complaint: string) {
  const res = await call('/escalation/draft', { situation, source: { kind: 'complaint', id: complaint } });
  expect(res.status).toBe(200);
  const d = (await res.json()) as EscalationDraft;
  const id = randomUUID();
  const [v] = await push(
    cmd('escalation.open', { escalationId: id, situation, source: d.source, subject: d.subject, note: 'Legal review requested.', evidence: d.evidence }),
  );
  expect(v!.status).toBe('applied');
  const [row] = await db.sql<{ subject: string; opened_at: Date }[]>`select subject, opened_at from public.escalations where id = ${id}`;
  return { id, ...row! };
}
/** A paid charge Stripe knows (so an approval can refund it), its payment and a pending refund request: within the refund window, or 5 days late (denied by policy). */
async function refundRequest(business: { id: string; owner: string }, late = false) {
  const paid = stripeDouble.createPaidCharge({ amount: 2200, emitEvents: false });
  const paidAt = new Date(Date.now() - (late ? 5 * 86_400_000 : 0));
  const payment = await createPayment(db.sql, business.id, council, { paymentIntentId: paid.paymentIntent.id, chargeId: paid.charge.id, paidAt });
  return createRefundRequest(db.sql, payment, business.id, business.owner);
}
const frozenActions = (b: { id: string; owner: string }, r: { approve: string; deny: string; orphan: string }) => [
  cmd('refund.approve', { refundRequestId: r.approve, businessId: b.id }, 1),
  cmd('refund.deny', { refundRequestId: r.deny, businessId: b.id }, 1),
  cmd('placement.activate_orphan', { paymentId: r.orphan }),
  cmd('account.flag', { profileId: b.owner, reason: 'refund pattern' }),
  cmd('email.send', { businessId: b.id, template: 'search_help' }),
];
async function stateOf(b: { id: string; owner: string }, r: { approve: string; deny: string; orphan: string }) {
  return {
    refunds: (await db.sql`select status from public.refund_requests where id in (${r.approve}, ${r.deny}) order by id = ${r.approve} desc`).map(
      (x) => x.status,
    ),
    placements: (await db.sql`select 1 from public.featured_placements where payment_id = ${r.orphan}`).length,
    account: (await db.sql`select account_status from public.profiles where id = ${b.owner}`)[0]!.account_status,
    emails: (await db.sql`select 1 from public.email_outbox e join public.profiles p on p.email = e.to_email where p.id = ${b.owner}`).length,
  };
}

describe('the legal freeze on the operator’s hand', () => {
  let frozen: Awaited<ReturnType<typeof trainerBusiness>>;
  let free: Awaited<ReturnType<typeof trainerBusiness>>;
  let legal: Awaited<ReturnType<typeof escalate>>;
  let rf: { approve: string; deny: string; orphan: string };
  const untouched = { refunds: ['pending', 'pending'], placements: 0, account: 'active', emails: 0 };

  beforeAll(async () => {
    frozen = await trainerBusiness('Frozen Paws');
    free = await trainerBusiness('Free Paws');
    rf = { approve: await refundRequest(frozen), deny: await refundRequest(frozen, true), orphan: await createPayment(db.sql, frozen.id, council) };
    legal = await escalate('legal_compliance', frozen.complaint);
  });

  it('refuses every frozen action for the business, naming the escalation, and writes nothing', async () => {
    const stripeRefunds = stripeDouble.store.refunds.size;
    const results = await push(...frozenActions(frozen, rf));
    expect(results.map((r) => [r.status, r.kind])).toEqual(Array.from({ length: 5 }, () => ['rejected', 'frozen']));
    for (const r of results) {
      expect(r).toMatchObject({ current: { escalationId: legal.id, businessId: frozen.id } });
      expect(r.reason).toMatch(new RegExp(`^Frozen by the legal escalation "${legal.subject.replace(/[()]/g, '\\$&')}" about Frozen Paws \\(opened `));
    }
    expect(results[0]!.reason).toContain('(approved a refund) was not done');
    expect(await stateOf(frozen, rf)).toEqual(untouched);
    expect(stripeDouble.store.refunds.size).toBe(stripeRefunds);
    expect(await db.sql`select 1 from public.audit_log where subject_id in (${rf.approve}, ${rf.deny}, ${rf.orphan})`).toHaveLength(0);
  });

  it('refuses a decision made offline before the escalation and pushed after it', async () => {
    const decidedBefore = new Date(legal.opened_at.getTime() - 3_600_000);
    const [approve, flag] = await push(
      cmd('refund.approve', { refundRequestId: rf.approve, businessId: frozen.id }, 1, decidedBefore),
      cmd('account.flag', { profileId: frozen.owner, reason: 'refund pattern' }, null, decidedBefore),
    );
    expect([approve, flag].map((r) => [r!.status, r!.kind])).toEqual([
      ['rejected', 'frozen'],
      ['rejected', 'frozen'],
    ]);
    expect(await stateOf(frozen, rf)).toEqual(untouched);
  });

  it('freezes nothing for another business, nor for a non-legal escalation about it', async () => {
    await escalate('financial', free.complaint);
    await escalate('data_integrity', free.complaint);
    const r = { approve: await refundRequest(free), deny: await refundRequest(free, true), orphan: await createPayment(db.sql, free.id, council) };
    const results = await push(...frozenActions(free, r));
    expect(results.map((v) => v.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    expect(await stateOf(free, r)).toMatchObject({ refunds: ['approved', 'denied'], placements: 1, account: 'flagged_for_review' });
  });

  it('holds once answered and lifts when closed at the current version', async () => {
    const [answered] = await push(cmd('escalation.answer', { escalationId: legal.id, answer: 'Legal says: do not refund yet, keep records.' }, 1));
    expect(answered!.status).toBe('applied');
    const held = await push(...frozenActions(frozen, rf));
    expect(held.map((r) => r.kind)).toEqual(['frozen', 'frozen', 'frozen', 'frozen', 'frozen']);
    expect(await stateOf(frozen, rf)).toEqual(untouched);

    const [closed] = await push(cmd('escalation.close', { escalationId: legal.id, note: 'Legal cleared the refund.' }, 2));
    expect(closed!.status).toBe('applied');
    const results = await push(...frozenActions(frozen, rf));
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    expect(await stateOf(frozen, rf)).toMatchObject({ refunds: ['approved', 'denied'], placements: 1, account: 'flagged_for_review' });
    expect((await stateOf(frozen, rf)).emails).toBeGreaterThan(0);
  });
});

describe('the automatic paths keep working for a frozen business', () => {
  it('the daily job expires a frozen business’s lapsed placement and promotes a frozen business from the queue', async () => {
    const full = await createCouncil(db.sql, 'darebin', 'City of Darebin');
    const lapsed = await trainerBusiness('Lapsed Legal K9', full);
    const waiting = await trainerBusiness('Waiting Legal K9', full);
    // A full council: four placements and the lapsed one (paid 31 days ago, ended yesterday); the waiting business paid 2 days ago.
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);
    for (let i = 0; i < 4; i++) {
      const b = await createBusiness(db.sql, await createPerson(db.sql), full, { name: `Darebin ${i}` });
      await createPlacement(db.sql, b, full, await createPayment(db.sql, b, full, { paidAt: daysAgo(10) }));
    }
    const placement = await createPlacement(db.sql, lapsed.id, full, await createPayment(db.sql, lapsed.id, full, { paidAt: daysAgo(31) }));
    await db.sql`update public.featured_placements set featured_from = ${daysAgo(31)}, featured_until = ${daysAgo(1)} where id = ${placement}`;
    const entry = await createQueueEntry(db.sql, waiting.id, full, await createPayment(db.sql, waiting.id, full, { paidAt: daysAgo(2) }));
    await db.sql`update public.featured_queue set paid_at = ${daysAgo(2)}, created_at = ${daysAgo(2)} where id = ${entry}`;
    await escalate('legal_compliance', lapsed.complaint);
    await escalate('legal_compliance', waiting.complaint);
    // The operator's hand is frozen for both…
    const refused = await push(
      cmd('email.send', { businessId: lapsed.id, template: 'search_help' }),
      cmd('email.send', { businessId: waiting.id, template: 'search_help' }),
    );
    expect(refused.map((r) => r.kind)).toEqual(['frozen', 'frozen']);

    // …the daily job's is not.
    const run = await runDailyJob({ sql: db.sql, sleep: async () => {} }, 'schedule', null);
    expect(run).toMatchObject({ status: 'success', attempts: 1 });
    expect(await db.sql`select status from public.featured_placements where id = ${placement}`).toEqual([{ status: 'expired' }]);
    expect(await db.sql`select status from public.featured_placements where business_id = ${waiting.id}`).toEqual([{ status: 'active' }]);
    expect(await db.sql`select promoted_at is not null as promoted from public.featured_queue where id = ${entry}`).toEqual([{ promoted: true }]);
    expect(await db.sql`select 1 from public.legal_freeze(array[${lapsed.id}, ${waiting.id}]::uuid[])`).toHaveLength(1);
  });

  it('a signed Stripe webhook records a frozen business’s purchase, and the promoter places it', async () => {
    const buyer = await trainerBusiness('Paying Legal K9');
    await escalate('legal_compliance', buyer.complaint);
    const ids = { ch: `ch_${randomUUID()}`, pi: `pi_${randomUUID()}` };
    const created = Math.floor(Date.now() / 1000);
    const payload = JSON.stringify({
      id: `evt_${randomUUID().replace(/-/g, '')}`,
      object: 'event',
      type: 'charge.succeeded',
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
          amount_refunded: 0,
          currency: 'aud',
          created: created - 5,
          payment_intent: ids.pi,
          paid: true,
          refunded: false,
          status: 'succeeded',
          metadata: { business_id: buyer.id, council_id: council },
        },
      },
    });
    const stripe = createStripe('sk_test_unused');
    const webhook = createStripeWebhookHandler({ sql: db.sql, stripe, webhookSecret: WEBHOOK_SECRET });
    const res = await webhook(
      new Request('http://x/stripe-webhook', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) },
        body: payload,
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ duplicate: false, outcome: 'queued' });
    const [payment] = await db.sql<{ id: string; status: string }[]>`
      select id, status from public.payment_audit where stripe_payment_intent_id = ${ids.pi} and business_id = ${buyer.id}`;
    expect(payment!.status).toBe('succeeded');
    // The promoter (every minute on the stack) places it once the queue has settled.
    await db.sql`select public.promote_settled(now() + interval '10 minutes')`;
    expect(await db.sql`select status from public.featured_placements where payment_id = ${payment!.id}`).toEqual([{ status: 'active' }]);
    // The operator still may not activate or email for it.
    const [email] = await push(cmd('email.send', { businessId: buyer.id, template: 'featured_activated' }));
    expect(email!.kind).toBe('frozen');
  });
});
