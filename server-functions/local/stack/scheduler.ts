// What pg_cron + pg_net do on hosted Supabase, for the local stack: calls the
// daily job at 2:00 AM Australia/Melbourne (the next such instant is
// recomputed after every run, so daylight saving moves it correctly), the
// missed-webhook sweep hourly, and the email sender every few minutes. Each
// call is an ordinary HTTP request with the service role key; the functions
// record their own outcome (cron_jobs), as they must on Supabase where
// pg_cron only knows that a request was sent.
import { nextMelbourneRun } from '../../supabase/functions/_shared/jobs/runner.ts';

export interface SchedulerOptions {
  functionsUrl: string;
  serviceRoleKey: string;
  log?: (line: string) => void;
  now?: () => Date;
}

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

  const call = async (name: string, body: unknown) => {
    try {
      const res = await fetch(`${opts.functionsUrl}/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.serviceRoleKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      log(`scheduler: ${name} → ${res.status} ${(await res.text()).slice(0, 160)}`);
    } catch (err) {
      log(`scheduler: ${name} failed: ${(err as Error).message}`);
    }
  };

  const every = (name: string, ms: number, body: unknown) => {
    const tick = () => {
      if (stopped) return;
      void call(name, body).finally(() => {
        if (!stopped) timers.add(setTimeout(tick, ms));
      });
    };
    timers.add(setTimeout(tick, ms));
  };

  const scheduleDaily = () => {
    nextDaily = nextMelbourneRun(now());
    const wait = Math.max(1000, nextDaily.getTime() - now().getTime());
    // setTimeout cannot wait longer than ~24.8 days; a day is well within.
    timers.add(
      setTimeout(() => {
        if (stopped) return;
        void call('featured-expiry-and-promotion', { trigger: 'schedule' }).finally(scheduleDaily);
      }, wait),
    );
  };

  scheduleDaily();
  every('stripe-sweep', 60 * 60_000, {});
  every('email-sender', 5 * 60_000, {});
  for (const t of timers) t.unref?.();

  return {
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
    },
    nextDailyRun: () => nextDaily,
  };
}
