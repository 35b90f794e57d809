// Every operator command, gathered from its domain's declarations. What is
// derived from them (the payload schemas by type, which are versioned, which
// are online only) is derived here and nowhere else.
import type { z } from 'zod';
import { setAiMode } from './ai.ts';
import { flagAccount } from './accounts.ts';
import { resolveAlert } from './alerts.ts';
import { closeComplaint } from './complaints.ts';
import type { Declaration } from './define.ts';
import { emailTrainer, replyToReviewer } from './emails.ts';
import { answerEscalation, closeEscalation, openEscalation } from './escalations.ts';
import { finishIncident, openPlaybook, recordStep, updateIncident, writeIncident } from './incidents.ts';
import { runDailyJobNow } from './jobs.ts';
import { activateOrphanedPayment, markPaymentFailed } from './payments.ts';
import { approveRefund, denyRefund } from './refunds.ts';
import { approveReview, bulkApproveReviews, reinstateReview, rejectReview } from './reviews.ts';
import { finishRun, recordRunEvent, startRun } from './week.ts';

const ALL = [
  approveReview,
  rejectReview,
  reinstateReview,
  bulkApproveReviews,
  approveRefund,
  denyRefund,
  runDailyJobNow,
  setAiMode,
  activateOrphanedPayment,
  markPaymentFailed,
  flagAccount,
  resolveAlert,
  closeComplaint,
  writeIncident,
  openPlaybook,
  recordStep,
  updateIncident,
  finishIncident,
  emailTrainer,
  replyToReviewer,
  openEscalation,
  answerEscalation,
  closeEscalation,
  startRun,
  recordRunEvent,
  finishRun,
] as const;

type AnyCommand = (typeof ALL)[number];
export type CommandType = AnyCommand['type'];
export type DeclarationOf<T extends CommandType> = Extract<AnyCommand, { type: T }>;
type PayloadMap = { [D in AnyCommand as D['type']]: z.output<D['payload']> };
export type CommandPayload<T extends CommandType> = PayloadMap[T];

export const COMMANDS = Object.fromEntries(ALL.map((d) => [d.type, d])) as { [T in CommandType]: DeclarationOf<T> };
export const COMMAND_TYPES = ALL.map((d) => d.type) as CommandType[];
/** The declaration of a type string that came from outside (the outbox, the wire); null when no command has it. */
export const declarationOf = (type: string): Declaration | null => (COMMANDS as Record<string, Declaration>)[type] ?? null;

/** Everything the spec lets the operator do, and nothing more: no delete, price, account edit or policy override. */
export const CommandPayloads = Object.fromEntries(ALL.map((d) => [d.type, d.payload])) as { [T in CommandType]: DeclarationOf<T>['payload'] };
/** Commands on a versioned item must say which version the operator saw. */
export const VERSIONED: ReadonlySet<CommandType> = new Set(ALL.filter((d) => d.versioned).map((d) => d.type));
/** These act at once on the live system; queueing them offline would surprise the operator later. */
export const ONLINE_ONLY: ReadonlySet<CommandType> = new Set(ALL.filter((d) => d.mode === 'online').map((d) => d.type));

export * from './define.ts';
export * from './ai.ts';
export * from './accounts.ts';
export * from './alerts.ts';
export * from './complaints.ts';
export * from './emails.ts';
export * from './escalations.ts';
export * from './incidents.ts';
export * from './jobs.ts';
export * from './payments.ts';
export * from './refunds.ts';
export * from './reviews.ts';
export * from './week.ts';
