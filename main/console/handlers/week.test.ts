// The Thursday batch as one run (spec Part 2), kept by main: started once
// (a second start resumes it), the sessions in the spec's order, a session
// with nothing to do completing itself, one cleared by the operator
// completing as done, skip with a reason, the sessions that need a
// connection waiting while offline, the time spent counted while the run is
// looked at (a long gap counts as two minutes), a resume after the app is
// reopened, the finish refused until every session is through and while
// decisions wait to sync; and the Monday check's decisions, carried over to
// the batch.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportMeta } from '../../../shared/api/reconciliation.ts';
import { finishRun, recordRunEvent, startRun } from '../../../shared/commands/week.ts';
import { DAILY_JOB } from '../../../shared/jobs/schedule.ts';
import { alert, complaint, createWorld, failureOf, id, refund, review, type World } from '../testing/world.ts';

let w: World;
beforeEach(() => {
  w = createWorld({ now: '2026-12-03T03:00:00.000Z' });
});
afterEach(() => w.close());

const matched = (over: Partial<ReportMeta> = {}): ReportMeta => ({
  id: id(),
  name: 'Payment_Reconciliation_2026-12-03',
  runAt: '2026-12-02T20:00:00.000Z',
  trigger: 'schedule',
  windowStart: '2026-11-26T00:00:00.000Z',
  windowEnd: '2026-12-03T00:00:00.000Z',
  ourTotalCents: 2200,
  stripeTotalCents: 2200,
  matched: 1,
  discrepancies: 0,
  csvSha256: 'a'.repeat(64),
  pdfSha256: 'b'.repeat(64),
  keepUntil: '2033-12-03',
  ...over,
});
const cronSuccess = {
  id: '1',
  runId: id(),
  jobName: DAILY_JOB,
  trigger: 'schedule',
  attempt: 1,
  maxAttempts: 5,
  status: 'success' as const,
  durationMs: 1200,
  result: null,
  startedAt: '2026-12-02T15:00:00.000Z',
  finishedAt: '2026-12-02T15:00:01.200Z',
  error: null,
};
const states = async () => (await w.api.week()).run!.sessions.map((s) => [s.id, s.status]);
const queuedTypes = async () =>
  (await w.api.outbox()).map((e) => [
    e.type,
    (e.payload as { subject?: string; outcome?: string }).subject ?? '',
    (e.payload as { outcome?: string }).outcome ?? '',
  ]);

describe('the Thursday batch', () => {
  it('starts once, at the reviews; a second start resumes it', async () => {
    await w.load({ reviews: [review(), review()], refunds: [refund()], complaints: [complaint()], cronRuns: [cronSuccess] });
    const v = await w.api.startWeek();
    expect(v.run!.current).toBe('reviews');
    expect(v.run!.sessions[0]).toMatchObject({ id: 'reviews', status: 'current', left: 2, leftWords: '2 reviews to decide', budget: '1–2 h' });
    const again = await w.api.startWeek();
    expect(again.run!.id).toBe(v.run!.id);
    expect((await w.api.outbox()).filter((e) => e.type === startRun.type)).toHaveLength(1);
  });

  it('completes a cleared session as done and one with nothing to do by itself, in the spec order, stopping where work is left', async () => {
    const [r1, r2] = [review(), review()];
    w.http.set('payment-reconciliation', { reports: [matched()] });
    await w.load({ reviews: [r1, r2], refunds: [], complaints: [complaint()], cronRuns: [cronSuccess] });
    await w.api.startWeek();
    w.time.now += 5 * 60_000;
    await w.api.decideReview(r1.id, { kind: 'approve' });
    await w.api.decideReview(r2.id, { kind: 'reject', reason: 'spam' });
    const v = await w.api.week();
    // Reviews cleared: done; refunds had nothing: auto; reconciliation matched: auto; cron on schedule: auto; complaints wait for the operator.
    expect(v.run!.sessions.map((s) => [s.id, s.status])).toEqual([
      ['reviews', 'done'],
      ['refunds', 'auto'],
      ['reconciliation', 'auto'],
      ['cron', 'auto'],
      ['complaints', 'current'],
    ]);
    expect(v.run!.sessions[2]!.leftWords).toBe('Payment_Reconciliation_2026-12-03 matched: amounts match');
    expect(v.run!.sessions[3]!.leftWords).toMatch(/^the daily job succeeded on schedule \(attempt 1 of 5\); next run /);
    expect(v.run!.sessions[0]!.spentMs).toBe(2 * 60_000); // five minutes between looks counts as two
    expect((await queuedTypes()).filter(([t]) => t === recordRunEvent.type)).toEqual([
      [recordRunEvent.type, 'reviews', 'done'],
      [recordRunEvent.type, 'refunds', 'auto'],
      [recordRunEvent.type, 'reconciliation', 'auto'],
      [recordRunEvent.type, 'cron', 'auto'],
    ]);
  });

  it('stops at a reconciliation with a mismatch and at a failed daily job: the operator acts on those', async () => {
    w.http.set('payment-reconciliation', { reports: [matched({ discrepancies: 1 })] });
    await w.load({ cronRuns: [{ ...cronSuccess, status: 'failure', attempt: 5, error: 'DB timeout' }] });
    const v = await w.api.startWeek();
    expect(v.run!.current).toBe('reconciliation');
    expect(v.run!.sessions[2]!.leftWords).toBe('Payment_Reconciliation_2026-12-03: 1 discrepancy to fix');
    const next = await w.api.finishSession('done', undefined);
    expect(next.run!.current).toBe('cron');
    expect(next.run!.sessions[3]!.leftWords).toBe("the daily job's last run failed: check it");
  });

  it('skips with a reason, kept; refuses a skip without one', async () => {
    await w.load({ reviews: [review()], cronRuns: [cronSuccess] });
    await w.api.startWeek();
    expect(await failureOf(() => w.api.finishSession('skipped', ''))).toMatchObject({ kind: 'invalid' });
    const v = await w.api.finishSession('skipped', 'Out of time: next week');
    expect(v.run!.sessions[0]).toMatchObject({ status: 'skipped', note: 'Out of time: next week' });
    expect((await w.api.outbox()).find((e) => e.type === recordRunEvent.type)!.payload).toMatchObject({
      subject: 'reviews',
      outcome: 'skipped',
      note: 'Out of time: next week',
    });
  });

  it('offline, the sessions that need a connection wait while the run goes on with cron; back online it returns to them', async () => {
    await w.load({ refunds: [], complaints: [complaint()], cronRuns: [{ ...cronSuccess, status: 'failure' }] });
    w.server.online = false;
    await w.engine.syncOnce().catch(() => undefined);
    const v = await w.api.startWeek();
    expect(v.online).toBe(false);
    expect(await states()).toEqual([
      ['reviews', 'auto'],
      ['refunds', 'auto'],
      ['reconciliation', 'waiting'],
      ['cron', 'current'],
      ['complaints', 'waiting'],
    ]);
    await w.api.finishSession('done', undefined);
    w.server.online = true;
    w.http.set('payment-reconciliation', { reports: [matched({ discrepancies: 2 })] });
    await w.engine.syncOnce();
    expect((await w.api.week()).run!.current).toBe('reconciliation');
  });

  it('refuses to finish while a session is open, and while decisions wait to sync; finishes online and forgets the run here', async () => {
    w.http.set('payment-reconciliation', { reports: [matched()] });
    await w.load({ complaints: [complaint()], cronRuns: [cronSuccess] });
    await w.api.startWeek();
    expect(await failureOf(() => w.api.finishWeek())).toEqual({
      kind: 'refused',
      message: '1 session still open (Complaint investigation): finish or skip them first.',
    });
    await w.api.finishSession('done', undefined);
    w.server.judge = (c) =>
      c.type === finishRun.type ? { status: 'applied', details: { log: 'WEEKLY LOG', logSha256: 'c'.repeat(64) } } : { status: 'applied' };
    const outcome = await w.api.finishWeek();
    expect(outcome).toMatchObject({ status: 'applied', details: { log: 'WEEKLY LOG' } });
    // The start and every event reached the server before the finish.
    expect(w.server.received.map((c) => c.type).slice(-1)).toEqual([finishRun.type]);
    expect(w.server.received.filter((c) => c.type === recordRunEvent.type)).toHaveLength(5);
    expect((await w.api.week()).run).toBeNull();
  });
});

describe('the Monday check', () => {
  it('records each RED alert acted on or deferred in one Monday run; a deferred one is carried over to the batch while it is open', async () => {
    const zai = alert({ severity: 'RED', kind: 'zai_down', message: 'Z.AI failing for 40 minutes' });
    const cron = alert({ severity: 'RED', kind: 'cron_failed', message: 'Daily job failed all retries' });
    await w.load({ alerts: [zai, cron] });
    expect((await w.api.week()).monday.alerts.map((a) => a.decision)).toEqual([null, null]);
    await w.api.decideAlert(zai.id, 'deferred', undefined);
    const m = await w.api.decideAlert(cron.id, 'act_now', undefined);
    expect(m.alerts.map((a) => [a.message, a.decision])).toEqual([
      ['Z.AI failing for 40 minutes', 'deferred'],
      ['Daily job failed all retries', 'act_now'],
    ]);
    const sent = await w.api.outbox();
    expect(sent.map((e) => e.type)).toEqual([startRun.type, recordRunEvent.type, recordRunEvent.type]);
    expect(sent[0]!.payload).toMatchObject({ kind: 'monday' });
    // The server's Monday run comes back with the pull; the batch carries the deferred alert (still open).
    await w.api.syncNow();
    const runId = (sent[0]!.payload as { runId: string }).runId;
    await w.load({
      runs: [
        {
          id: runId,
          kind: 'monday',
          status: 'open',
          startedAt: '2026-12-03T03:00:00.000Z',
          finishedAt: null,
          operatorName: 'Alex',
          events: [{ at: '2026-12-03T03:00:00.000Z', kind: 'alert', subject: zai.id, outcome: 'deferred', note: null, spentSeconds: null }],
          counts: null,
          log: null,
          logSha256: null,
          version: 2,
          updatedAt: '2026-12-03T03:00:00.000Z',
        },
      ],
    });
    const v = await w.api.startWeek();
    expect(v.run!.carried).toEqual([{ kind: 'alert', id: zai.id, text: 'Deferred on Monday: Z.AI failing for 40 minutes' }]);
  });
});
