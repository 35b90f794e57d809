// POST /functions/v1/featured-expiry-and-promotion: the daily job. Called by
// the scheduler (pg_cron + pg_net hourly on hosted Supabase, the local stack's
// scheduler locally) with { trigger: "schedule" } and the service role key,
// or by the operator ("Run cron now") with their session. A scheduled call
// runs only in the 2 AM Melbourne hour (3 AM on the October night without one,
// shared/jobs/schedule.ts) and once per Melbourne day, so an hourly UTC
// schedule is right across daylight saving; a manual run always runs (the SQL
// is safe to run twice).
// { trigger: "promote" } (the scheduler, every minute) runs only the
// promoter: free slots filled from settled purchases in payment order
// (public.promote_settled), which the webhook no longer does itself.
import { DAILY_JOB, isDailyRunHour, melbourneClock } from '../../../../shared/jobs/schedule.ts';
import { schedulerOrOperator, type JwtVerifier } from '../_shared/auth.ts';
import type { Sql } from '../_shared/db.ts';
import { errorResponse, expectMethod, json } from '../_shared/http.ts';
import { runDailyJob } from '../_shared/jobs/daily.ts';
import type { RunnerDeps } from '../_shared/jobs/runner.ts';

export interface DailyJobDeps extends RunnerDeps {
  sql: Sql;
  verifier: JwtVerifier;
}

export function createDailyJobHandler(deps: DailyJobDeps) {
  const now = deps.now ?? (() => new Date());
  return async (req: Request): Promise<Response> => {
    const refused = expectMethod(req, 'POST');
    if (refused) return refused;
    const auth = await schedulerOrOperator(req, deps.verifier, 'run the daily job');
    if (!auth.ok) return errorResponse(auth.status, auth.status === 401 ? 'unauthorized' : 'forbidden', auth.message);
    const service = auth.scheduler;
    let body: { trigger?: unknown } = {};
    try {
      body = (await req.json()) as { trigger?: unknown };
    } catch {
      body = {};
    }
    // The service role is the scheduler (or an engineer's CLI run); only a
    // call that says trigger "schedule" waits for the 2 AM Melbourne hour.
    const trigger = service ? 'schedule' : 'manual';

    if (service && body.trigger === 'promote') {
      const [row] = await deps.sql<{ promoted: number }[]>`select public.promote_settled(${now()}) as promoted`;
      return json({ ran: true, promoted: row!.promoted });
    }

    if (service && body.trigger === 'schedule') {
      const at = now();
      const clock = melbourneClock(at);
      if (!isDailyRunHour(at)) return json({ ran: false, reason: `not due: it is ${clock.hour}:00 in Melbourne, the job runs at 2:00` });
      const [done] = await deps.sql<{ n: number }[]>`
        select count(*)::int as n from public.cron_jobs
        where job_name = ${DAILY_JOB} and trigger = 'schedule' and status = 'success'
          and (started_at at time zone 'Australia/Melbourne')::date = ${clock.date}::date`;
      if (done!.n > 0) return json({ ran: false, reason: `already ran on ${clock.date} (Melbourne)` });
    }

    const run = await runDailyJob(deps, trigger, trigger === 'manual' ? (auth.claims.sub ?? null) : null);
    return json({ ran: true, ...run }, run.status === 'success' ? 200 : 500);
  };
}
