// The local scheduler tells a daily-job call that never reached the job
// (playbook 4.3's class C) to the database; an answer the function gave
// itself, even a failing one, is the function's to record.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { DAILY_JOB, nextMelbourneRun } from '../../../shared/jobs/schedule.ts';
import { startScheduler, type Scheduler } from './scheduler.ts';

let scheduler: Scheduler | null = null;
let server: Server | null = null;
afterEach(async () => {
  scheduler?.stop();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = null;
});

/** A functions endpoint answering every call with `status`. */
async function functionsAnswering(status: number): Promise<string> {
  server = createServer((_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end('{"error":{"message":"upstream"}}'));
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/functions/v1`;
}

/** Runs the scheduler half a second before 2 AM Melbourne and answers what it asked to record for the daily job. */
function dailyCall(functionsUrl: string, waitMs = 2500): Promise<{ job: string; error: string }[]> {
  const at = new Date(nextMelbourneRun(new Date()).getTime() - 500);
  const recorded: { job: string; error: string }[] = [];
  scheduler = startScheduler({
    functionsUrl,
    serviceRoleKey: 'service-key',
    now: () => at,
    alertsEveryMs: { red: 3_600_000, all: 3_600_000 },
    promoteEveryMs: 3_600_000,
    recordUnreachable: async (job, error, calledAt) => {
      expect(calledAt).toEqual(at);
      recorded.push({ job, error });
    },
  });
  return new Promise((done) => setTimeout(() => done(recorded), waitMs));
}

describe('the scheduler’s daily-job call', () => {
  it('records a network error as the job being unreachable', async () => {
    const recorded = await dailyCall('http://127.0.0.1:1/functions/v1');
    expect(recorded[0]).toMatchObject({ job: DAILY_JOB, error: expect.any(String) });
  });

  it('records a 502 from the gateway (the SQL function then checks no run was recorded)', async () => {
    const recorded = await dailyCall(await functionsAnswering(502));
    expect(recorded[0]).toEqual({ job: DAILY_JOB, error: expect.stringMatching(/^HTTP 502/) });
  });

  it('records nothing when the function answered below 500', async () => {
    expect(await dailyCall(await functionsAnswering(200))).toEqual([]);
  });
});
