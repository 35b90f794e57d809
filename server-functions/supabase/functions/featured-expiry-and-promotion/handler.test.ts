// The daily job's runner against the real database: attempts recorded one
// row each, RED after 5 failures, a scheduled call only at 2 AM Melbourne
// (the schedule itself across DST: shared/jobs/schedule.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { signJwt } from '../../../local/stack/keys.ts';
import { DAILY_JOB } from '../../../../shared/jobs/schedule.ts';
import { hs256Verifier } from '../_shared/auth.ts';
import { runJob } from '../_shared/jobs/runner.ts';
import { createDailyJobHandler } from './handler.ts';

const SECRET = 'job-test-secret';
let db: TestDatabase;
let serviceKey: string;
let operatorToken: string;
let trainerToken: string;
const operatorId = crypto.randomUUID();

beforeAll(async () => {
  db = await freshDatabase();
  serviceKey = await signJwt(SECRET, { role: 'service_role' }, 600);
  operatorToken = await signJwt(SECRET, { sub: operatorId, aud: 'authenticated', role: 'authenticated', app_metadata: { role: 'operator' } }, 600);
  trainerToken = await signJwt(SECRET, { sub: crypto.randomUUID(), aud: 'authenticated', role: 'authenticated', app_metadata: { role: 'trainer' } }, 600);
});
afterAll(async () => {
  await db.drop();
});

const post = (handler: ReturnType<typeof createDailyJobHandler>, token: string, body: unknown = {}) =>
  handler(
    new Request('http://x/featured-expiry-and-promotion', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );

describe('the daily job runner', () => {
  it('records every failed attempt and raises RED cron_failed after all 5; a later success resolves it', async () => {
    const sleeps: number[] = [];
    const failing = await runJob(
      { sql: db.sql, sleep: async (ms) => void sleeps.push(ms) },
      {
        name: 'probe-job',
        trigger: 'schedule',
        work: async () => {
          throw new Error('DB timeout');
        },
      },
    );
    expect(failing).toMatchObject({ status: 'failure', attempts: 5, error: 'DB timeout' });
    expect(sleeps).toHaveLength(4);
    expect(sleeps).toEqual([...sleeps].sort((a, b) => a - b)); // back-off grows
    const rows = await db.sql`select attempt, status, error from public.cron_jobs where run_id = ${failing.runId} order by attempt`;
    expect(rows).toEqual([1, 2, 3, 4, 5].map((attempt) => ({ attempt, status: 'failure', error: 'DB timeout' })));
    const [alert] = await db.sql`select severity, message from public.alerts where kind = 'cron_failed' and subject = 'probe-job' and resolved_at is null`;
    expect(alert!.severity).toBe('RED');
    expect(alert!.message).toMatch(/failed all 5 attempts; last error: DB timeout/);

    let calls = 0;
    const recovered = await runJob(
      { sql: db.sql, sleep: async () => {} },
      {
        name: 'probe-job',
        trigger: 'manual',
        triggeredBy: operatorId,
        work: async () => {
          if (++calls < 2) throw new Error('lock timeout');
          return { ok: true };
        },
      },
    );
    expect(recovered).toMatchObject({ status: 'success', attempts: 2 });
    expect(await db.sql`select 1 from public.alerts where kind = 'cron_failed' and subject = 'probe-job' and resolved_at is null`).toHaveLength(0);
  });

  it('runs when the operator asks, refuses trainers, and a scheduled call runs only at 2 AM Melbourne once a day', async () => {
    let clock = new Date('2026-11-26T12:00:00Z'); // 11 PM Melbourne (AEDT)
    const handler = createDailyJobHandler({ sql: db.sql, verifier: hs256Verifier(SECRET), now: () => clock, sleep: async () => {} });
    expect((await post(handler, trainerToken)).status).toBe(403);
    const manual = await post(handler, operatorToken);
    expect(manual.status).toBe(200);
    expect(await manual.json()).toMatchObject({ ran: true, status: 'success', attempts: 1 });
    const [row] = await db.sql`select trigger, triggered_by from public.cron_jobs where job_name = ${DAILY_JOB} order by id desc limit 1`;
    expect(row).toEqual({ trigger: 'manual', triggered_by: operatorId });

    expect(await (await post(handler, serviceKey, { trigger: 'schedule' })).json()).toMatchObject({ ran: false });
    clock = new Date('2026-11-26T15:30:00Z'); // 2:30 AM Melbourne
    expect(await (await post(handler, serviceKey, { trigger: 'schedule' })).json()).toMatchObject({ ran: true, status: 'success' });
    expect(await (await post(handler, serviceKey, { trigger: 'schedule' })).json()).toMatchObject({ ran: false, reason: expect.stringMatching(/already ran/) });
    clock = new Date('2026-10-03T16:30:00Z'); // 3:30 AM AEDT on 4 October: the clocks skipped 2 AM that night
    expect(await (await post(handler, serviceKey, { trigger: 'schedule' })).json()).toMatchObject({ ran: true, status: 'success' });
  });
});
