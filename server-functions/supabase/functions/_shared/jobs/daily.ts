// The daily job's work (expire placements, promote from the queues, refresh
// the money alerts, roll up the day's metrics) with its runner: shared by the scheduled/manual function
// and the operator API's "Run the daily job now".
import { DAILY_JOB } from '../../../../../shared/jobs/schedule.ts';
import { runJob, type JobRun, type RunnerDeps } from './runner.ts';

export async function runDailyJob(deps: RunnerDeps, trigger: 'schedule' | 'manual', triggeredBy: string | null): Promise<JobRun> {
  const now = deps.now ?? (() => new Date());
  const run = await runJob(deps, {
    name: DAILY_JOB,
    trigger,
    triggeredBy,
    work: async (sql, at) => {
      const [row] = await sql<{ r: unknown }[]>`select public.expire_and_promote(${at}) as r`;
      return row!.r;
    },
  });
  await deps.sql`select public.refresh_money_alerts(${now()})`;
  // The metrics page's rollup (migration 3000): yesterday done, the last 35 days redone.
  await deps.sql`select public.rollup_metrics(${now()})`;
  return run;
}
