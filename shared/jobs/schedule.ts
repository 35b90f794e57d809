// When the daily job runs: once a Melbourne day at 2:00 AM local time, so its
// instant in UTC moves with daylight saving (16:00 UTC in winter under AEST,
// 15:00 UTC in summer under AEDT). The two nights a year when the clocks move:
// - April (clocks go back at 3:00 AEDT): 2 AM happens twice; the day's run is
//   the first, and the function refuses the second as "already ran".
// - October (clocks go forward at 2:00 AEST): there is no 2 AM; the day's run
//   is at 3:00 AEDT, the instant 2:00 AEST would have been, so no day is skipped.
// The server's function decides from this whether a scheduled call is due; the
// local scheduler and the console's "next run" use it to say when that is.
// Shared by Node and Deno: no Node built-ins, relative imports with `.ts`.

export const DAILY_JOB = 'featured-expiry-and-promotion';

/** The spec's limit on the daily job's attempts (the cron_max_attempts setting may lower it, never raise it). */
export const DAILY_JOB_MAX_ATTEMPTS = 5;

const HOUR_MS = 3_600_000;
const RUN_HOUR = 2;

// Made once: a formatter costs far more to build than to use, and nextMelbourneRun asks up to ~200 times
// (it was most of playbook 4.3's evidence time on the bench).
const MELBOURNE_HOUR = new Intl.DateTimeFormat('en-AU', {
  timeZone: 'Australia/Melbourne',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** The calendar date and hour in Melbourne (DST-aware, from the IANA zone). */
export function melbourneClock(at: Date): { date: string; hour: number } {
  const parts = MELBOURNE_HOUR.formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')) };
}

/** Whether `at` is in the daily job's hour: 2 AM in Melbourne, or 3 AM on the October night that has no 2 AM. */
export function isDailyRunHour(at: Date): boolean {
  const { hour } = melbourneClock(at);
  if (hour === RUN_HOUR) return true;
  return hour === RUN_HOUR + 1 && melbourneClock(new Date(at.getTime() - HOUR_MS)).hour === RUN_HOUR - 1;
}

/**
 * The next daily run strictly after `from`: the start of the next Melbourne
 * day's run hour, searched hour by hour (Melbourne's offsets are whole hours,
 * so its hours start on UTC hours). April's repeated 2 AM is not a second run.
 */
export function nextMelbourneRun(from: Date): Date {
  const first = Math.floor(from.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS;
  for (let t = first; t < first + 49 * HOUR_MS; t += HOUR_MS) {
    if (isDailyRunHour(new Date(t)) && !isDailyRunHour(new Date(t - HOUR_MS))) return new Date(t);
  }
  throw new Error('no daily run hour in Melbourne in the next two days');
}
