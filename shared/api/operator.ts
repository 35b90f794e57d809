// The operator API (/functions/v1/operator): pull and push, the commands the
// operator may send, and the shapes the server answers with. The edge
// function validates with these schemas; the console's sync engine builds its
// requests and reads the answers with the same types.
import { z } from 'zod';

const uuid = z.uuid('must be a uuid');
const note = z.string().max(2000, 'must be at most 2000 characters');

/** Everything the spec lets the operator do, and nothing more: no delete, price, account edit or policy override. */
export const CommandPayloads = {
  'review.approve': z.object({ reviewId: uuid, businessId: uuid }).strict(),
  'review.reject': z
    .object({ reviewId: uuid, businessId: uuid, reason: z.enum(['spam', 'profanity', 'off_topic', 'other']), note: note.optional() })
    .strict(),
  'review.bulk_approve': z
    .object({
      reviews: z
        .array(z.object({ reviewId: uuid, businessId: uuid, baseVersion: z.number().int().min(1) }).strict())
        .min(1, 'must name at least one review')
        .max(500, 'at most 500 reviews per bulk approval'),
    })
    .strict(),
  'refund.approve': z.object({ refundRequestId: uuid, businessId: uuid, note: note.optional() }).strict(),
  'refund.deny': z.object({ refundRequestId: uuid, businessId: uuid, note: note.optional() }).strict(),
  'job.run_now': z.object({}).strict(),
  'ai_mode.set': z.object({ mode: z.enum(['z_ai', 'secondary', 'deterministic']) }).strict(),
  'placement.activate_orphan': z.object({ paymentId: uuid }).strict(),
  'account.flag': z.object({ profileId: uuid, reason: z.string().min(3, 'must say why (3+ characters)').max(500) }).strict(),
  'alert.resolve': z.object({ alertId: uuid, note: note.optional() }).strict(),
  'incident.write': z
    .object({
      incidentId: uuid,
      title: z.string().min(3).max(200),
      severity: z.enum(['RED', 'YELLOW']),
      kind: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a lower-case kind like zai_down'),
      startedAt: z.iso.datetime({ offset: true }),
      resolvedAt: z.iso.datetime({ offset: true }).optional(),
      rootCause: note.optional(),
      response: note.optional(),
      resolution: note.optional(),
      userImpact: note.optional(),
    })
    .strict(),
  'email.send': z.object({ businessId: uuid, template: z.enum(['featured_queued', 'featured_activated']) }).strict(),
} as const;

export type CommandType = keyof typeof CommandPayloads;
export type CommandPayload<T extends CommandType> = z.infer<(typeof CommandPayloads)[T]>;
export const COMMAND_TYPES = Object.keys(CommandPayloads) as CommandType[];

/** These act at once on the live system; queueing them offline would surprise the operator later. */
export const ONLINE_ONLY: ReadonlySet<CommandType> = new Set(['job.run_now', 'ai_mode.set']);

/** Commands on a versioned item must say which version the operator saw. */
export const VERSIONED: ReadonlySet<CommandType> = new Set(['review.approve', 'review.reject', 'refund.approve', 'refund.deny']);

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
  /** stale = the item changed since baseVersion; invalid = malformed; refused = a rule said no. */
  kind?: 'stale' | 'invalid' | 'refused' | 'not_found';
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
  .object({ cursor: z.string().regex(/^xid:\d{1,20}$/, 'is not a cursor this API issued').nullable().optional() })
  .strict();

export interface ReviewItem {
  id: string;
  businessId: string;
  businessName: string;
  rating: number;
  body: string;
  displayName: string | null;
  status: 'pending' | 'approved' | 'rejected';
  aiConfidence: number | null;
  aiFlags: string[];
  rejectionReason: string | null;
  rejectionNote: string | null;
  moderatedBy: string | null;
  moderatedByName: string | null;
  moderatedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface RefundItem {
  id: string;
  paymentId: string;
  businessId: string;
  businessName: string;
  ownerEmail: string | null;
  requestedAt: string;
  reason: string | null;
  status: 'pending' | 'approved' | 'denied';
  amountCents: number;
  paidAt: string | null;
  /** As the server computes it: requested within the refund window of the purchase. */
  eligible: boolean;
  hoursAfterPurchase: number;
  windowHours: number;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  version: number;
  updatedAt: string;
}

export interface AlertItem {
  id: string;
  severity: 'RED' | 'YELLOW';
  kind: string;
  subject: string;
  message: string;
  details: Record<string, unknown>;
  openedAt: string;
  resolvedAt: string | null;
  updatedAt: string;
}

export interface CronRunItem {
  id: string;
  jobName: string;
  trigger: string;
  attempt: number;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export interface ActivityItem {
  id: number;
  occurredAt: string;
  actorId: string | null;
  actorKind: string;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  amountCents: number | null;
  details: Record<string, unknown>;
}

export interface FlagItem {
  key: string;
  value: string;
  updatedAt: string;
}

export interface FlaggedAccount {
  id: string;
  displayName: string | null;
  email: string | null;
  accountStatus: 'active' | 'flagged_for_review';
  flaggedReason: string | null;
  flaggedAt: string | null;
}

export interface IncidentItem {
  id: string;
  title: string;
  severity: 'RED' | 'YELLOW';
  kind: string;
  startedAt: string;
  resolvedAt: string | null;
  updatedAt: string;
}

export interface MetricsSnapshot {
  revenueThisMonthCents: number;
  refundsThisMonthCents: number;
  activePlacements: number;
  queuedPlacements: number;
  pendingReviews: number;
  pendingRefunds: number;
  refundRate7d: number;
  searchesLast24h: number;
  openRed: number;
  openYellow: number;
  aiMode: string;
}

export interface PullResponse {
  cursor: string;
  /** Server time of the snapshot: every item returned (or unchanged) is known as of this moment. */
  serverTime: string;
  /** True for a first pull (no cursor): the app replaces its cache. */
  full: boolean;
  reviews: ReviewItem[];
  refunds: RefundItem[];
  alerts: AlertItem[];
  cronRuns: CronRunItem[];
  activity: ActivityItem[];
  flags: FlagItem[];
  accounts: FlaggedAccount[];
  incidents: IncidentItem[];
  metrics: MetricsSnapshot;
}
