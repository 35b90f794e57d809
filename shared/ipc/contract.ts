// The one typed contract between the renderer and the main process. The
// preload exposes exactly these methods as `window.dtd` (no generic invoke),
// main registers exactly these channels (`dtd:<method>`), and tests drive the
// same service object directly.
import type {
  ActivityItem, AlertItem, CommandType, CronRunItem, MetricsSnapshot, RefundItem, ReviewItem,
} from '../api/operator.ts';
import type { SyncReport, SyncStatus } from './sync-types.ts';

export type { SyncReport, SyncStatus };

export interface AppInfo {
  version: string;
  /** Where the console's backend lives (the local stack's API_URL by default). */
  apiUrl: string;
  platform: string;
}

/** A decision made here and not yet accepted by the server. */
export interface LocalDecision {
  commandId: string;
  type: CommandType;
  state: 'pending' | 'sending' | 'dead';
  payload: Record<string, unknown>;
}

export interface Freshness {
  /** Server time of the pull that last confirmed this item's state. */
  asOf: string | null;
  ageMs: number | null;
}

export type ReviewView = ReviewItem & { localDecision: LocalDecision | null; freshness: Freshness };
export type RefundView = RefundItem & { localDecision: LocalDecision | null; freshness: Freshness };
export type AlertView = AlertItem & { freshness: Freshness };

export type ReviewDecision = { kind: 'approve' } | { kind: 'reject'; reason: 'spam' | 'profanity' | 'off_topic' | 'other'; note?: string };
export type RefundDecision = { kind: 'approve' | 'deny'; note?: string };

export interface OutboxEntry {
  commandId: string;
  type: CommandType;
  payload: Record<string, unknown>;
  state: 'pending' | 'sending' | 'dead';
  attempts: number;
  lastError: string | null;
  decidedAt: string;
  subjectId: string | null;
}

export interface Verdict {
  commandId: string;
  type: string;
  subjectId: string | null;
  kind: string;
  reason: string;
  current: Record<string, unknown> | null;
  decidedBy: { id: string | null; name: string | null; at: string | null } | null;
  createdAt: string;
}

export interface UploadPreview {
  reviewApprovals: number;
  reviewRejections: number;
  refundApprovals: number;
  refundDenials: number;
  refundTotalCents: number;
  other: number;
  dead: number;
  /** One line for the operator, e.g. "12 approvals, 1 rejection, 3 refunds totalling $66.00". */
  summary: string;
}

export interface OnlineResult {
  status: 'applied' | 'rejected';
  reason?: string;
  details?: Record<string, unknown>;
}

export interface ConsoleApi {
  appInfo(): Promise<AppInfo>;
  status(): Promise<SyncStatus>;
  syncNow(): Promise<SyncReport>;
  reviews(filter?: { status?: 'pending' | 'all' }): Promise<ReviewView[]>;
  refunds(filter?: { status?: 'pending' | 'all' }): Promise<RefundView[]>;
  alerts(): Promise<AlertView[]>;
  cronRuns(): Promise<CronRunItem[]>;
  activity(): Promise<ActivityItem[]>;
  metrics(): Promise<MetricsSnapshot | null>;
  decideReview(reviewId: string, decision: ReviewDecision): Promise<string>;
  /** Queues one bulk approval of every pending review at or above the confidence; returns how many. */
  bulkApprove(minConfidence: number): Promise<{ commandId: string | null; count: number }>;
  decideRefund(refundId: string, decision: RefundDecision): Promise<string>;
  resolveAlert(alertId: string, note?: string): Promise<string>;
  flagAccount(profileId: string, reason: string): Promise<string>;
  writeIncident(input: { title: string; severity: 'RED' | 'YELLOW'; kind: string; startedAt: string; resolvedAt?: string;
    rootCause?: string; response?: string; resolution?: string; userImpact?: string }): Promise<string>;
  emailTrainer(businessId: string, template: 'featured_queued' | 'featured_activated'): Promise<string>;
  activateOrphan(paymentId: string): Promise<string>;
  /** Online only: runs now or says it cannot; never queued. */
  runJobNow(): Promise<OnlineResult>;
  setAiMode(mode: 'z_ai' | 'secondary' | 'deterministic'): Promise<OnlineResult>;
  outbox(): Promise<OutboxEntry[]>;
  cancelCommand(commandId: string): Promise<void>;
  changeReviewDecision(commandId: string, decision: ReviewDecision): Promise<void>;
  retryCommand(commandId: string): Promise<void>;
  previewUpload(): Promise<UploadPreview>;
  verdicts(): Promise<Verdict[]>;
  dismissVerdict(commandId: string): Promise<boolean>;
}

export type ConsoleMethod = keyof ConsoleApi;

export const CONSOLE_METHODS: readonly ConsoleMethod[] = [
  'appInfo', 'status', 'syncNow', 'reviews', 'refunds', 'alerts', 'cronRuns', 'activity', 'metrics',
  'decideReview', 'bulkApprove', 'decideRefund', 'resolveAlert', 'flagAccount', 'writeIncident', 'emailTrainer', 'activateOrphan',
  'runJobNow', 'setAiMode', 'outbox', 'cancelCommand', 'changeReviewDecision', 'retryCommand', 'previewUpload', 'verdicts', 'dismissVerdict',
];

export const channelOf = (method: ConsoleMethod) => `dtd:${method}`;
