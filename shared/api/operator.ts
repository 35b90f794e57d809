// The operator API (/functions/v1/operator): pull and push, the commands the
// operator may send, and the shapes the server answers with. The edge
// function validates with these schemas; the console's sync engine builds its
// requests and reads the answers with the same types.
import { z } from 'zod';
import type { CommandPayload, CommandType } from '../commands/index.ts';
import { ComplaintItem } from './complaints.ts';
import { EscalationItem } from './escalations.ts';
import { RunItem } from './week.ts';

const uuid = z.uuid('must be a uuid');

// The commands themselves are declared in shared/commands/, one file per domain.
export { COMMAND_TYPES, CommandPayloads, ONLINE_ONLY, VERSIONED, REINSTATE_CAUSE } from '../commands/index.ts';
export type { CommandPayload, CommandType } from '../commands/index.ts';

export const CommandEnvelope = z
  .object({
    id: uuid,
    type: z.string(),
    payload: z.record(z.string(), z.unknown()),
    baseVersion: z.number().int().min(1).nullable(),
    decidedAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export interface Command<T extends CommandType = CommandType> {
  id: string;
  type: T;
  payload: CommandPayload<T>;
  baseVersion: number | null;
  decidedAt: string;
}

/** A command as it travels: what the console stores and sends, checked by the server against CommandPayloads. */
export interface WireCommand {
  id: string;
  type: CommandType;
  payload: Record<string, unknown>;
  baseVersion: number | null;
  decidedAt: string;
}

export const PUSH_MAX_COMMANDS = 1000;

export const PushRequest = z
  .object({ commands: z.array(z.unknown()).min(1, 'must hold at least one command').max(PUSH_MAX_COMMANDS, `at most ${PUSH_MAX_COMMANDS} commands per push`) })
  .strict();

/** What the server did with one command. */
export interface CommandVerdict {
  status: 'applied' | 'rejected';
  /** For rejections: a sentence the operator can act on. */
  reason?: string;
  /** stale = the item changed since baseVersion; invalid = malformed; refused = a rule said no; frozen = a legal escalation holds the business (spec Part 7). */
  kind?: 'stale' | 'invalid' | 'refused' | 'not_found' | 'frozen';
  /** The item as the server has it now (stale and refused verdicts). */
  current?: Record<string, unknown>;
  /** Who decided the item first, for stale verdicts. */
  decidedBy?: { id: string | null; name: string | null; at: string | null };
  /** What the command produced (ids, counts, amounts). */
  details?: Record<string, unknown>;
}

export type CommandResult =
  | ({ index: number; id: string | null } & CommandVerdict)
  | { index: number; id: string; status: 'duplicate'; first: CommandVerdict }
  /** A server fault (not a verdict): nothing was stored, the app retries. */
  | { index: number; id: string | null; status: 'error'; reason: string };

export interface PushResponse {
  results: CommandResult[];
}

export const PullRequest = z
  .object({
    cursor: z
      .string()
      .regex(/^xid:\d{1,20}$/, 'is not a cursor this API issued')
      .nullable()
      .optional(),
  })
  .strict();

// The server's answers, as schemas: the console parses every pull and push
// answer with them instead of trusting a cast, so a server that answers in an
// unexpected shape gives a clear error rather than a broken screen.
const str = z.string();
const time = z.string();
const maybe = <T extends z.ZodType>(t: T) => t.nullable();

export const ReviewItem = z.object({
  id: str,
  businessId: str,
  businessName: str,
  rating: z.number(),
  body: str,
  displayName: maybe(str),
  status: z.enum(['pending', 'approved', 'rejected']),
  aiConfidence: maybe(z.number()),
  aiFlags: z.array(str),
  rejectionReason: maybe(str),
  rejectionNote: maybe(str),
  moderatedBy: maybe(str),
  moderatedByName: maybe(str),
  moderatedAt: maybe(time),
  version: z.number().int(),
  createdAt: time,
  updatedAt: time,
});
export type ReviewItem = z.infer<typeof ReviewItem>;

export const RefundItem = z.object({
  id: str,
  paymentId: str,
  businessId: str,
  businessName: str,
  ownerEmail: maybe(str),
  requestedAt: time,
  reason: maybe(str),
  status: z.enum(['pending', 'approved', 'denied']),
  amountCents: z.number().int(),
  paidAt: maybe(time),
  /** As the server computes it: requested within the refund window of the purchase. */
  eligible: z.boolean(),
  /** The last moment a request could have come and still be eligible (purchase + window). */
  eligibleUntil: maybe(time),
  hoursAfterPurchase: z.number(),
  windowHours: z.number(),
  /** The decision the policy allows and why, in the server's words ("Requested 72 h 0 min 1 s after purchase; the refund window is 72 h, so it can only be denied."). */
  policy: str,
  /** The email the decision the policy allows will send (approved when eligible, denied when not), rendered by the server's template. */
  email: maybe(z.object({ template: str, subject: str, body: str })),
  decidedBy: maybe(str),
  decidedByName: maybe(str),
  decidedAt: maybe(time),
  decisionNote: maybe(str),
  version: z.number().int(),
  updatedAt: time,
});
export type RefundItem = z.infer<typeof RefundItem>;

export const AlertItem = z.object({
  id: str,
  severity: z.enum(['RED', 'YELLOW']),
  kind: str,
  subject: str,
  message: str,
  details: z.record(str, z.unknown()),
  openedAt: time,
  resolvedAt: maybe(time),
  updatedAt: time,
});
export type AlertItem = z.infer<typeof AlertItem>;

export const CronRunItem = z.object({
  id: str,
  /** Attempts of one run share it. */
  runId: str,
  jobName: str,
  trigger: str,
  attempt: z.number().int(),
  maxAttempts: z.number().int(),
  status: z.enum(['running', 'success', 'failure']),
  durationMs: maybe(z.number()),
  /** What the job did (expired, promoted), as the job recorded it. */
  result: maybe(z.unknown()),
  startedAt: time,
  finishedAt: maybe(time),
  error: maybe(str),
});
export type CronRunItem = z.infer<typeof CronRunItem>;

export const ActivityItem = z.object({
  id: z.number().int(),
  occurredAt: time,
  actorId: maybe(str),
  actorKind: str,
  action: str,
  subjectType: maybe(str),
  subjectId: maybe(str),
  amountCents: maybe(z.number()),
  details: z.record(str, z.unknown()),
});
export type ActivityItem = z.infer<typeof ActivityItem>;

export const FlagItem = z.object({ key: str, value: str, updatedAt: time });
export type FlagItem = z.infer<typeof FlagItem>;

export const FlaggedAccount = z.object({
  id: str,
  displayName: maybe(str),
  email: maybe(str),
  accountStatus: z.enum(['active', 'flagged_for_review']),
  flaggedReason: maybe(str),
  flaggedAt: maybe(time),
});
export type FlaggedAccount = z.infer<typeof FlaggedAccount>;

export const IncidentItem = z.object({
  id: str,
  title: str,
  severity: z.enum(['RED', 'YELLOW']),
  kind: str,
  startedAt: time,
  resolvedAt: maybe(time),
  updatedAt: time,
  /** draft: a playbook run still open; final: finished, append-only (reports written without a playbook are final). */
  status: z.enum(['draft', 'final']),
  /** The playbook the report is the run of; null for reports written without one. */
  playbook: maybe(str),
  version: z.number(),
});
export type IncidentItem = z.infer<typeof IncidentItem>;

/** An email in the server's outbox: what the trainer (or reviewer) was sent, and whether it left. */
export const EmailItem = z.object({
  id: str,
  to: str,
  template: str,
  subject: str,
  body: str,
  status: z.enum(['queued', 'sent', 'failed']),
  attempts: z.number(),
  lastError: maybe(str),
  createdAt: time,
  sentAt: maybe(time),
});
export type EmailItem = z.infer<typeof EmailItem>;

export const MetricsSnapshot = z.object({
  revenueThisMonthCents: z.number(),
  refundsThisMonthCents: z.number(),
  activePlacements: z.number(),
  queuedPlacements: z.number(),
  pendingReviews: z.number(),
  pendingRefunds: z.number(),
  refundRate7d: z.number(),
  searchesLast24h: z.number(),
  openRed: z.number(),
  openYellow: z.number(),
  aiMode: str,
  /** This Melbourne month's AI spend and budget, in cents; switched: spend reached the switch line, so the router answers from the rules. */
  aiSpentThisMonthCents: z.number(),
  aiBudgetCents: z.number(),
  aiBudgetSwitched: z.boolean(),
});
export type MetricsSnapshot = z.infer<typeof MetricsSnapshot>;

/**
 * The thresholds the server enforces, as its settings say today: the console
 * shows and applies these, never copies of its own. Each comes from the
 * setting named beside it (with the server's default when the row is absent).
 */
export const OperatorPolicy = z.object({
  /** A bulk approval publishes only reviews the AI scored at least this safe (bulk_approve_min_confidence). */
  bulkApproveMinConfidence: z.number(),
  /** At this share of the monthly AI budget the router switches to the deterministic rules by itself (ai_budget_switch_pct / 100). */
  aiBudgetSwitchRatio: z.number(),
  /** The console's sync clock (spec 6.1): every `normal` ms, every `red` ms while a RED alert is open. */
  refreshMs: z.object({ normal: z.number(), red: z.number() }),
  /** A refund request is eligible when it came within this many hours of the purchase (refund_window_hours). */
  refundWindowHours: z.number(),
});
export type OperatorPolicy = z.infer<typeof OperatorPolicy>;

export const PullResponse = z.object({
  cursor: str,
  /** Server time of the snapshot: every item returned (or unchanged) is known as of this moment. */
  serverTime: time,
  /** True for a first pull (no cursor): the app replaces its cache. */
  full: z.boolean(),
  reviews: z.array(ReviewItem),
  refunds: z.array(RefundItem),
  alerts: z.array(AlertItem),
  cronRuns: z.array(CronRunItem),
  activity: z.array(ActivityItem),
  flags: z.array(FlagItem),
  accounts: z.array(FlaggedAccount),
  incidents: z.array(IncidentItem),
  emails: z.array(EmailItem),
  complaints: z.array(ComplaintItem),
  escalations: z.array(EscalationItem),
  runs: z.array(RunItem),
  metrics: MetricsSnapshot,
  policy: OperatorPolicy,
});
export type PullResponse = z.infer<typeof PullResponse>;

const Verdict = z.object({
  status: z.enum(['applied', 'rejected']),
  reason: str.optional(),
  kind: z.enum(['stale', 'invalid', 'refused', 'not_found', 'frozen']).optional(),
  current: z.record(str, z.unknown()).optional(),
  decidedBy: z.object({ id: maybe(str), name: maybe(str), at: maybe(time) }).optional(),
  details: z.record(str, z.unknown()).optional(),
});
/** The push answer as the console reads it (PushResponse, checked). */
export const PushAnswer = z.object({
  results: z.array(
    z.union([
      z.object({ index: z.number(), id: str, status: z.literal('duplicate'), first: Verdict }),
      z.object({ index: z.number(), id: maybe(str), status: z.literal('error'), reason: str }),
      Verdict.extend({ index: z.number(), id: maybe(str) }),
    ]),
  ),
}) satisfies z.ZodType<PushResponse>;
