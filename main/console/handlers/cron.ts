// The daily job's history, its schedule and a run by hand (online only).
import type { CronRunItem } from '../../../shared/api/operator.ts';
import { runDailyJobNow } from '../../../shared/commands/jobs.ts';
import type { cronMethods } from '../../../shared/ipc/methods.ts';
import { DAILY_JOB, DAILY_JOB_MAX_ATTEMPTS, nextMelbourneRun } from '../../../shared/jobs/schedule.ts';
import { parseRows, type HandlerContext, type HandlersFor } from './context.ts';

export function createCronHandlers(ctx: HandlerContext) {
  return {
    cronRuns: () => parseRows<CronRunItem>(ctx.store.items('cron_run')).sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1)),
    cronSchedule: () => ({ jobName: DAILY_JOB, nextRunAt: nextMelbourneRun(new Date(ctx.clock())).toISOString(), maxAttempts: DAILY_JOB_MAX_ATTEMPTS }),
    runJobNow: () => ctx.desk.online(runDailyJobNow, {}),
  } satisfies HandlersFor<typeof cronMethods>;
}
