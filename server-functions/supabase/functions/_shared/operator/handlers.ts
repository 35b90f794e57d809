// Every operator command's handler, gathered from the domain folders. The
// type below makes a declared command without a handler a compile error;
// shared/commands/declarations.test.ts checks the same at run time.
import type { Command, CommandType } from '../../../../../shared/api/operator.ts';
import { declarationOf } from '../../../../../shared/commands/index.ts';
import { runDailyJobNow } from '../../../../../shared/commands/jobs.ts';
import { accountHandlers } from '../accounts/commands.ts';
import { aiHandlers } from '../ai/commands.ts';
import { alertHandlers } from '../alerts/commands.ts';
import { complaintHandlers } from '../complaints/commands.ts';
import { emailHandlers } from '../email/commands.ts';
import { escalationHandlers } from '../escalations/commands.ts';
import { refuseIfFrozen } from '../escalations/freeze.ts';
import { incidentHandlers } from '../incidents/commands.ts';
import { jobHandlers } from '../jobs/commands.ts';
import { paymentHandlers } from '../payments/commands.ts';
import { refundHandlers } from '../refunds/commands.ts';
import { reviewHandlers } from '../reviews/commands.ts';
import { weekHandlers } from '../week/commands.ts';
import type { Applied, CommandContext, Handler, Handlers } from './command.ts';

export const HANDLERS: Handlers<CommandType> = {
  ...reviewHandlers,
  ...refundHandlers,
  ...jobHandlers,
  ...aiHandlers,
  ...paymentHandlers,
  ...accountHandlers,
  ...alertHandlers,
  ...incidentHandlers,
  ...emailHandlers,
  ...complaintHandlers,
  ...escalationHandlers,
  ...weekHandlers,
};

/** The command's handler, after the legal freeze (spec Part 7) has had its say on the commands whose declarations name a business. */
export async function applyCommand(ctx: CommandContext, cmd: Command): Promise<Applied> {
  const d = declarationOf(cmd.type);
  const target = d?.frozenBy?.(cmd.payload as never);
  if (target) await refuseIfFrozen(ctx.tx, target, d!.words.activity);
  return (HANDLERS[cmd.type] as Handler<CommandType>)(ctx, cmd);
}

/**
 * Commands that must not share the batch's transaction: the daily job commits
 * its own attempts on other connections and would wait on locks the batch
 * holds (an alert row it refreshes, say) while the batch waits for it.
 */
export const OWN_TRANSACTION: ReadonlySet<CommandType> = new Set([runDailyJobNow.type]);
