import { describe, expect, it } from 'vitest';
import type { CronRunItem } from '../../../shared/api/operator.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createNoticesStore } from '../ui/notices.ts';
import { groupByRun } from './CronHistory.tsx';
import { describeRun } from './CronScreen.tsx';
import { createCronStore } from './store.ts';

const run = (over: Partial<CronRunItem>): CronRunItem => ({
  id: '1',
  runId: 'run-a',
  jobName: 'featured-expiry-and-promotion',
  trigger: 'schedule',
  attempt: 1,
  maxAttempts: 5,
  status: 'success',
  durationMs: 1200,
  result: null,
  startedAt: '2026-12-01T15:00:00Z',
  finishedAt: null,
  error: null,
  ...over,
});
const world = (extra: Parameters<typeof createFakeApi>[0] = {}) => {
  const fake = createFakeApi({
    cronRuns: () => [run({})],
    cronSchedule: () => ({ jobName: 'featured-expiry-and-promotion', nextRunAt: '2026-12-02T15:00:00Z', maxAttempts: 5 }),
    ...extra,
  });
  const notices = createNoticesStore();
  return { ...fake, notices, store: createCronStore(fake.api, notices) };
};

describe('cron store', () => {
  it('loads the history and the next run', async () => {
    const w = world();
    await w.store.getState().load();
    expect(w.store.getState().runs).toHaveLength(1);
    expect(w.store.getState().schedule?.nextRunAt).toBe('2026-12-02T15:00:00Z');
  });

  it("Run now: the outcome, or main's offline sentence, in place", async () => {
    const w = world({ runJobNow: () => ({ commandId: 'c1', status: 'applied', details: { runId: 'r', attempts: 2 } }) });
    await w.store.getState().runNow();
    expect(describeRun(w.store.getState().lastRun)).toMatch(/ran successfully \(2 attempts\)/);
    const offline = 'Running the daily job needs a connection to the server, and you are offline.';
    const v = world({
      runJobNow: () => {
        throw new ConsoleError('offline', offline);
      },
    });
    await v.store.getState().runNow();
    expect(describeRun(v.store.getState().lastRun)).toBe(offline);
  });

  it('groups attempts by run, newest run first, attempts in order', () => {
    const groups = groupByRun([
      run({ id: '3', runId: 'b', attempt: 2 }),
      run({ id: '2', runId: 'b', attempt: 1, status: 'failure' }),
      run({ id: '1', runId: 'a' }),
    ]);
    expect(groups.map((g) => g.map((r) => r.id))).toEqual([['2', '3'], ['1']]);
  });
});
