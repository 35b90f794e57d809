// The operator's week (spec Parts 1–2): the Thursday batch as one run, the
// Monday check's decisions, and the weekly log the server writes when the
// run finishes (online: everything waiting is sent first, so the log counts
// every decision made here).
import { finishRun } from '../../../shared/commands/week.ts';
import type { weekMethods } from '../../../shared/ipc/methods.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import { plural } from '../../../shared/words.ts';
import { createWeek } from '../week.ts';
import type { HandlerContext, HandlersFor } from './context.ts';

export function createWeekHandlers(ctx: HandlerContext) {
  const week = createWeek(ctx);
  return {
    week: () => week.view(),
    startWeek: () => week.start(),
    finishSession: (outcome, note) => {
      // The server's rule, said at once: a skipped session is carried over with its reason.
      if (outcome === 'skipped' && (note?.trim().length ?? 0) < 3)
        throw new ConsoleError('invalid', 'Say why the session is skipped (3+ characters): it is kept and carried over.');
      return week.finishSession(outcome, note?.trim() || null);
    },
    decideAlert: (alertId, decision, note) => week.decideAlert(alertId, decision, note?.trim() || null),
    async finishWeek() {
      const v = await week.view();
      if (!v.run) throw new ConsoleError('refused', 'No Thursday batch is open: start one from the dashboard.');
      const open = v.run.sessions.filter((s) => s.status === 'current' || s.status === 'todo' || s.status === 'waiting');
      if (open.length) {
        throw new ConsoleError('refused', `${plural(open.length, 'session')} still open (${open.map((s) => s.title).join(', ')}): finish or skip them first.`);
      }
      // Everything decided here reaches the server before it counts.
      await ctx.engine.syncOnce().catch(() => undefined);
      if (ctx.store.pendingCount() > 0) {
        throw new ConsoleError(
          'offline',
          `${plural(ctx.store.pendingCount(), 'decision')} still wait to sync: the log is written once the server has them. Try again when you are back online.`,
        );
      }
      const outcome = await ctx.desk.online(finishRun, { runId: v.run.id });
      if (outcome.status === 'applied') week.forget();
      return outcome;
    },
  } satisfies HandlersFor<typeof weekMethods>;
}
