// The operator API against the real database and the Stripe double: who gets
// in, what a pull returns (and that a late commit is never missed), and push
// applying each command exactly once with readable verdicts.
import { randomUUID } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult, PullResponse } from '../../../../shared/api/operator.ts';
import { startStripeDouble, type StripeDouble } from '../../../local/doubles/stripe.ts';
import { signJwt } from '../../../local/stack/keys.ts';
import { freshDatabase, rowCount, type TestDatabase } from '../../../test/db.ts';
import {
  createAlert,
  createBusiness,
  createCouncil,
  createPayment,
  createPerson,
  createPlacement,
  createQueueEntry,
  createRefundRequest,
  createReview,
} from '../../../test/fixtures.ts';
import { hs256Verifier } from '../_shared/auth.ts';
import { createStripe } from '../_shared/stripe.ts';
import { createOperatorHandler } from './handler.ts';

const SECRET = 'operator-test-secret';
const ISSUER = 'http://127.0.0.1:54321/auth/v1';
let db: TestDatabase;
let stripeDouble: StripeDouble;
let handler: ReturnType<typeof createOperatorHandler>;
let alex: string; // operator 1
let sam: string; // operator 2
let alexToken: string;
let samToken: string;
let council: string;
let trainer: string;
let businessA: string;
let businessB: string;

const operatorClaims = (sub: string) => ({ iss: ISSUER, aud: 'authenticated', sub, role: 'authenticated', app_metadata: { role: 'operator' } });

beforeAll(async () => {
  db = await freshDatabase();
  stripeDouble = await startStripeDouble();
  handler = createOperatorHandler({
    sql: db.sql,
    verifier: hs256Verifier(SECRET, { issuer: ISSUER }),
    stripe: createStripe('sk_test_double', stripeDouble.url),
    sleep: async () => {},
  });
  alex = await createPerson(db.sql, { profileRole: 'operator' });
  sam = await createPerson(db.sql, { profileRole: 'operator' });
  await db.sql`update public.profiles set display_name = 'Alex Operator' where id = ${alex}`;
  await db.sql`update public.profiles set display_name = 'Sam Operator' where id = ${sam}`;
  alexToken = await signJwt(SECRET, operatorClaims(alex), 600);
  samToken = await signJwt(SECRET, operatorClaims(sam), 600);
  council = await createCouncil(db.sql, 'yarra');
  trainer = await createPerson(db.sql);
  businessA = await createBusiness(db.sql, trainer, council, { name: 'Alpha Dogs' });
  businessB = await createBusiness(db.sql, await createPerson(db.sql), council, { name: 'Bravo K9' });
});
afterAll(async () => {
  await stripeDouble?.close();
  await db?.drop();
});

const call = (path: string, token: string | null, body?: unknown) =>
  handler(
    new Request(`http://x/operator${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
const pullAs = async (token: string, cursor: string | null = null) => {
  const res = await call('/pull', token, { cursor });
  expect(res.status).toBe(200);
  return (await res.json()) as PullResponse;
};
const pushAs = async (token: string, commands: unknown[]) => {
  const res = await call('/push', token, { commands });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: CommandResult[] }).results;
};
const cmd = (type: string, payload: Record<string, unknown>, baseVersion: number | null = null) => ({
  id: randomUUID(),
  type,
  payload,
  baseVersion,
  decidedAt: new Date(Date.now() - 3_600_000).toISOString(),
});

describe('who may call the operator API', () => {
  it('answers 401 for no, expired, never-expiring, unsigned (alg=none), wrongly signed, wrong-issuer and wrong-audience tokens, and 403 for any other role', async () => {
    const key = new TextEncoder().encode(SECRET);
    const expired = await new SignJWT(operatorClaims(alex))
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(key);
    const unsigned = new UnsecuredJWT(operatorClaims(alex)).setIssuedAt().setExpirationTime('1h').encode();
    const otherSecret = await signJwt('not-our-secret', operatorClaims(alex), 600);
    const otherIssuer = await signJwt(SECRET, { ...operatorClaims(alex), iss: 'https://evil.example/auth/v1' }, 600);
    const otherAudience = await signJwt(SECRET, { ...operatorClaims(alex), aud: 'some-other-api' }, 600);
    const neverExpires = await new SignJWT(operatorClaims(alex)).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().sign(key);
    const cases: [string, string | null, number][] = [
      ['no token', null, 401],
      ['expired', expired, 401],
      ['alg none', unsigned, 401],
      ['wrong secret', otherSecret, 401],
      ['wrong issuer', otherIssuer, 401],
      ['wrong audience', otherAudience, 401],
      ['no expiry', neverExpires, 401],
      [
        'trainer',
        await signJwt(SECRET, { iss: ISSUER, aud: 'authenticated', sub: trainer, role: 'authenticated', app_metadata: { role: 'trainer' } }, 600),
        403,
      ],
      ['anon key', await signJwt(SECRET, { iss: ISSUER, role: 'anon' }, 600), 403],
      ['service role key', await signJwt(SECRET, { iss: ISSUER, role: 'service_role' }, 600), 403],
      ['user without role', await signJwt(SECRET, { iss: ISSUER, aud: 'authenticated', sub: trainer, role: 'authenticated' }, 600), 403],
    ];
    for (const [name, token, status] of cases) {
      for (const [path, body] of [
        ['/me', undefined],
        ['/pull', {}],
        ['/push', { commands: [cmd('ai_mode.set', { mode: 'deterministic' })] }],
      ] as const) {
        const res = await call(path, token, body);
        expect({ name, path, status: res.status }).toEqual({ name, path, status });
        expect(((await res.json()) as { error: { message: string } }).error.message).toBeTruthy();
      }
    }
    expect(await rowCount(db.sql, 'operator_commands')).toBe(0);
    expect((await db.sql`select value from public.feature_flags where key = 'AI_MODE'`)[0]!.value).toBe('z_ai');
    expect((await call('/me', alexToken)).status).toBe(200);
  });
});

describe('pull', () => {
  it('first pull returns everything pending with the server-computed refund eligibility; later pulls return what changed, also elsewhere', async () => {
    const r1 = await createReview(db.sql, businessA);
    await createReview(db.sql, businessA, 'approved');
    const inWindow = await createRefundRequest(db.sql, await createPayment(db.sql, businessA, council), businessA, trainer);
    const latePayment = await createPayment(db.sql, businessA, council, { paidAt: new Date(Date.now() - 5 * 86_400_000) });
    const late = await createRefundRequest(db.sql, latePayment, businessA, trainer);
    const alert = await createAlert(db.sql, 'queue_long', 'yarra');

    const first = await pullAs(alexToken);
    expect(first.full).toBe(true);
    expect(first.reviews.map((r) => r.id)).toContain(r1);
    expect(first.reviews.every((r) => r.status === 'pending')).toBe(true);
    const refunds = new Map(first.refunds.map((r) => [r.id, r]));
    expect(refunds.get(inWindow)).toMatchObject({ eligible: true, amountCents: 2200, businessName: 'Alpha Dogs', version: 1 });
    expect(refunds.get(late)).toMatchObject({ eligible: false, windowHours: 72 });
    expect(refunds.get(late)!.hoursAfterPurchase).toBeGreaterThan(119);
    expect(first.alerts.map((a) => a.id)).toContain(alert);
    expect(first.flags).toContainEqual(expect.objectContaining({ key: 'AI_MODE', value: 'z_ai' }));
    expect(first.metrics.pendingReviews).toBe(first.reviews.length);
    expect(first.cursor).toMatch(/^xid:\d+$/);

    // Nothing changed: an incremental pull is empty.
    const quiet = await pullAs(alexToken, first.cursor);
    expect(quiet.full).toBe(false);
    expect(quiet.reviews).toEqual([]);

    // Decided elsewhere (another console, the server): the item comes back with its new state.
    await db.sql`update public.reviews set status = 'approved', moderated_by = ${sam}, moderated_at = now() where id = ${r1}`;
    const next = await pullAs(alexToken, quiet.cursor);
    expect(next.reviews).toEqual([expect.objectContaining({ id: r1, status: 'approved', version: 2, moderatedByName: 'Sam Operator' })]);
  });

  it('never misses a change whose transaction commits after the pull read its snapshot', async () => {
    const review = await createReview(db.sql, businessB);
    const before = await pullAs(alexToken);
    // A writer starts, changes the review, and is still open while the operator pulls.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let wrote!: () => void;
    const written = new Promise<void>((r) => (wrote = r));
    const writer = db.sql.begin(async (tx) => {
      await tx`update public.reviews set body = 'edited by a slow transaction' where id = ${review}`;
      wrote();
      await gate;
    });
    await written;
    const during = await pullAs(alexToken, before.cursor);
    expect(during.reviews.find((r) => r.id === review)).toBeUndefined(); // not committed yet
    release();
    await writer;
    const after = await pullAs(alexToken, during.cursor);
    expect(after.reviews.find((r) => r.id === review)).toMatchObject({ body: 'edited by a slow transaction', version: 2 });
  });

  it('refuses a cursor it did not issue, naming the field', async () => {
    const res = await call('/pull', alexToken, { cursor: '1; drop table reviews' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('cursor');
  });
});

describe('one refund rate', () => {
  it('the pull shows the refund rate the alert judges: refunds this week against purchases this week', async () => {
    // A purchase from 8 days ago refunded today, and one purchase today: 1 refund of 1 purchase this week.
    // (The dashboard used to count refunded purchases among this week's purchases: 0 %.)
    const biz = await createBusiness(db.sql, await createPerson(db.sql), council, { name: 'Rate Check K9' });
    await db.sql`update public.payment_audit set paid_at = paid_at - interval '30 days', refunded_at = refunded_at - interval '30 days'`;
    const old = await createPayment(db.sql, biz, council, { status: 'refunded', paidAt: new Date(Date.now() - 8 * 86_400_000) });
    await createPayment(db.sql, biz, council);
    const [rate] = await db.sql<{ rate_pct: string; refunds: number; purchases: number }[]>`select * from public.refund_rate_7d()`;
    expect({ ...rate, rate_pct: Number(rate!.rate_pct) }).toEqual({ rate_pct: 100, refunds: 1, purchases: 1 });
    await db.sql`select public.refresh_alerts('all')`;
    const [alert] = await db.sql<{ details: { rate_pct: number } }[]>`select details from public.alerts where kind = 'refund_rate' and resolved_at is null`;
    const pulled = await pullAs(alexToken);
    expect(pulled.metrics.refundRate7d).toBe(1);
    expect(alert!.details.rate_pct).toBe(100);
    await db.sql`update public.payment_audit set paid_at = paid_at - interval '30 days', refunded_at = refunded_at - interval '30 days' where id = ${old}`;
  });

  it("counts this month's revenue from the start of the Melbourne month, not the UTC one", async () => {
    // Melbourne's month begins 10–11 hours before UTC's: a sale in its first hour is this month's here.
    const [edge] = await db.sql<{ at: Date }[]>`
      select (date_trunc('month', now() at time zone 'Australia/Melbourne') at time zone 'Australia/Melbourne') + interval '1 hour' as at`;
    const before = (await pullAs(alexToken)).metrics.revenueThisMonthCents;
    const biz = await createBusiness(db.sql, await createPerson(db.sql), council, { name: 'Month Edge K9' });
    await createPayment(db.sql, biz, council, { paidAt: edge!.at });
    expect((await pullAs(alexToken)).metrics.revenueThisMonthCents - before).toBe(2200);
  });
});

describe('push', () => {
  it('applies a batch once: replaying it answers duplicate with the first results and changes nothing', async () => {
    const approveMe = await createReview(db.sql, businessA);
    const rejectMe = await createReview(db.sql, businessA);
    const paid = stripeDouble.createPaidCharge({ amount: 2200, emitEvents: false });
    const payment = await createPayment(db.sql, businessA, council, { paymentIntentId: paid.paymentIntent.id, chargeId: paid.charge.id });
    const refund = await createRefundRequest(db.sql, payment, businessA, trainer);
    const batch = [
      cmd('review.approve', { reviewId: approveMe, businessId: businessA }, 1),
      cmd('review.reject', { reviewId: rejectMe, businessId: businessA, reason: 'spam', note: 'link farm' }, 1),
      cmd('refund.approve', { refundRequestId: refund, businessId: businessA }, 1),
    ];
    const first = await pushAs(alexToken, batch);
    expect(first.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const audits = await rowCount(db.sql, 'audit_log');
    const refundsAtStripe = stripeDouble.store.refunds.size;

    const replay = await pushAs(alexToken, batch);
    expect(replay.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(replay.map((r) => (r.status === 'duplicate' ? r.first : null))).toEqual(first.map(({ index: _i, id: _d, ...v }) => v));
    expect(await rowCount(db.sql, 'audit_log')).toBe(audits);
    expect(stripeDouble.store.refunds.size).toBe(refundsAtStripe);

    const [rev] = await db.sql`select status, rejection_reason, rejection_note, moderated_by from public.reviews where id = ${rejectMe}`;
    expect(rev).toEqual({ status: 'rejected', rejection_reason: 'spam', rejection_note: 'link farm', moderated_by: alex });
    const [rr] = await db.sql`select status, version from public.refund_requests where id = ${refund}`;
    expect(rr).toEqual({ status: 'approved', version: 2 });
    const [pa] = await db.sql`select status from public.payment_audit where id = ${payment}`;
    expect(pa!.status).toBe('refunded');

    // Each applied command is audited with the operator, both times and before/after.
    const [entry] = await db.sql`select actor_id, actor_kind, details from public.audit_log
                                 where action = 'command.review.reject' and subject_id = ${rejectMe}`;
    expect(entry).toMatchObject({ actor_id: alex, actor_kind: 'operator' });
    expect(entry!.details).toMatchObject({
      command_id: batch[1]!.id,
      decided_at: batch[1]!.decidedAt,
      before: { status: 'pending', version: 1 },
      after: { status: 'rejected', version: 2, rejection_reason: 'spam' },
    });
    expect(Date.parse(entry!.details.applied_at)).toBeGreaterThan(Date.parse(batch[1]!.decidedAt));
  });

  it('rejects malformed, unknown and cross-business commands with a reason while the rest of the batch applies', async () => {
    const good = await createReview(db.sql, businessA);
    const othersReview = await createReview(db.sql, businessB);
    const batch: unknown[] = [
      { id: 'not-a-uuid', type: 'review.approve', payload: {}, baseVersion: 1, decidedAt: new Date().toISOString() },
      cmd('review.delete', { reviewId: good }),
      cmd('business.set_price', { cents: 1 }),
      cmd('review.approve', { reviewId: othersReview, businessId: businessA }, 1),
      cmd('review.approve', { reviewId: good, businessId: businessA }), // no baseVersion
      cmd('review.reject', { reviewId: good, businessId: businessA, reason: 'rude' }, 1),
      'just a string',
      cmd('review.approve', { reviewId: good, businessId: businessA }, 1),
    ];
    const results = await pushAs(alexToken, batch);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'applied']);
    const reasons = results.map((r) => ('reason' in r ? r.reason : ''));
    expect(reasons[0]).toMatch(/id must be a uuid/);
    expect(reasons[1]).toMatch(/unknown command type "review.delete"/);
    expect(reasons[2]).toMatch(/unknown command type "business.set_price"/);
    expect(reasons[3]).toMatch(/belongs to another business/);
    expect(reasons[4]).toMatch(/needs baseVersion/);
    expect(reasons[5]).toMatch(/payload: reason/);
    expect(reasons[6]).toMatch(/malformed command/);
    expect((await db.sql`select status from public.reviews where id = ${othersReview}`)[0]!.status).toBe('pending');
    expect((await db.sql`select status from public.reviews where id = ${good}`)[0]!.status).toBe('approved');

    // Rejections with an id are kept too: the replay is all duplicates (or the same rejection when there was no id).
    const replay = await pushAs(alexToken, batch);
    expect(replay.map((r) => r.status)).toEqual(['rejected', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'rejected', 'duplicate']);
  });

  it('two operators deciding the same review: the first is applied, the second gets a stale verdict naming who decided and when', async () => {
    const review = await createReview(db.sql, businessA);
    const [a] = await pushAs(alexToken, [cmd('review.approve', { reviewId: review, businessId: businessA }, 1)]);
    const [b] = await pushAs(samToken, [cmd('review.reject', { reviewId: review, businessId: businessA, reason: 'spam' }, 1)]);
    expect(a!.status).toBe('applied');
    expect(b).toMatchObject({ status: 'rejected', kind: 'stale', decidedBy: { id: alex, name: 'Alex Operator' }, current: { status: 'approved', version: 2 } });
    expect('reason' in b! && b.reason).toMatch(/already approved by Alex Operator at \d{1,2} \w{3} \d{4}, \d{1,2}:\d\d:\d\d [ap]m AE[DS]T/);
  });

  it('the same batch pushed by two connections at once is applied once', async () => {
    const reviews = await Promise.all(Array.from({ length: 10 }, () => createReview(db.sql, businessB)));
    const batch = reviews.map((id) => cmd('review.approve', { reviewId: id, businessId: businessB }, 1));
    const audits = await rowCount(db.sql, 'audit_log');
    const [x, y] = await Promise.all([pushAs(alexToken, batch), pushAs(alexToken, batch)]);
    for (let i = 0; i < batch.length; i++) {
      expect([x![i]!.status, y![i]!.status].sort()).toEqual(['applied', 'duplicate']);
    }
    expect(await rowCount(db.sql, 'audit_log')).toBe(audits + batch.length);
  });

  it('bulk approve applies the fresh reviews and lists the ones it skipped', async () => {
    const fresh = await createReview(db.sql, businessA);
    const decided = await createReview(db.sql, businessA, 'approved');
    const [r] = await pushAs(alexToken, [
      cmd('review.bulk_approve', {
        reviews: [
          { reviewId: fresh, businessId: businessA, baseVersion: 1 },
          { reviewId: decided, businessId: businessA, baseVersion: 1 },
        ],
      }),
    ]);
    expect(r).toMatchObject({ status: 'applied', details: { approved: [fresh], skipped: [{ reviewId: decided }] } });
  });

  it('bulk approve holds the 0.90 line itself: a review the AI scored below it comes back, unpublished, to be read alone', async () => {
    const safe = await createReview(db.sql, businessA);
    const edge = await createReview(db.sql, businessA);
    await db.sql`update public.reviews set ai_confidence = 0.62 where id = ${edge}`;
    const [r] = await pushAs(alexToken, [
      cmd('review.bulk_approve', {
        reviews: [
          { reviewId: safe, businessId: businessA, baseVersion: 1 },
          { reviewId: edge, businessId: businessA, baseVersion: 1 },
        ],
      }),
    ]);
    expect(r).toMatchObject({
      status: 'applied',
      details: {
        approved: [safe],
        skipped: [{ reviewId: edge, reason: 'its AI confidence 0.62 is below the bulk-approval line 0.90; approve it on its own after reading it' }],
      },
    });
    expect((await db.sql`select status from public.reviews where id = ${edge}`)[0]!.status).toBe('pending');
  });

  it('runs the other operator actions: AI mode, alert, flag, incident, email, daily job, orphaned charge', async () => {
    const alert = await createAlert(db.sql, 'queue_long', 'bulk-test');
    // A full council (5 active), so Charlie's purchase waits first in line.
    const full = await createCouncil(db.sql, 'darebin');
    for (let i = 0; i < 5; i++) {
      const other = await createBusiness(db.sql, await createPerson(db.sql), full, { name: `Darebin ${i}` });
      await createPlacement(db.sql, other, full, await createPayment(db.sql, other, full));
    }
    const waiting = await createBusiness(db.sql, await createPerson(db.sql), full, { name: 'Charlie Canine' });
    await createQueueEntry(db.sql, waiting, full, await createPayment(db.sql, waiting, full));
    const orphan = await createPayment(db.sql, businessA, council);
    const incident = randomUUID();
    const results = await pushAs(alexToken, [
      cmd('ai_mode.set', { mode: 'deterministic' }),
      cmd('alert.resolve', { alertId: alert, note: 'queue drained' }),
      cmd('account.flag', { profileId: trainer, reason: 'refund pattern' }),
      cmd('account.flag', { profileId: alex, reason: 'operators cannot be flagged' }),
      cmd('incident.write', { incidentId: incident, title: 'Z.AI down', severity: 'RED', kind: 'zai_down', startedAt: new Date().toISOString() }),
      cmd('email.send', { businessId: waiting, template: 'featured_queued' }),
      cmd('job.run_now', {}),
      cmd('placement.activate_orphan', { paymentId: orphan }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'rejected', 'applied', 'applied', 'applied', 'applied']);
    expect((await db.sql`select value, updated_by from public.feature_flags where key = 'AI_MODE'`)[0]).toEqual({ value: 'deterministic', updated_by: alex });
    expect((await db.sql`select resolved_at is not null as done, acknowledged_by from public.alerts where id = ${alert}`)[0]).toEqual({
      done: true,
      acknowledged_by: alex,
    });
    expect((await db.sql`select account_status from public.profiles where id = ${trainer}`)[0]!.account_status).toBe('flagged_for_review');
    expect((await db.sql`select created_by from public.incidents where id = ${incident}`)[0]!.created_by).toBe(alex);
    expect((await db.sql`select subject from public.email_outbox where template = 'featured_queued'`)[0]!.subject).toMatch(/#1 in the/);
    expect((await db.sql`select trigger, triggered_by from public.cron_jobs order by id desc limit 1`)[0]).toEqual({ trigger: 'manual', triggered_by: alex });
    expect(await db.sql`select 1 from public.featured_placements where payment_id = ${orphan}`).toHaveLength(1);
    const changed = await pullAs(alexToken);
    expect(changed.metrics.aiMode).toBe('deterministic');
    expect(changed.accounts.map((a) => a.id)).toContain(trainer);
    expect(changed.activity.some((a) => a.action === 'command.ai_mode.set' && a.actorId === alex)).toBe(true);
  });
});

describe('the replies of the playbooks, and the email outbox in the pull', () => {
  const mailTo = async (commandId: string) =>
    (
      await db.sql<{ to_email: string; subject: string; body_text: string }[]>`
      select to_email, subject, body_text from public.email_outbox where dedupe_key = ${'operator_email:' + commandId}`
    )[0];

  it('queue position (playbook 4): when it was received, its position, and the ETA from the current expiries', async () => {
    const full = await createCouncil(db.sql, 'moreland', 'Moreland');
    const ends = ['2027-01-12', '2027-01-10', '2027-01-20', '2027-01-15', '2027-01-18'];
    for (const [i, end] of ends.entries()) {
      const b = await createBusiness(db.sql, await createPerson(db.sql), full, { name: `Moreland ${i}` });
      const placement = await createPlacement(db.sql, b, full, await createPayment(db.sql, b, full));
      await db.sql`update public.featured_placements set featured_until = ${`${end}T00:00:00Z`}::timestamptz where id = ${placement}`;
    }
    const owner = await createPerson(db.sql, { email: 'jess@example.test' });
    await db.sql`update public.profiles set display_name = 'Jess' where id = ${owner}`;
    const waiting = await createBusiness(db.sql, owner, full, { name: 'Jess Trains' });
    const payment = await createPayment(db.sql, waiting, full);
    const entry = await createQueueEntry(db.sql, waiting, full, payment);
    // Paid 15 December 2026 at 2:30 PM in Melbourne (AEDT, UTC+11).
    await db.sql`update public.featured_queue set paid_at = '2026-12-15T03:30:00Z' where id = ${entry}`;
    const command = cmd('email.send', { businessId: waiting, template: 'queue_position_reply' });
    expect((await pushAs(alexToken, [command]))[0]!.status).toBe('applied');
    const mail = await mailTo(command.id);
    expect(mail!.to_email).toBe('jess@example.test');
    expect(mail!.subject).toBe('About your queue position in Moreland');
    expect(mail!.body_text).toMatch(/^Hi Jess,\n\nThank you for reaching out about your queue position\./);
    expect(mail!.body_text).toContain('your featured placement request was received on 15 December 2026 at 2:30 PM.');
    expect(mail!.body_text).toContain("You're currently position #1 in the queue for the Moreland region.");
    // Its turn comes when the earliest of the five placements ends.
    expect(mail!.body_text).toContain('Your turn is estimated to come up around 10 January 2027 (based on current featured expiries)');
  });

  it('search help (2.5 scenario 2): what to search for, and the exact reason a profile is hidden', async () => {
    const owner = await createPerson(db.sql, { email: 'kim@example.test' });
    const incomplete = await createBusiness(db.sql, owner, council, { name: 'Kim K9', behaviorIssues: [] });
    const command = cmd('email.send', { businessId: incomplete, template: 'search_help' });
    expect((await pushAs(alexToken, [command]))[0]!.status).toBe('applied');
    const mail = await mailTo(command.id);
    expect(mail!.subject).toBe('About Kim K9 in search');
    expect(mail!.body_text).toContain('Kim K9 is not shown in search at the moment because it lists no behaviour issues.');
    expect(mail!.body_text).toContain('Try searching for puppy in City of yarra. If still missing, update your profile.');
  });

  it('review dispute (2.5 scenario 3): the outcome and reason come from the review, not typed; a pending one is refused', async () => {
    const rejected = await createReview(db.sql, businessA, 'rejected');
    const pending = await createReview(db.sql, businessA, 'pending');
    const reply = cmd('email.review_reply', { reviewId: rejected, businessId: businessA, to: 'reviewer@example.test', note: 'the links were advertising' });
    const early = cmd('email.review_reply', { reviewId: pending, businessId: businessA, to: 'reviewer@example.test' });
    const [a, b] = await pushAs(alexToken, [reply, early]);
    expect(a!.status).toBe('applied');
    expect(b).toMatchObject({ status: 'rejected', reason: 'the review is still waiting for a decision; decide it first' });
    const mail = await mailTo(reply.id);
    expect(mail!.to_email).toBe('reviewer@example.test');
    expect(mail!.subject).toBe('About your review of Alpha Dogs');
    expect(mail!.body_text).toContain('We reviewed your feedback. Denied for reason: it reads as spam (the links were advertising).');
    expect(await mailTo(early.id)).toBeUndefined();
  });

  it("the pull carries the outbox with each email's status, and a later pull the change when it was sent", async () => {
    const first = await pullAs(alexToken);
    const queued = first.emails.find((e) => e.subject === 'About Kim K9 in search');
    expect(queued).toMatchObject({ to: 'kim@example.test', template: 'search_help', status: 'queued', attempts: 0, sentAt: null });
    expect(queued!.body).toContain('Try searching for');
    await db.sql`update public.email_outbox set status = 'sent', sent_at = now(), attempts = 1, provider_message_id = 'em_1' where id = ${queued!.id}`;
    const later = await pullAs(alexToken, first.cursor);
    expect(later.emails.map((e) => [e.id, e.status])).toEqual([[queued!.id, 'sent']]);
  });
});

describe('reconciliation fix: mark a payment failed', () => {
  it('asks Stripe first: a charge Stripe never took is marked failed and its placement ends; one Stripe took is refused', async () => {
    const ghost = await createPayment(db.sql, businessA, council, { chargeId: `ch_${randomUUID()}` });
    const placement = await createPlacement(db.sql, businessA, council, ghost);
    const real = stripeDouble.createPaidCharge({ amount: 2200, currency: 'aud', emitEvents: false });
    const taken = await createPayment(db.sql, businessB, council, { chargeId: real.charge.id, paymentIntentId: real.paymentIntent.id });
    const [a, b] = await pushAs(alexToken, [cmd('payment.mark_failed', { paymentId: ghost }), cmd('payment.mark_failed', { paymentId: taken })]);
    expect(a, JSON.stringify(a)).toMatchObject({ status: 'applied', details: { stripe: 'no such charge', placementEnded: true } });
    expect(b).toMatchObject({ status: 'rejected', reason: `Stripe shows ${real.charge.id} succeeded ($22.00): the payment did not fail, so it is not marked` });
    expect((await db.sql`select status, notes from public.payment_audit where id = ${ghost}`)[0]).toEqual({
      status: 'failed',
      notes: 'marked failed after reconciliation: Stripe has no such charge',
    });
    expect((await db.sql`select status from public.featured_placements where id = ${placement}`)[0]!.status).toBe('expired');
    expect((await db.sql`select status from public.payment_audit where id = ${taken}`)[0]!.status).toBe('succeeded');
    const [again] = await pushAs(alexToken, [cmd('payment.mark_failed', { paymentId: ghost })]);
    expect(again).toMatchObject({ status: 'rejected', reason: 'the payment is failed; only a succeeded payment can be marked failed' });
  });
});
