// Playbook 3's condition: the daily job failed all 5 attempts, for real.
// Another session holds a lock on featured_queue (which the job's promotion
// writes) while the real featured-expiry-and-promotion function is called
// over HTTP with the service role key, as the scheduler calls it: each
// attempt waits for the lock, gives up ("canceling statement due to lock
// timeout", the spec's error class B), and the runner records it, retries
// and finally raises the RED cron_failed itself. Two placements in a full
// council with buyers waiting are made to have ended a few hours ago, as they
// would have at the failed 2 AM run, so the impact step has something to
// show: slots stuck, the queue not advancing.
//
// Two things are changed for the length of the run and put back after:
//   - cron_retry_backoff_seconds to 0 (migration 3400), so the five attempts
//     take seconds instead of 80;
//   - a 2 s lock_timeout on public.expire_and_promote, where the job takes its
//     locks: nothing in the job bounds a lock wait today, so without it an
//     attempt would wait for the lock as long as it is held.
import { DAILY_JOB } from '../../../shared/jobs/schedule.ts';
import { callFunction, nowOf, openAlerts, refreshAlerts, type DemoStack, type OpenAlert } from './context.ts';

const JOB_FUNCTION = 'public.expire_and_promote(timestamptz)';
export const CRON_LOCK_TIMEOUT = '2s';

export interface CronPlant {
  runId: string | null;
  /** Each attempt as cron_jobs recorded it. */
  attempts: { attempt: number; status: string; error: string | null }[];
  lastError: string | null;
  councilId: string;
  /** Active placements past their end that the failed run should have expired. */
  pastEnd: { placementId: string; business: string; featuredUntil: Date }[];
  /** Purchases waiting in that council's queue. */
  waiting: number;
  alerts: OpenAlert[];
}

export async function plantCronFailed(stack: DemoStack): Promise<CronPlant> {
  const { sql } = stack;
  const now = nowOf(stack);
  const [council] = await sql<{ id: string; waiting: number }[]>`
    select q.council_id as id, count(*)::int as waiting from public.featured_queue q
    where q.promoted_at is null and q.cancelled_at is null
      and (select count(*) from public.featured_placements fp where fp.council_id = q.council_id and fp.status = 'active')
          >= public.featured_slots_per_council()
    group by q.council_id order by count(*) desc, q.council_id limit 1`;
  if (!council) throw new Error('no full council has buyers waiting: the failed run would have nothing to promote');

  // The two placements ending soonest ended at 2 AM's run would have expired them: a few hours ago.
  const pastEnd = await sql<{ placementId: string; business: string; featuredUntil: Date }[]>`
    with soonest as (
        select fp.id, fp.featured_until as was, least(fp.featured_until, ${now}::timestamptz - interval '3 hours') as ended
        from public.featured_placements fp
        where fp.council_id = ${council.id} and fp.status = 'active'
        order by fp.featured_until limit 2)
    update public.featured_placements fp
    set featured_from = fp.featured_from - (s.was - s.ended), featured_until = s.ended
    from soonest s, public.businesses b
    where fp.id = s.id and b.id = fp.business_id
    returning fp.id as "placementId", b.name as business, fp.featured_until as "featuredUntil"`;

  const restore = await shortenRetries(stack);
  let answer: { status: number; body: unknown };
  try {
    answer = await sql.begin(async (tx) => {
      await tx`lock table public.featured_queue in exclusive mode`;
      return callFunction(stack, 'featured-expiry-and-promotion', {});
    });
  } finally {
    await restore();
  }
  const run = answer.body as { runId?: string; error?: string | null };
  if (answer.status === 200) throw new Error(`the daily job succeeded despite the held lock: ${JSON.stringify(answer.body).slice(0, 200)}`);
  const attempts = run.runId
    ? await sql<{ attempt: number; status: string; error: string | null }[]>`
        select attempt, status, error from public.cron_jobs where run_id = ${run.runId} order by attempt`
    : [];

  await refreshAlerts(stack);
  return {
    runId: run.runId ?? null,
    attempts,
    lastError: run.error ?? null,
    councilId: council.id,
    pastEnd,
    waiting: council.waiting,
    alerts: (await openAlerts(stack, ['cron_failed'])).filter((a) => a.subject === DAILY_JOB),
  };
}

/** Retries at once and lock waits of 2 s for the run; answers how to put both back. */
async function shortenRetries(stack: DemoStack): Promise<() => Promise<void>> {
  const { sql } = stack;
  const [backoff] = await sql<{ value: unknown }[]>`select value from public.settings where key = 'cron_retry_backoff_seconds'`;
  await sql`
    insert into public.settings (key, value, description)
    values ('cron_retry_backoff_seconds', '0', 'Seconds the daily job waits before its second attempt; each later wait is 3 times the one before, at most 60 s.')
    on conflict (key) do update set value = excluded.value`;
  const [fn] = await sql<{ config: string[] | null }[]>`select proconfig as config from pg_proc where oid = ${JOB_FUNCTION}::regprocedure`;
  const hadLockTimeout = (fn?.config ?? []).some((c) => c.startsWith('lock_timeout='));
  if (!hadLockTimeout) await sql.unsafe(`alter function ${JOB_FUNCTION} set lock_timeout = '${CRON_LOCK_TIMEOUT}'`);
  return async () => {
    if (!hadLockTimeout) await sql.unsafe(`alter function ${JOB_FUNCTION} reset lock_timeout`);
    if (backoff) await sql`update public.settings set value = ${sql.json(backoff.value as never)} where key = 'cron_retry_backoff_seconds'`;
    else await sql`delete from public.settings where key = 'cron_retry_backoff_seconds'`;
  };
}
