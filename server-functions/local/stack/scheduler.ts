// What pg_cron + pg_net do on hosted Supabase, for the local stack: calls the
// daily job at 2:00 AM Australia/Melbourne (the next such instant is
// recomputed after every run, so daylight saving moves it correctly), the
// missed-webhook sweep hourly, the email sender every few minutes, and the
// alerts refresh (RED rules every 30 s, all of them every minute) and the
// slot promoter every minute (purchases placed in payment order), and the
// payment reconciliation daily. Each
// call is an ordinary HTTP request with the service role key; the functions
// record their own outcome (cron_jobs), as they must on Supabase where
// pg_cron only knows that a request was sent. Except a daily-job call that
// never reached the job (a network error, or a 5xx with no run recorded):
// only the caller can know that, so it records it (recordUnreachable →
// public.record_cron_unreachable, playbook 4.3's error class C). On hosted
// Supabase, pg_net's response (net._http_response) is where the same is seen.
import { DAILY_JOB, nextMelbourneRun } from '../../../shared/jobs/schedule.ts';

export interface SchedulerOptions {
  functionsUrl: string;
  serviceRoleKey: string;
  log?: (line: string) => void;
  now?: () => Date;
  /** How often the RED alert rules and all the rules are evaluated (spec 6.1: 30 s and 60 s; tests shorten them). */
  alertsEveryMs?: { red: number; all: number };
  /** How often the promoter fills free slots from settled purchases (a minute; tests shorten it). */
  promoteEveryMs?: number;
  /**
   * Records a daily-job call that failed before the job could say so itself
   * (the function decides nothing here: public.record_cron_unreachable writes
   * only when no run was recorded after `calledAt`).
   */
  recordUnreachable?: (job: string, error: string, calledAt: Date) => Promise<unknown>;
}

export const ALERTS_EVERY_MS = { red: 30_000, all: 60_000 };

export interface Scheduler {
  stop(): void;
  /** When the daily job will next be called. */
  nextDailyRun(): Date;
}

export function startScheduler(opts: SchedulerOptions): Scheduler {
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? (() => undefined);
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let stopped = false;
  let nextDaily = nextMelbourneRun(now());

  /** Calls a function; answers why the call failed (a network error or a 5xx), or null. */
  const call = async (name: string, body: unknown, quiet = false): Promise<string | null> => {
    try {
      const res = await fetch(`${opts.functionsUrl}/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.serviceRoleKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = (await res.text()).slice(0, 160);
      // Twice a minute is too often to log a healthy refresh; a failing one is always logged.
      if (!quiet || !res.ok) log(`scheduler: ${name} → ${res.status} ${text}`);
      return res.status >= 500 ? `HTTP ${res.status} ${text}`.trim() : null;
    } catch (err) {
      log(`scheduler: ${name} failed: ${(err as Error).message}`);
      return (err as Error).message;
    }
  };

  const callDailyJob = async () => {
    const calledAt = now();
    const failure = await call(DAILY_JOB, { trigger: 'schedule' });
    if (failure === null || !opts.recordUnreachable) return;
    await opts
      .recordUnreachable(DAILY_JOB, failure, calledAt)
      .catch((err) => log(`scheduler: could not record the unreachable job: ${(err as Error).message}`));
  };

  const every = (name: string, ms: number, body: unknown, quiet = false, firstAfterMs = ms) => {
    const tick = () => {
      if (stopped) return;
      void call(name, body, quiet).finally(() => {
        if (!stopped) timers.add(setTimeout(tick, ms));
      });
    };
    timers.add(setTimeout(tick, firstAfterMs));
  };

  const scheduleDaily = () => {
    nextDaily = nextMelbourneRun(now());
    const wait = Math.max(1000, nextDaily.getTime() - now().getTime());
    // setTimeout cannot wait longer than ~24.8 days; a day is well within.
    timers.add(
      setTimeout(() => {
        if (stopped) return;
        void callDailyJob().finally(scheduleDaily);
      }, wait),
    );
  };

  scheduleDaily();
  every('stripe-sweep', 60 * 60_000, {});
  every('email-sender', 5 * 60_000, {});
  const alerts = opts.alertsEveryMs ?? ALERTS_EVERY_MS;
  // All the rules once at start: the first Monday look is current, not a minute old.
  every('alerts-refresh', alerts.red, { scope: 'red' }, true);
  every('alerts-refresh', alerts.all, { scope: 'all' }, true, 0);
  every('featured-expiry-and-promotion', opts.promoteEveryMs ?? 60_000, { trigger: 'promote' }, true);
  // The daily payment reconciliation (spec 2.3), a day after start and daily after.
  every('payment-reconciliation', 24 * 3600_000, {});
  for (const t of timers) t.unref?.();

  return {
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
    },
    nextDailyRun: () => nextDaily,
  };
}
