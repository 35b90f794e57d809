// The daily job run by hand (spec 2.4 step 3): on its own connection, its
// attempts committed as they go (see OWN_TRANSACTION in operator/handlers.ts).
import { runDailyJobNow } from '../../../../../shared/commands/jobs.ts';
import type { Handler, Handlers } from '../operator/command.ts';
import { Refusal } from '../operator/versioned.ts';

const jobRunNow: Handler<typeof runDailyJobNow.type> = async (ctx) => {
  const run = await ctx.runDailyJob(ctx.operatorId);
  if (run.status !== 'success') throw new Refusal({ kind: 'refused', reason: `the daily job failed after ${run.attempts} attempts: ${run.error}` });
  return { subjectType: 'cron_job', subjectId: run.runId, before: null, after: run.result, details: { runId: run.runId, attempts: run.attempts } };
};

export const jobHandlers: Handlers<typeof runDailyJobNow.type> = { [runDailyJobNow.type]: jobRunNow };
