// The operator's week as runs (spec Parts 1–2) on the real database: a run
// started at the command's decided-at (once; one open Thursday batch per
// operator, a Monday check alongside), its events appended (sessions done,
// skipped with a reason or completing themselves; RED alerts acted on or
// deferred), each bumping the run so the pull brings it again; a Thursday
// run finished by the server with counts read from Postgres for the run's
// window (decisions applied through /push with the real commands), the
// weekly log in the spec's words kept with its SHA-256 (the audit entry holds
// the same hash), append-only from then on; and only operators read runs.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscalationDraft } from '../../../../shared/api/escalations.ts';
import type { CommandResult, PullResponse } from '../../../../shared/api/operator.ts';
import type { RunCounts } from '../../../../shared/api/week.ts';
import { DAILY_JOB } from '../../../../shared/jobs/schedule.ts';
import { startStripeDouble, type StripeDouble } from '../../../local/doubles/stripe.ts';
import { signJwt } from '../../../local/stack/keys.ts';
import { anonClaims, asRole, failureOf, freshDatabase, operatorClaims, trainerClaims, type TestDatabase } from '../../../test/db.ts';
import { createBusiness, createCouncil, createPayment, createPerson, createRefundRequest, createReview } from '../../../test/fixtures.ts';
import { hs256Verifier } from '../_shared/auth.ts';
import { melbourneTime } from '../_shared/incidents/report.ts';
import { createStripe } from '../_shared/stripe.ts';
import { createOperatorHandler } from './handler.ts';

const SECRET = 'week-test-secret';
let db: TestDatabase;
let stripeDouble: StripeDouble;
let handler: ReturnType<typeof createOperatorHandler>;
let alex: string; // the Thursday batch whose log is checked
let sam: string; // another operator
let casey: string; // starts and records (refusals, the pull)
let trainer: string;
let council: string;
const tokens: Record<string, string> = {};

type Verdict = CommandResult & { details?: Record<string, unknown>; kind?: string; reason?: string };

beforeAll(async () => {
  db = await freshDatabase();
  stripeDouble = await startStripeDouble();
  handler = createOperatorHandler({ sql: db.sql, verifier: hs256Verifier(SECRET), stripe: createStripe('sk_test_double', stripeDouble.url) });
  alex = await createPerson(db.sql, { profileRole: 'operator' });
  sam = await createPerson(db.sql, { profileRole: 'operator' });
  casey = await createPerson(db.sql, { profileRole: 'operator' });
  await db.sql`update public.profiles set display_name = 'Alex Operator' where id = ${alex}`;
  await db.sql`update public.profiles set display_name = 'Casey Operator' where id = ${casey}`;
  for (const id of [alex, sam, casey]) {
    tokens[id] = await signJwt(SECRET, { sub: id, aud: 'authenticated', role: 'authenticated', app_metadata: { role: 'operator' } }, 600);
  }
  council = await createCouncil(db.sql, 'yarra', 'City of Yarra');
  trainer = await createPerson(db.sql);
});
afterAll(async () => {
  await stripeDouble?.close();
  await db?.drop();
});

const call = (as: string, path: string, body: unknown) =>
  handler(
    new Request(`http://x/operator${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[as]}`, 'content-type': 'application/json' },
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
async function push(as: string, ...commands: ReturnType<typeof cmd>[]) {
  const res = await call(as, '/push', { commands });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: Verdict[] }).results;
}
async function pull(as: string, cursor: string | null) {
  const res = await call(as, '/pull', { cursor });
  expect(res.status).toBe(200);
  return (await res.json()) as PullResponse;
}
const ago = (ms: number) => new Date(Date.now() - ms);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const start = (as: string, runId: string, kind: 'monday' | 'thursday', decidedAt = new Date()) =>
  push(as, cmd('week.start', { runId, kind }, null, decidedAt)).then((r) => r[0]!);
const record = (as: string, payload: Record<string, unknown>, decidedAt = new Date()) =>
  push(as, cmd('week.record', payload, null, decidedAt)).then((r) => r[0]!);
const finish = (as: string, runId: string) => push(as, cmd('week.finish', { runId })).then((r) => r[0]!);
const runRow = async (id: string) =>
  (
    await db.sql<
      {
        kind: string;
        operator_id: string;
        started_at: Date;
        status: string;
        version: number;
        counts: RunCounts | null;
        log: string | null;
        log_sha256: string | null;
      }[]
    >`select kind, operator_id, started_at, status, version, counts, log, log_sha256 from public.operator_runs where id = ${id}`
  )[0];
const eventsOf = (id: string) =>
  db.sql`select kind, subject, outcome, note, spent_seconds, at from public.operator_run_events where run_id = ${id} order by at, id`;
async function redAlert(kind: string, message: string) {
  const [row] = await db.sql<{ id: string }[]>`
    insert into public.alerts (severity, kind, subject, message) values ('RED', ${kind}, 'platform', ${message}) returning id`;
  return row!.id;
}

describe('week.start', () => {
  it('creates the run at the command’s decided-at; the same run id again, or a second open Thursday batch, is refused; a Monday check may run alongside', async () => {
    const thursday = randomUUID();
    const startedAt = ago(3 * HOUR);
    expect(await start(casey, thursday, 'thursday', startedAt)).toMatchObject({ status: 'applied' });
    expect(await runRow(thursday)).toMatchObject({ kind: 'thursday', operator_id: casey, status: 'open', version: 1, counts: null, log: null });
    expect((await runRow(thursday))!.started_at.toISOString()).toBe(startedAt.toISOString());
    const [audit] = await db.sql`select actor_id, subject_type from public.audit_log where action = 'command.week.start' and subject_id = ${thursday}`;
    expect(audit).toEqual({ actor_id: casey, subject_type: 'operator_run' });

    // The same run sent again under a new command id (a start retried from another console): one run.
    const again = await start(casey, thursday, 'thursday');
    expect(again).toMatchObject({ status: 'rejected', kind: 'refused', reason: expect.stringMatching(/^this run was already started/) });
    const second = randomUUID();
    const open = await start(casey, second, 'thursday');
    expect(open).toMatchObject({ status: 'rejected', kind: 'refused' });
    expect(open.reason).toMatch(/^a Thursday batch is already open \(started .*\): resume it$/);
    expect(await runRow(second)).toBeUndefined();

    // A Monday check alongside, and another operator's own Thursday batch, are allowed.
    const monday = randomUUID();
    expect(await start(casey, monday, 'monday')).toMatchObject({ status: 'applied' });
    expect(await start(sam, randomUUID(), 'thursday')).toMatchObject({ status: 'applied' });
    expect(await db.sql`select kind, status from public.operator_runs where operator_id = ${casey} order by started_at`).toEqual([
      { kind: 'thursday', status: 'open' },
      { kind: 'monday', status: 'open' },
    ]);

    // A malformed start names the field.
    const [bad] = await push(casey, cmd('week.start', { runId: randomUUID(), kind: 'friday' }));
    expect(bad).toMatchObject({ status: 'rejected', kind: 'invalid', reason: 'malformed week.start payload: kind must be monday or thursday' });
  });
});

describe('week.start from several consoles at once', () => {
  it('opens one Thursday batch per operator, the others refused as already open', async () => {
    const dana = await createPerson(db.sql, { profileRole: 'operator' });
    tokens[dana] = await signJwt(SECRET, { sub: dana, aud: 'authenticated', role: 'authenticated', app_metadata: { role: 'operator' } }, 600);
    for (let round = 0; round < 5; round++) {
      const verdicts = await Promise.all(Array.from({ length: 6 }, () => start(dana, randomUUID(), 'thursday')));
      expect(verdicts.map((v) => v.status).sort(), `round ${round}`).toEqual(['applied', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
      for (const v of verdicts.filter((x) => x.status === 'rejected')) {
        expect(v).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^a Thursday batch is already open .*: resume it$/) });
      }
      const open = await db.sql<{ id: string }[]>`select id from public.operator_runs where operator_id = ${dana} and kind = 'thursday' and status = 'open'`;
      expect(open, `round ${round}`).toHaveLength(1);
      expect(await finish(dana, open[0]!.id)).toMatchObject({ status: 'applied' });
    }
  });
});

describe('week.start from a console whose clock runs fast', () => {
  it('starts the run no later than the server’s time, so what is applied right after it is counted', async () => {
    const erin = await createPerson(db.sql, { profileRole: 'operator' });
    tokens[erin] = await signJwt(SECRET, { sub: erin, aud: 'authenticated', role: 'authenticated', app_metadata: { role: 'operator' } }, 600);
    const business = await createBusiness(db.sql, trainer, council, { name: 'Clock Skew Canines' });
    const review = await createReview(db.sql, business);
    const run = randomUUID();
    const before = new Date();
    expect(await start(erin, run, 'thursday', new Date(Date.now() + 10 * 60_000))).toMatchObject({ status: 'applied' });
    const startedAt = (await runRow(run))!.started_at;
    expect(startedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(startedAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await push(erin, cmd('review.approve', { reviewId: review, businessId: business }, 1))).toMatchObject([{ status: 'applied' }]);
    expect(await finish(erin, run)).toMatchObject({ status: 'applied' });
    expect((await runRow(run))!.counts).toMatchObject({ reviewsApproved: 1, reviewsRejected: 0 });
    expect((await runRow(run))!.log).toContain('Reviews: Approved 1 review, rejected 0');
  });
});

describe('week.record', () => {
  let thursday: string;
  let monday: string;
  let alert: string;
  beforeAll(async () => {
    const [t] = await db.sql<{ id: string }[]>`select id from public.operator_runs where operator_id = ${casey} and kind = 'thursday' and status = 'open'`;
    const [m] = await db.sql<{ id: string }[]>`select id from public.operator_runs where operator_id = ${casey} and kind = 'monday' and status = 'open'`;
    thursday = t!.id;
    monday = m!.id;
    alert = await redAlert('stripe_down', 'Stripe API failing for 20 minutes');
  });

  it('appends session and alert events, each bumping the run so the pull brings it again with its events', async () => {
    const first = await pull(casey, null);
    expect(first.runs.find((r) => r.id === thursday)).toMatchObject({
      kind: 'thursday',
      status: 'open',
      operatorName: 'Casey Operator',
      events: [],
      version: 1,
    });
    const quiet = await pull(casey, first.cursor);
    expect(quiet.runs).toEqual([]);

    const t1 = ago(2 * HOUR);
    const t2 = ago(HOUR);
    const t3 = ago(30 * 60_000);
    expect(await record(casey, { runId: thursday, kind: 'session', subject: 'reviews', outcome: 'done', spentSeconds: 4500 }, t1)).toMatchObject({
      status: 'applied',
    });
    expect(
      await record(
        casey,
        { runId: thursday, kind: 'session', subject: 'refunds', outcome: 'skipped', note: '  Stripe dashboard down  ', spentSeconds: 60 },
        t2,
      ),
    ).toMatchObject({ status: 'applied' });
    expect(await record(casey, { runId: thursday, kind: 'session', subject: 'cron', outcome: 'auto', spentSeconds: 0 }, t3)).toMatchObject({
      status: 'applied',
    });
    expect(await record(casey, { runId: monday, kind: 'alert', subject: alert, outcome: 'deferred', note: 'Stripe status page says fixed' })).toMatchObject({
      status: 'applied',
    });
    expect(await record(casey, { runId: monday, kind: 'alert', subject: alert, outcome: 'act_now' })).toMatchObject({ status: 'applied' });

    expect(await eventsOf(thursday)).toEqual([
      { kind: 'session', subject: 'reviews', outcome: 'done', note: null, spent_seconds: 4500, at: t1 },
      { kind: 'session', subject: 'refunds', outcome: 'skipped', note: 'Stripe dashboard down', spent_seconds: 60, at: t2 },
      { kind: 'session', subject: 'cron', outcome: 'auto', note: null, spent_seconds: 0, at: t3 },
    ]);
    expect((await eventsOf(monday)).map((e) => [e.kind, e.subject, e.outcome, e.note, e.spent_seconds])).toEqual([
      ['alert', alert, 'deferred', 'Stripe status page says fixed', null],
      ['alert', alert, 'act_now', null, null],
    ]);
    expect((await runRow(thursday))!.version).toBe(4);
    expect((await runRow(monday))!.version).toBe(3);
    const [audit] = await db.sql`
      select details -> 'after' as after from public.audit_log where action = 'command.week.record' and subject_id = ${thursday} order by id limit 1`;
    expect(audit!.after).toEqual({ kind: 'session', subject: 'reviews', outcome: 'done', spent_seconds: 4500 });

    // The pull after the cursor brings both runs again, with their events.
    const since = await pull(casey, quiet.cursor);
    const t = since.runs.find((r) => r.id === thursday);
    expect(t).toMatchObject({ status: 'open', version: 4 });
    expect(t!.events.map((e) => [e.subject, e.outcome, e.note, e.spentSeconds])).toEqual([
      ['reviews', 'done', null, 4500],
      ['refunds', 'skipped', 'Stripe dashboard down', 60],
      ['cron', 'auto', null, 0],
    ]);
    expect(Date.parse(t!.events[0]!.at)).toBe(t1.getTime());
    expect(since.runs.find((r) => r.id === monday)).toMatchObject({ version: 3, events: [{ outcome: 'deferred' }, { outcome: 'act_now' }] });
    expect((await pull(casey, since.cursor)).runs).toEqual([]);
  });

  it('rejects a malformed event naming the field, and writes nothing', async () => {
    const before = (await runRow(thursday))!.version;
    const events = (await eventsOf(thursday)).length;
    const cases: [Record<string, unknown>, string][] = [
      [{ runId: thursday, kind: 'session', subject: 'cron', outcome: 'skipped', spentSeconds: 5 }, 'note a skipped session needs a reason'],
      [{ runId: thursday, kind: 'session', subject: 'cron', outcome: 'skipped', note: '  ', spentSeconds: 5 }, 'note a skipped session needs a reason'],
      [{ runId: thursday, kind: 'session', subject: 'payroll', outcome: 'done', spentSeconds: 5 }, 'subject must be a session of the Thursday batch'],
      [{ runId: thursday, kind: 'session', subject: 'cron', outcome: 'deferred', spentSeconds: 5 }, 'outcome must be done, skipped or auto'],
      [{ runId: thursday, kind: 'session', subject: 'cron', outcome: 'done', spentSeconds: -1 }, 'spentSeconds must be 0 or more'],
      [{ runId: monday, kind: 'alert', subject: 'stripe-down', outcome: 'act_now' }, 'subject must be the alert id'],
      [{ runId: monday, kind: 'alert', subject: alert, outcome: 'done' }, 'outcome must be act_now or deferred'],
      [{ runId: 'run-1', kind: 'session', subject: 'cron', outcome: 'done', spentSeconds: 5 }, 'runId must be a uuid'],
    ];
    for (const [payload, reason] of cases) {
      const verdict = await record(casey, payload);
      expect(verdict, reason).toMatchObject({ status: 'rejected', kind: 'invalid', reason: `malformed week.record payload: ${reason}` });
    }
    expect((await runRow(thursday))!.version).toBe(before);
    expect(await eventsOf(thursday)).toHaveLength(events);
  });

  it('refuses an event on an unknown run, another operator’s run or a finished run', async () => {
    const unknown = randomUUID();
    const ev = (runId: string) => ({ runId, kind: 'session', subject: 'complaints', outcome: 'done', spentSeconds: 30 });
    expect(await record(casey, ev(unknown))).toMatchObject({
      status: 'rejected',
      kind: 'not_found',
      reason: `run ${unknown} does not exist (was it started?)`,
    });
    expect(await record(sam, ev(thursday))).toMatchObject({ status: 'rejected', kind: 'refused', reason: 'this run is another operator’s' });
    expect(await finish(sam, thursday)).toMatchObject({ status: 'rejected', kind: 'refused', reason: 'this run is another operator’s' });

    // A Monday check is finished without a log; nothing is recorded on it afterwards.
    expect(await finish(casey, monday)).toMatchObject({ status: 'applied' });
    expect(await runRow(monday)).toMatchObject({ status: 'finished', log: null, counts: null });
    const version = (await runRow(monday))!.version;
    const late = await record(casey, { runId: monday, kind: 'alert', subject: alert, outcome: 'act_now' });
    expect(late).toMatchObject({ status: 'rejected', kind: 'refused', reason: expect.stringMatching(/^this run was finished /) });
    expect(await eventsOf(monday)).toHaveLength(2);
    expect((await runRow(monday))!.version).toBe(version);
    expect(await eventsOf(unknown)).toEqual([]);
  });

  it('keeps an alert id sent in capitals as the alert’s id (a valid uuid is never a server error)', async () => {
    const verdict = await record(casey, { runId: thursday, kind: 'alert', subject: alert.toUpperCase(), outcome: 'deferred', note: 'Later' });
    expect(verdict, verdict.reason).toMatchObject({ status: 'applied' });
    expect((await eventsOf(thursday)).at(-1)).toMatchObject({ kind: 'alert', subject: alert, outcome: 'deferred' });
  });
});

describe('week.finish on a Thursday batch', () => {
  const CSV = 'class,charge_id,ours_cents,stripe_cents\n';
  let seq = 0;
  async function report(discrepancies: unknown[], runAt: string) {
    seq += 1;
    const name = `Payment_Reconciliation_2026-11-26${seq > 1 ? `_${seq}` : ''}`;
    const [row] = await db.sql<{ id: string }[]>`
      insert into public.reconciliation_reports (name, window_start, window_end, run_at, trigger, our_total_cents, stripe_total_cents, our_count, stripe_count,
                                                 matched, discrepancies, csv, csv_sha256, pdf, pdf_sha256)
      values (${name}, now() - interval '1 day', now(), ${runAt}::timestamptz, 'manual', 4400, 4400 + 2200 * ${discrepancies.length}, 2, 2 + ${discrepancies.length}, 2,
              ${db.sql.json(discrepancies as never)}, ${CSV}, ${sha(CSV)}, ${Buffer.from('%PDF-1.4')}, ${sha(Buffer.from('%PDF-1.4'))})
      returning id`;
    return { id: row!.id, name };
  }
  async function paidRefundRequest(business: string, late = false) {
    const paid = stripeDouble.createPaidCharge({ amount: 2200, emitEvents: false });
    const payment = await createPayment(db.sql, business, council, {
      paymentIntentId: paid.paymentIntent.id,
      chargeId: paid.charge.id,
      paidAt: ago(late ? 5 * DAY : HOUR),
    });
    return createRefundRequest(db.sql, payment, business, trainer);
  }
  const complaint = async (business: string, kind: string, message: string) =>
    (
      await db.sql<{ id: string }[]>`
      insert into public.complaints (business_id, filed_by, kind, message) values (${business}, ${trainer}, ${kind}, ${message}) returning id`
    )[0]!.id;

  it('counts what Postgres says alex applied in the window, writes the weekly log in the spec’s words with its SHA-256, and keeps it as written', async () => {
    const alpha = await createBusiness(db.sql, trainer, council, { name: 'Alpha Dogs' });
    const bravo = await createBusiness(db.sql, trainer, council, { name: 'Bravo K9' });
    const reviews = await Promise.all(Array.from({ length: 6 }, () => createReview(db.sql, alpha)));
    const refunds = [await paidRefundRequest(alpha), await paidRefundRequest(bravo), await paidRefundRequest(alpha, true)];
    const complaints = [
      await complaint(alpha, 'not_featured', 'I paid and I am not featured'),
      await complaint(bravo, 'not_in_search', 'My profile is not in search'),
      await complaint(bravo, 'other', 'Closed by another operator'),
    ];

    // The Monday check of the week: one RED alert deferred, one acted on.
    const deferredAlert = await redAlert('reconciliation_mismatch', 'Reconciliation mismatch: $22.00');
    const actedAlert = await redAlert('email_failing', 'Email sending failing for 30 minutes');
    const mondayRun = randomUUID();
    expect(await start(alex, mondayRun, 'monday', ago(3 * DAY))).toMatchObject({ status: 'applied' });
    expect(
      await record(
        alex,
        { runId: mondayRun, kind: 'alert', subject: deferredAlert, outcome: 'deferred', note: 'batch it with reconciliation' },
        ago(3 * DAY - 60_000),
      ),
    ).toMatchObject({ status: 'applied' });
    expect(await record(alex, { runId: mondayRun, kind: 'alert', subject: actedAlert, outcome: 'act_now' }, ago(3 * DAY - 120_000))).toMatchObject({
      status: 'applied',
    });
    expect(await finish(alex, mondayRun)).toMatchObject({ status: 'applied' });
    // A Monday check of an earlier week is not this week's.
    const oldMonday = randomUUID();
    expect(await start(alex, oldMonday, 'monday', ago(10 * DAY))).toMatchObject({ status: 'applied' });
    expect(await record(alex, { runId: oldMonday, kind: 'alert', subject: actedAlert, outcome: 'deferred', note: 'old news' }, ago(10 * DAY))).toMatchObject({
      status: 'applied',
    });

    // Before the window: a review alex approved and a reconciliation with discrepancies.
    expect(await push(alex, cmd('review.approve', { reviewId: reviews[0], businessId: alpha }, 1))).toMatchObject([{ status: 'applied' }]);
    await report(
      [
        { class: 'missing_here', chargeId: 'ch_a' },
        { class: 'missing_here', chargeId: 'ch_b' },
      ],
      ago(DAY).toISOString(),
    );
    await sleep(20);

    const run = randomUUID();
    const startedAt = new Date();
    expect(await start(alex, run, 'thursday', startedAt)).toMatchObject({ status: 'applied' });
    await sleep(20);

    // In the window: 3 reviews approved (one alone, two in bulk) and 1 rejected by alex; 1 approved by sam.
    const moderated = await push(
      alex,
      cmd('review.approve', { reviewId: reviews[1], businessId: alpha }, 1),
      cmd('review.reject', { reviewId: reviews[2], businessId: alpha, reason: 'spam' }, 1),
      cmd('review.bulk_approve', {
        reviews: [
          { reviewId: reviews[3], businessId: alpha, baseVersion: 1 },
          { reviewId: reviews[4], businessId: alpha, baseVersion: 1 },
        ],
      }),
    );
    expect(moderated.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await push(sam, cmd('review.approve', { reviewId: reviews[5], businessId: alpha }, 1))).toMatchObject([{ status: 'applied' }]);
    // 2 refunds approved (refunded at the Stripe double), 1 denied (5 days late).
    const decided = await push(
      alex,
      cmd('refund.approve', { refundRequestId: refunds[0], businessId: alpha }, 1),
      cmd('refund.approve', { refundRequestId: refunds[1], businessId: bravo }, 1),
      cmd('refund.deny', { refundRequestId: refunds[2], businessId: alpha, note: 'Outside the 72 hour window' }, 1),
    );
    expect(decided.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    // A reconciliation with 1 discrepancy, escalated to finance, then a later one that matches.
    const mismatch = await report([{ class: 'missing_here', chargeId: 'ch_ledger_gap_77' }], new Date().toISOString());
    const draftRes = await call(alex, '/escalation/draft', { situation: 'financial', source: { kind: 'reconciliation', id: mismatch.id } });
    expect(draftRes.status).toBe(200);
    const draft = (await draftRes.json()) as EscalationDraft;
    const escalated = await push(
      alex,
      cmd('escalation.open', {
        escalationId: randomUUID(),
        situation: 'financial',
        source: draft.source,
        subject: draft.subject,
        note: 'One charge is missing from our ledger.',
        evidence: draft.evidence,
      }),
    );
    expect(escalated).toMatchObject([{ status: 'applied' }]);
    const matching = await report([], new Date(Date.now() + 1000).toISOString());
    // The daily job's runs: the last finished attempt is the one the log names (a running one is not).
    const jobRun = randomUUID();
    await db.sql`insert into public.cron_jobs (job_name, run_id, attempt, status, started_at, finished_at)
                 values (${DAILY_JOB}, ${randomUUID()}, 1, 'success', now() - interval '2 days', now() - interval '2 days')`;
    await db.sql`insert into public.cron_jobs (job_name, run_id, attempt, status, started_at, finished_at, error)
                 values (${DAILY_JOB}, ${jobRun}, 1, 'failure', now() - interval '70 minutes', now() - interval '69 minutes', 'timeout')`;
    const [lastJob] = await db.sql<{ started_at: Date }[]>`
      insert into public.cron_jobs (job_name, run_id, attempt, status, started_at, finished_at)
      values (${DAILY_JOB}, ${jobRun}, 2, 'success', now() - interval '60 minutes', now() - interval '59 minutes') returning started_at`;
    await db.sql`insert into public.cron_jobs (job_name, run_id, attempt, status, started_at)
                 values (${DAILY_JOB}, ${randomUUID()}, 1, 'running', now() - interval '1 minute')`;
    // 2 complaints closed by alex with what was done; 1 by sam.
    const closed = await push(
      alex,
      cmd('complaint.close', { complaintId: complaints[0], businessId: alpha, resolution: 'Featured placement investigation, trainer updated' }, 1),
      cmd('complaint.close', { complaintId: complaints[1], businessId: bravo, resolution: 'Listing was incomplete; trainer added behaviour issues' }, 1),
    );
    expect(closed.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(await push(sam, cmd('complaint.close', { complaintId: complaints[2], businessId: bravo, resolution: 'Not ours to answer' }, 1))).toMatchObject([
      { status: 'applied' },
    ]);

    // The sessions as the console recorded them.
    const sessions: [string, string, number, string?][] = [
      ['reviews', 'done', 4500],
      ['refunds', 'done', 1200],
      ['reconciliation', 'done', 1500],
      ['cron', 'skipped', 90, 'The job was checked on Monday'],
      ['complaints', 'done', 2400],
    ];
    for (const [subject, outcome, spentSeconds, note] of sessions) {
      const verdict = await record(alex, { runId: run, kind: 'session', subject, outcome, spentSeconds, ...(note ? { note } : {}) });
      expect(verdict, subject).toMatchObject({ status: 'applied' });
    }

    const verdict = await finish(alex, run);
    expect(verdict).toMatchObject({ status: 'applied' });
    const row = (await runRow(run))!;
    expect(row.status).toBe('finished');

    // The counts are what Postgres has for alex since the run started.
    expect(row.counts).toEqual({
      reviewsApproved: 3,
      reviewsRejected: 1,
      refundsApproved: 2,
      refundsDenied: 1,
      reconciliation: { name: matching.name, runAt: expect.any(String), discrepancies: 0, found: 1 },
      cron: { startedAt: lastJob!.started_at.toISOString(), status: 'success', attempt: 2, maxAttempts: 5 },
      complaintsClosed: [
        { business: 'Alpha Dogs', kind: 'not_featured', resolution: 'Featured placement investigation, trainer updated' },
        { business: 'Bravo K9', kind: 'not_in_search', resolution: 'Listing was incomplete; trainer added behaviour issues' },
      ],
      escalations: [{ team: 'finance', subject: draft.subject }],
      incidents: [],
    } satisfies RunCounts);
    expect(await db.sql`select status, count(*)::int as n from public.refund_requests where decided_by = ${alex} group by status order by status`).toEqual([
      { status: 'approved', n: 2 },
      { status: 'denied', n: 1 },
    ]);

    // The log in the spec's words.
    const log = row.log!;
    for (const line of [
      `WEEKLY LOG: Thursday batch ${melbourneTime(startedAt)} to `,
      'Reviews: Approved 3 reviews, rejected 1\n  (done; 75 min of 1–2 h)',
      'Refunds: Approved 2 refunds, denied 1\n  (done; 20 min of 15–30 min)',
      `Reconciliation completed, amounts match (${matching.name}, after fixing 1 discrepancy found earlier)\n  (done; 25 min of 15–30 min)`,
      `Cron: last run ${melbourneTime(lastJob!.started_at)}, succeeded (attempt 2 of 5)\n  (skipped: The job was checked on Monday; 2 min of 10–15 min)`,
      'Complaints: closed 2',
      '  - Alpha Dogs (not_featured): Featured placement investigation, trainer updated',
      '  - Bravo K9 (not_in_search): Listing was incomplete; trainer added behaviour issues\n  (done; 40 min of 30 min–1 h)',
      `Escalated: ${draft.subject} (to finance)`,
      'Monday check:\n  - Reconciliation mismatch: $22.00: deferred to Thursday (batch it with reconciliation)\n  - Email sending failing for 30 minutes: acted on at once\n',
      'Time spent: 162 min',
    ]) {
      expect(log).toContain(line);
    }
    expect(log).not.toContain('old news');
    expect(log).not.toContain('Not ours to answer');

    // The SHA-256 of the log, the same in the row, the verdict and the audit entry.
    expect(row.log_sha256).toBe(sha(log));
    expect(verdict.details).toEqual({ log, logSha256: row.log_sha256, counts: row.counts });
    const [audit] = await db.sql<{ actor_id: string; subject_type: string; details: { after: { status: string; log_sha256: string } } }[]>`
      select actor_id, subject_type, details from public.audit_log where action = 'command.week.finish' and subject_id = ${run}`;
    expect(audit).toMatchObject({ actor_id: alex, subject_type: 'operator_run', details: { after: { status: 'finished', log_sha256: sha(log) } } });

    // The pull brings the finished run with its log.
    const pulled = (await pull(alex, null)).runs.find((r) => r.id === run);
    expect(pulled).toMatchObject({ status: 'finished', log, logSha256: sha(log), counts: row.counts, operatorName: 'Alex Operator' });
    expect(pulled!.events).toHaveLength(5);

    // Kept as written: finishing again is refused, and no SQL changes or deletes the run or its events.
    expect(await finish(alex, run)).toMatchObject({ status: 'rejected', kind: 'refused', reason: expect.stringMatching(/^this run was finished /) });
    expect(await record(alex, { runId: run, kind: 'session', subject: 'cron', outcome: 'done', spentSeconds: 60 })).toMatchObject({
      status: 'rejected',
      kind: 'refused',
    });
    await expect(db.sql`update public.operator_runs set log = 'rewritten' where id = ${run}`).rejects.toThrow(/is finished: it is kept as written/);
    await expect(
      db.sql`update public.operator_runs set counts = null, log = null, log_sha256 = null, status = 'open', finished_at = null where id = ${run}`,
    ).rejects.toThrow(/is finished: it is kept as written/);
    await expect(db.sql`delete from public.operator_runs where id = ${run}`).rejects.toThrow(/is finished: it is kept as written/);
    await expect(db.sql`update public.operator_run_events set note = 'rewritten' where run_id = ${run}`).rejects.toThrow(/run events are append-only/);
    await expect(db.sql`delete from public.operator_run_events where run_id = ${run}`).rejects.toThrow(/run events are append-only/);
    // An open run is not deleted either (its events point at it).
    await expect(db.sql`delete from public.operator_runs where id = ${oldMonday}`).rejects.toThrow(/kept as written/);
    expect(await runRow(run)).toEqual(row);
    expect(await eventsOf(run)).toHaveLength(5);
  });

  it('refuses a Thursday finish from another operator and writes a log for an empty week that says so', async () => {
    const run = randomUUID();
    expect(await start(casey, run, 'thursday')).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/already open/),
    });
    const [open] = await db.sql<{ id: string }[]>`select id from public.operator_runs where operator_id = ${casey} and kind = 'thursday' and status = 'open'`;
    expect(await finish(alex, open!.id)).toMatchObject({ status: 'rejected', kind: 'refused', reason: 'this run is another operator’s' });
    expect(await finish(casey, open!.id)).toMatchObject({ status: 'applied' });
    const row = (await runRow(open!.id))!;
    expect(row.counts).toMatchObject({ reviewsApproved: 0, reviewsRejected: 0, refundsApproved: 0, refundsDenied: 0, complaintsClosed: [], escalations: [] });
    expect(row.log).toContain('Reviews: Approved 0 reviews, rejected 0');
    expect(row.log).toContain('(skipped: Stripe dashboard down; 1 min of 15–30 min)');
    expect(row.log).toContain('(nothing to do; 0 min of 10–15 min)');
    expect(row.log).toContain('Complaints: closed 0\n  (not reached; - of 30 min–1 h)');
    expect(row.log_sha256).toBe(sha(row.log!));
    // Finished, a new Thursday batch may start.
    expect(await start(casey, run, 'thursday')).toMatchObject({ status: 'applied' });
  });
});

describe('who reads runs (RLS)', () => {
  it('an operator reads every run and event; a trainer sees none; anon may not read at all; nobody writes them directly', async () => {
    const runs = (await db.sql`select count(*)::int as n from public.operator_runs`)[0]!.n as number;
    const events = (await db.sql`select count(*)::int as n from public.operator_run_events`)[0]!.n as number;
    expect(runs).toBeGreaterThan(0);
    expect(events).toBeGreaterThan(0);
    const count = (tx: Parameters<Parameters<typeof asRole>[2]>[0], table: string) =>
      tx.unsafe(`select count(*)::int as n from public.${table}`).then((r) => r[0]!.n as number);

    expect(await asRole(db.sql, operatorClaims(sam), async (tx) => [await count(tx, 'operator_runs'), await count(tx, 'operator_run_events')])).toEqual([
      runs,
      events,
    ]);
    // A trainer, even one whose profile claims to be an operator, sees nothing: the JWT decides.
    expect(await asRole(db.sql, trainerClaims(trainer), async (tx) => [await count(tx, 'operator_runs'), await count(tx, 'operator_run_events')])).toEqual([
      0, 0,
    ]);
    const faker = await createPerson(db.sql, { profileRole: 'operator' });
    expect(await asRole(db.sql, trainerClaims(faker), async (tx) => [await count(tx, 'operator_runs'), await count(tx, 'operator_run_events')])).toEqual([
      0, 0,
    ]);
    expect(
      await asRole(db.sql, anonClaims, async (tx) => [
        await failureOf(tx, (sp) => sp`select 1 from public.operator_runs`),
        await failureOf(tx, (sp) => sp`select 1 from public.operator_run_events`),
      ]),
    ).toEqual([expect.stringMatching(/permission denied/), expect.stringMatching(/permission denied/)]);
    // Written only by the server's commands: not even an operator inserts or updates a run by SQL.
    const writes = await asRole(db.sql, operatorClaims(sam), async (tx) => [
      await failureOf(tx, (sp) => sp`insert into public.operator_runs (id, kind, operator_id, started_at) values (${randomUUID()}, 'thursday', ${sam}, now())`),
      await failureOf(tx, (sp) => sp`update public.operator_runs set started_at = now()`),
    ]);
    expect(writes).toEqual([expect.stringMatching(/permission denied/), expect.stringMatching(/permission denied/)]);
  });
});
