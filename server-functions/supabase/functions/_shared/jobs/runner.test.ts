// The daily job's retry back-off comes from the cron_retry_backoff_seconds
// setting (migration 3400): 2 s in production (2, 6, 18, 54 s between the 5
// attempts), 0 in tests and demos, so a run that fails every attempt ends at once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../../test/db.ts';
import { backoffFrom, defaultBackoffMs, runJob } from './runner.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.sql`delete from public.cron_jobs`;
});

const failing = {
  name: 'backoff-test',
  trigger: 'schedule' as const,
  work: async () => Promise.reject(new Error('canceling statement due to statement timeout')),
};
const setBackoff = (seconds: number) => db.sql`update public.settings set value = ${seconds}::text::jsonb where key = 'cron_retry_backoff_seconds'`;

describe('the retry back-off', () => {
  it('is base × 3^(n-1) seconds, at most 60 s, with the spec’s 2 s base by default', () => {
    expect([1, 2, 3, 4, 5].map(defaultBackoffMs)).toEqual([2000, 6000, 18000, 54000, 60000]);
    expect([1, 2, 3].map(backoffFrom(0))).toEqual([0, 0, 0]);
  });

  it('starts at the spec’s 2 s', async () => {
    const [row] = await db.sql`select value, public.cron_retry_backoff_seconds() as base from public.settings where key = 'cron_retry_backoff_seconds'`;
    expect([row!.value, Number(row!.base)]).toEqual([2, 2]);
  });

  it('set to 0: a run that fails all 5 attempts does not wait between them', async () => {
    await setBackoff(0);
    const started = performance.now();
    const run = await runJob({ sql: db.sql }, failing);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(run).toMatchObject({ status: 'failure', attempts: 5 });
    const rows = await db.sql`select attempt, status from public.cron_jobs where run_id = ${run.runId} order by attempt`;
    expect(rows.map((r) => `${r.attempt} ${r.status}`)).toEqual(['1 failure', '2 failure', '3 failure', '4 failure', '5 failure']);
  });

  it('waits what the setting says between attempts', async () => {
    await setBackoff(1);
    const waits: number[] = [];
    await runJob({ sql: db.sql, sleep: async (ms) => void waits.push(ms) }, failing);
    expect(waits).toEqual([1000, 3000, 9000, 27000]);
  });
});
