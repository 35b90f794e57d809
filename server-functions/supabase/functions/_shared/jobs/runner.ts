// Runs a job with retries the way the spec's daily job must run: up to
// cron_max_attempts (5) attempts with back-off, every attempt its own
// cron_jobs row (attempt n of 5, start, finish, duration, status, error),
// and a RED cron_failed alert when all attempts failed. The job itself is one
// SQL transaction, so a failed attempt leaves nothing half-done. The runner
// records the outcome itself: pg_cron's own log says "succeeded" whenever the
// HTTP call was merely sent. The back-off's base is the
// cron_retry_backoff_seconds setting (2 s; 0 in tests and demos).
import { DAILY_JOB_MAX_ATTEMPTS } from '../../../../../shared/jobs/schedule.ts';
import type { Sql } from '../db.ts';

export interface JobRun {
  runId: string;
  status: 'success' | 'failure';
  attempts: number;
  result: unknown;
  error: string | null;
}

export interface RunnerDeps {
  sql: Sql;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Delay before attempt n+1, by n (1-based); by default from the cron_retry_backoff_seconds setting. */
  backoffMs?: (attempt: number) => number;
}

/** The spec's back-off base, in seconds, when the setting is absent (migration 3400 names the same default). */
export const DEFAULT_BACKOFF_SECONDS = 2;
const MAX_BACKOFF_MS = 60_000;

/** Attempt n waits base × 3^(n-1), at most 60 s: 2, 6, 18, 54 s with the default base. */
export const backoffFrom =
  (baseSeconds: number) =>
  (attempt: number): number =>
    Math.min(MAX_BACKOFF_MS, Math.max(0, baseSeconds) * 1000 * 3 ** (attempt - 1));

export const defaultBackoffMs = backoffFrom(DEFAULT_BACKOFF_SECONDS);

export async function runJob(
  deps: RunnerDeps,
  job: { name: string; trigger: 'schedule' | 'manual'; triggeredBy?: string | null; work: (sql: Sql, now: Date) => Promise<unknown> },
): Promise<JobRun> {
  const { sql } = deps;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  const runId = crypto.randomUUID();
  const [setting] = await sql<{ n: number | null; backoff: string | null }[]>`
    select public.setting_numeric('cron_max_attempts')::integer as n, public.cron_retry_backoff_seconds() as backoff`;
  const base = Number(setting?.backoff ?? DEFAULT_BACKOFF_SECONDS);
  const backoff = deps.backoffMs ?? backoffFrom(Number.isFinite(base) ? base : DEFAULT_BACKOFF_SECONDS);
  const maxAttempts = Math.min(DAILY_JOB_MAX_ATTEMPTS, Math.max(1, setting?.n ?? DAILY_JOB_MAX_ATTEMPTS));
  let lastError = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const started = now();
    const t0 = performance.now();
    const [row] = await sql<{ id: number }[]>`
      insert into public.cron_jobs (job_name, run_id, attempt, max_attempts, trigger, triggered_by, started_at, status)
      values (${job.name}, ${runId}, ${attempt}, ${maxAttempts}, ${job.trigger}, ${job.triggeredBy ?? null}, ${started}, 'running')
      returning id`;
    try {
      const result = await job.work(sql, started);
      const duration = Math.round(performance.now() - t0);
      await sql`
        update public.cron_jobs set status = 'success', finished_at = ${new Date(started.getTime() + duration)},
               duration_ms = ${duration}, result = ${sql.json(result as never)}
        where id = ${row!.id}`;
      await sql`select public.resolve_alert('cron_failed', ${job.name}, ${now()})`;
      return { runId, status: 'success', attempts: attempt, result, error: null };
    } catch (err) {
      lastError = (err as Error).message;
      const duration = Math.round(performance.now() - t0);
      await sql`
        update public.cron_jobs set status = 'failure', finished_at = ${new Date(started.getTime() + duration)},
               duration_ms = ${duration}, error = ${lastError}
        where id = ${row!.id}`;
      if (attempt < maxAttempts) await sleep(backoff(attempt));
    }
  }
  await sql`
    select public.open_alert('RED', 'cron_failed', ${job.name},
      ${`${job.name} failed all ${maxAttempts} attempts; last error: ${lastError}`},
      ${sql.json({ run_id: runId, error: lastError })}, ${now()})`;
  return { runId, status: 'failure', attempts: maxAttempts, result: null, error: lastError };
}
