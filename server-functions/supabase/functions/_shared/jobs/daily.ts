// The daily job's work (expire placements, promote from the queues, check
// each queue is in payment order, refresh the money alerts, roll up the
// day's metrics) with its runner: shared by the scheduled/manual function
// and the operator API's "Run the daily job now".
import { DAILY_JOB } from '../../../../../shared/jobs/schedule.ts';
import { runJob, type JobRun, type RunnerDeps } from './runner.ts';

/** Longest the job waits for a lock (class B) and for one statement (class A) before the attempt fails. */
export const JOB_LOCK_TIMEOUT = '30s';
export const JOB_STATEMENT_TIMEOUT = '120s';

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
        // Fail within bounds rather than wait forever (playbook 4.3's errors A and B):
        // a lock held elsewhere or a database too slow ends this attempt with an
        // error the runner records and retries, and the playbook classifies.
        await tx`select set_config('lock_timeout', ${JOB_LOCK_TIMEOUT}, true), set_config('statement_timeout', ${JOB_STATEMENT_TIMEOUT}, true)`;
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
