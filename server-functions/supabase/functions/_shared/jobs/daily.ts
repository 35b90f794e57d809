// The daily job's work (expire placements, promote from the queues, check
// each queue is in payment order, refresh the money alerts, roll up the
// day's metrics) with its runner: shared by the scheduled/manual function
// and the operator API's "Run the daily job now".
import { DAILY_JOB } from '../../../../../shared/jobs/schedule.ts';
import { runJob, type JobRun, type RunnerDeps } from './runner.ts';

export async function runDailyJob(deps: RunnerDeps, trigger: 'schedule' | 'manual', triggeredBy: string | null): Promise<JobRun> {
  const now = deps.now ?? (() => new Date());
  const run = await runJob(deps, {
    name: DAILY_JOB,
    trigger,
    triggeredBy,
    // One transaction: expire and promote, then check every council's queue is
    // in payment order (playbook 4's check, migration 2700: it opens or
    // resolves queue_out_of_order) for the councils with purchases waiting,
    // and those whose escalation is still open so it can resolve.
    work: (sql, at) =>
      sql.begin(async (tx) => {
        const [row] = await tx<{ r: Record<string, unknown> }[]>`select public.expire_and_promote(${at}) as r`;
        const checks = await tx<{ council_id: string; outcome: string }[]>`
          select c.id as council_id, public.check_queue_integrity(c.id, ${at}) ->> 'outcome' as outcome
          from public.councils c
          where exists (select 1 from public.featured_queue q where q.council_id = c.id and q.promoted_at is null and q.cancelled_at is null)
             or exists (select 1 from public.alerts a where a.kind = 'queue_out_of_order' and a.subject = c.id and a.resolved_at is null)
          order by c.id`;
        return {
          ...row!.r,
          queues_checked: checks.length,
          queues_out_of_order: checks.filter((c) => c.outcome === 'out_of_order').map((c) => c.council_id),
        };
      }),
  });
  await deps.sql`select public.refresh_money_alerts(${now()})`;
  // The metrics page's rollup (migration 3000): yesterday done, the last 35 days redone.
  await deps.sql`select public.rollup_metrics(${now()})`;
  return run;
}
