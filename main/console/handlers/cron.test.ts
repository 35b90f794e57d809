// The daily job (spec 2.4): when it runs next, read from main's clock (2:00 AM
// in Melbourne, whichever offset daylight saving gives it), its history, and
// a run by hand that acts now or says it cannot, never queued for later.
import { afterEach, describe, expect, it } from 'vitest';
import type { CronRunItem } from '../../../shared/api/operator.ts';
import { runDailyJobNow } from '../../../shared/commands/jobs.ts';
import { createWorld, failureOf, id, type World } from '../testing/world.ts';

let w: World;
afterEach(() => w.close());

const run = (startedAt: string, over: Partial<CronRunItem> = {}): CronRunItem => ({
  id: id(),
  runId: id(),
  jobName: 'featured-expiry-and-promotion',
  trigger: 'schedule',
  attempt: 1,
  maxAttempts: 5,
  status: 'success',
  durationMs: 1200,
  result: { expired: 1, promoted: 1 },
  startedAt,
  finishedAt: startedAt,
  error: null,
  ...over,
});

describe('the schedule', () => {
  it.each([
    ['11 AM in summer (AEDT)', '2026-11-27T00:00:00.000Z', '2026-11-27T15:00:00.000Z'],
    ['half past one at night, the run still ahead', '2026-11-27T14:30:00.000Z', '2026-11-27T15:00:00.000Z'],
    ['the moment of a run: the next is tomorrow', '2026-11-27T15:00:00.000Z', '2026-11-28T15:00:00.000Z'],
    ['10 AM in winter (AEST)', '2026-07-01T00:00:00.000Z', '2026-07-01T16:00:00.000Z'],
  ])('at %s, says the next 2:00 AM Melbourne from the clock', async (_when, now, next) => {
    w = createWorld({ now });
    expect(await w.api.cronSchedule()).toEqual({ jobName: 'featured-expiry-and-promotion', nextRunAt: next, maxAttempts: 5 });
    w.time.now = Date.parse(next) + 60_000;
    expect((await w.api.cronSchedule()).nextRunAt).not.toBe(next);
  });
});

describe('the history', () => {
  it('lists the runs newest first', async () => {
    w = createWorld();
    const [monday, wednesday, tuesday] = [run('2026-11-23T15:00:00.000Z'), run('2026-11-25T15:00:00.000Z'), run('2026-11-24T15:00:00.000Z')];
    await w.load({ cronRuns: [monday, wednesday, tuesday] });
    expect((await w.api.cronRuns()).map((r) => r.id)).toEqual([wednesday.id, tuesday.id, monday.id]);
  });
});

describe('running the job by hand', () => {
  it('offline, says it needs a connection and queues nothing', async () => {
    w = createWorld();
    await w.load();
    w.server.online = false;
    expect(await failureOf(() => w.api.runJobNow())).toEqual({
      kind: 'offline',
      message: 'Running the daily job needs a connection to the server, and you are offline. Nothing was queued; try again when you are back online.',
    });
    expect(await w.api.outbox()).toEqual([]);
    w.server.online = true;
    await w.api.syncNow();
    expect(w.server.received).toEqual([]);
  });

  it('online, runs at once and answers what the job did; nothing waits in the outbox', async () => {
    w = createWorld();
    await w.load();
    w.server.judge = () => ({ status: 'applied', details: { expired: 2, promoted: 1 } });
    const outcome = await w.api.runJobNow();
    expect(outcome).toMatchObject({ status: 'applied', details: { expired: 2, promoted: 1 } });
    expect(w.server.received).toEqual([expect.objectContaining({ id: outcome.commandId, type: runDailyJobNow.type, payload: {} })]);
    expect(await w.api.outbox()).toEqual([]);
  });

  it('answers the server refusing in its words, and a server fault as an error to retry', async () => {
    w = createWorld();
    await w.load();
    w.server.judge = () => ({ status: 'rejected', kind: 'refused', reason: 'the daily job is already running (started 2:00 AM)' });
    expect(await w.api.runJobNow()).toMatchObject({ status: 'rejected', reason: 'the daily job is already running (started 2:00 AM)' });
    w.server.judge = () => ({ status: 'error', reason: 'connection reset' });
    expect(await failureOf(() => w.api.runJobNow())).toEqual({
      kind: 'server',
      message: 'Running the daily job failed on the server: connection reset; try again',
    });
  });
});
