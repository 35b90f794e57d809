// What every operator command's handler shares: the transaction it runs in,
// what it answers (the change, for the audit log) and how a rule says no (a
// Refusal, from versioned.ts). Each domain folder keeps its commands'
// handlers in its own commands.ts, keyed by the declarations in
// shared/commands/; operator/handlers.ts gathers them. The server enforces
// the operator's limits simply by having no command that deletes, changes a
// price, edits an account or overrides a policy.
import type { TransactionSql } from 'postgres';
import type { Command, CommandType } from '../../../../../shared/api/operator.ts';
import type { JobRun } from '../jobs/runner.ts';
import type { Stripe } from '../stripe.ts';

export interface CommandContext {
  tx: TransactionSql;
  stripe: Stripe;
  operatorId: string;
  now: Date;
  /** Runs the daily job on its own connection (it commits its own attempts). */
  runDailyJob: (operatorId: string) => Promise<JobRun>;
}

export interface Applied {
  subjectType: string;
  subjectId: string;
  before: unknown;
  after: unknown;
  amountCents?: number | null;
  details?: Record<string, unknown>;
}

export type Handler<T extends CommandType> = (ctx: CommandContext, cmd: Command<T>) => Promise<Applied>;
/** One domain's handlers: a handler for each of the commands it names. */
export type Handlers<T extends CommandType> = { [K in T]: Handler<K> };

/** What the audit log keeps of an applied command: both clocks and the change. */
export function commandAuditDetails(cmd: Command, appliedAt: Date, before: unknown, after: unknown) {
  return {
    command_id: cmd.id,
    decided_at: cmd.decidedAt,
    applied_at: appliedAt.toISOString(),
    base_version: cmd.baseVersion,
    before: before ?? null,
    after: after ?? null,
  };
}
