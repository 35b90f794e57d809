// Playbook 4.3's evidence: the daily job's last failed run (every attempt
// failed), its error in the spec's classes with their advice, what is stuck
// because of it, what the last good run today did, and when the next runs.
import type { CronEvidence } from '../../../../../shared/api/playbooks.ts';
import { DAILY_JOB, melbourneClock, nextMelbourneRun } from '../../../../../shared/jobs/schedule.ts';
import type { Sql } from '../db.ts';

type ErrorClass = CronEvidence['errorClass'];

/**
 * Spec 4.3 step 1's classes, from the error text. C first: the caller's
 * record says "function unreachable" (the runner never ran). B before A:
 * Postgres says "canceling statement due to lock timeout", which is a lock
 * held by someone else, not a slow database.
 */
export function classifyCronError(error: string | null): ErrorClass {
  if (!error) return 'unknown';
  if (/function unreachable/i.test(error)) return 'C';
  if (/lock timeout|could not obtain lock|lock_not_available|55P03/i.test(error)) return 'B';
  if (/statement timeout|connection timeout|timeout expired|connect(ion)? timed out|ETIMEDOUT|timed out|timeout/i.test(error)) return 'A';
  return 'unknown';
}

export const CRON_ADVICE: Record<ErrorClass, string> = {
  A: 'The database was too slow or overloaded (a timeout). Do not force a run now: it would time out again. Check the database health on the dashboard, wait 5–10 minutes for it to recover, then run the job.',
  B: 'Another process held a lock the job needed (the queue or the slots). Wait 5 minutes for it to be released, then run the job; if it fails on the lock again, find what holds it.',
  C: 'The job’s function could not be reached (it crashed or the network failed), so it never ran. It restarts by itself at the next scheduled run; run it now only if it matters before then (placements past their end, purchases waiting).',
  unknown: 'The error is not one of the spec’s three kinds. Read it in full below; run the job once by hand and, if it fails the same way, escalate.',
};

/** The evidence's main query, one statement: the failed run, the impact and step 4's numbers (the bench's floor too). */
export function readCronRow(sql: Sql, now: Date) {
  const today = melbourneClock(now).date;
  return sql<
    {
      failed: { run_id: string; at: string; attempts: number; error: string | null } | null;
      past_end: number;
      waiting: number;
      promotable: number;
      last_success: Date | null;
      promoted: number;
      new_active: number;
    }[]
  >`
    with last_failed as (
        -- The latest run in which no attempt succeeded (or is still running).
        select j.run_id from public.cron_jobs j
        where j.job_name = ${DAILY_JOB} and j.status = 'failure' and j.started_at <= ${now}
          and not exists (select 1 from public.cron_jobs s where s.run_id = j.run_id and s.status <> 'failure')
        order by j.started_at desc limit 1
    ),
    failed as (
        select j.run_id, max(coalesce(j.finished_at, j.started_at)) as at, count(*)::int as attempts,
               (array_agg(j.error order by j.attempt desc))[1] as error
        from public.cron_jobs j where j.run_id = (select run_id from last_failed)
        group by j.run_id
    ),
    -- Promotable now, kept simple: in each council with purchases waiting, the
    -- slots free once the placements past their end are expired (slots minus
    -- placements still running), but no more than are waiting there. The
    -- promoter's finer rules (one placement per business, the settle delay)
    -- can only make the real number smaller.
    running as (
        select fp.council_id,
               count(*) filter (where fp.featured_until > ${now}) as current,
               count(*) filter (where fp.featured_until <= ${now}) as past_end
        from public.featured_placements fp where fp.status = 'active' group by fp.council_id
    ),
    waiting as (
        select q.council_id, count(*) as n from public.featured_queue q
        where q.promoted_at is null and q.cancelled_at is null group by q.council_id
    ),
    -- Step 4, as the spec's queries: queue entries promoted today, placements started today and still active (Melbourne's day).
    day as (select (${today}::date::timestamp at time zone 'Australia/Melbourne') as starts)
    select (select to_jsonb(f) from failed f) as failed,
           (select coalesce(sum(r.past_end), 0)::int from running r) as past_end,
           (select coalesce(sum(w.n), 0)::int from waiting w) as waiting,
           (select coalesce(sum(least(w.n, greatest(public.featured_slots_per_council() - coalesce(r.current, 0), 0))), 0)::int
            from waiting w left join running r on r.council_id = w.council_id) as promotable,
           (select max(j.finished_at) from public.cron_jobs j, day
            where j.job_name = ${DAILY_JOB} and j.status = 'success' and j.started_at >= day.starts and j.started_at <= ${now}) as last_success,
           (select count(*)::int from public.featured_queue q, day where q.promoted_at >= day.starts and q.promoted_at <= ${now}) as promoted,
           (select count(*)::int from public.featured_placements fp, day
            where fp.status = 'active' and fp.featured_from >= day.starts and fp.featured_from <= ${now}) as new_active`;
}

export async function readCronEvidence(sql: Sql, now: Date): Promise<CronEvidence> {
  const [row] = await readCronRow(sql, now);
  const r = row!;
  const last = r.failed;
  const errorClass = classifyCronError(last?.error ?? null);
  return {
    playbook: 'cron_failed',
    lastFailure: last
      ? { runId: last.run_id, at: new Date(last.at).toISOString(), attempts: last.attempts, error: last.error ?? 'no error was recorded' }
      : null,
    errorClass,
    advice: last ? CRON_ADVICE[errorClass] : 'No failed run of the daily job is recorded.',
    impact: { pastEnd: r.past_end, waiting: r.waiting, promotable: r.promotable },
    verification: { lastSuccessAt: r.last_success?.toISOString() ?? null, promotedToday: r.promoted, newActiveToday: r.new_active },
    nextRunAt: nextMelbourneRun(now).toISOString(),
  };
}
