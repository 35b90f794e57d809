// What the console's calls answer with: the server's items as cached, plus
// what only the console knows (a local decision waiting to sync, how fresh
// the cache is).
import type { ComplaintItem } from '../api/complaints.ts';
import type { EscalationItem, Freeze } from '../api/escalations.ts';
import type { SessionId } from '../api/week.ts';
import type { MetricsReport } from '../api/metrics.ts';
import type { AlertItem, CommandType, RefundItem, ReviewItem } from '../api/operator.ts';

export interface AppInfo {
  version: string;
  /** Where the console's backend lives (the local stack's API_URL by default). */
  apiUrl: string;
  platform: string;
  /** The local SQLite file holding the cache and the outbox. */
  dataFile: string;
  /** The seeded operator account, offered on sign-in when the backend is the local stack. */
  localOperator: { email: string; password: string } | null;
}

export interface SessionInfo {
  signedIn: boolean;
  email: string | null;
  name: string | null;
  /** Whether the refresh token is kept on disk (encrypted by the OS) across restarts. */
  persisted: boolean;
  /** Why it is not kept, in words for the operator (null when it is). */
  persistNote: string | null;
}

/** A decision made here and not yet accepted by the server. */
export interface LocalDecision {
  commandId: string;
  type: CommandType;
  state: 'pending' | 'sending' | 'dead';
  payload: Record<string, unknown>;
  /** The decision in a few words, from its declaration ("approve", "reject: Spam", "denied"). */
  words: string;
}

export interface Freshness {
  /** Server time of the pull that last confirmed this item's state. */
  asOf: string | null;
  ageMs: number | null;
}

export type ReviewView = ReviewItem & { localDecision: LocalDecision | null };
export type { Freeze };
export type RefundView = RefundItem & { localDecision: LocalDecision | null; freeze: Freeze | null };
/** A trainer's complaint as cached, with its closing when that waits to sync; minutes: the spec's estimate for its kind. */
export type ComplaintView = ComplaintItem & { localDecision: LocalDecision | null; minutes: number; freeze: Freeze | null };
/** An open alert, with its resolution when that waits to sync here. */
export type AlertView = AlertItem & { localDecision: LocalDecision | null };

export type { RejectReason } from '../commands/reviews.ts';
import type { RejectReason } from '../commands/reviews.ts';
export type ReviewDecision = { kind: 'approve' } | { kind: 'reject'; reason: RejectReason; note?: string };
export type RefundDecision = { kind: 'approve' | 'deny'; note?: string };

export interface BulkApprovePreview {
  count: number;
  minConfidence: number;
  /** A few of the reviews the bulk approval would publish, oldest first. */
  sample: ReviewView[];
}

export interface OutboxEntry {
  commandId: string;
  type: CommandType;
  payload: Record<string, unknown>;
  state: 'pending' | 'sending' | 'dead';
  attempts: number;
  lastError: string | null;
  decidedAt: string;
  subjectId: string | null;
  /** What the command does, in the operator's words ("Approve review of Paws & Co"). */
  label: string;
  /** The review decision it carries, when it is one the operator can change (approve ↔ reject); null otherwise. */
  reviewDecision: ReviewDecision | null;
}

export interface Verdict {
  commandId: string;
  type: string;
  /** What the refused command would have done, in the operator's words. */
  label: string;
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

/**
 * What became of a command sent at once: the server's verdict (applied, or
 * rejected with its reason), or queued: offline (or signed out), it waits in
 * the outbox and goes when the console is back. An online-only command is
 * never queued: offline it fails instead.
 */
export interface CommandOutcome {
  commandId: string;
  status: 'applied' | 'rejected' | 'queued';
  reason?: string;
  details?: Record<string, unknown>;
}

export interface CronSchedule {
  jobName: string;
  /** The next 2:00 AM Australia/Melbourne, as an instant. */
  nextRunAt: string;
  maxAttempts: number;
}

/** The Monday check: one level for the whole system and the week's pending work, from the cache. */
export interface Overview {
  /** RED when any RED alert is open, YELLOW when any YELLOW one is, GREEN otherwise. */
  level: 'RED' | 'YELLOW' | 'GREEN';
  openRed: number;
  openYellow: number;
  pendingReviews: number;
  /** Of those, decided here and waiting to sync. */
  reviewsWaitingToSync: number;
  pendingRefunds: number;
  refundsWaitingToSync: number;
  pendingComplaints: number;
  complaintsWaitingToSync: number;
  /** The spec's time estimate for the pending complaints not yet closed here, in minutes. */
  complaintMinutes: number;
  /** Escalations still open past the age their urgency allows (spec Part 7), oldest due first. */
  overdueEscalations: EscalationView[];
  /** Server time of the pull the cache holds. */
  asOf: string | null;
}

/** An escalation as cached, with its age against its urgency now and the decision waiting on it here. */
export type EscalationView = EscalationItem & { overdue: boolean; localDecision: LocalDecision | null };

/** The metrics snapshot of spec 3.2: fresh from the server, or the last one kept here (offline), saying so. */
export interface MetricsView {
  report: MetricsReport;
  /** True when the server could not be asked and this is the last snapshot kept. */
  stale: boolean;
  note: string | null;
}

/** What the refund policy decides for one pending request (spec 2.2), as the server states it on the request. */
export interface RefundPolicyOutcome {
  refundId: string;
  businessId: string;
  businessName: string;
  amountCents: number;
  /** Approve inside the refund window, deny outside it (the request's `eligible`). */
  outcome: RefundDecision['kind'];
  /** The server's sentence for it ("Requested 24 h 0 min 0 s after purchase, inside the 72 h refund window: …"). */
  policy: string;
  /** The email that decision sends, as the server rendered it (plain text); null when the cache has none. */
  email: { template: string; subject: string; body: string } | null;
}
/** A pending request the policy run leaves alone: already decided here (waiting to sync), or frozen by an open legal escalation. */
export type RefundPolicyLeftOut = RefundPolicyOutcome & {
  why: 'decided' | 'frozen';
  /** Why, in the operator's words (a frozen one names its escalation's subject). */
  reason: string;
  freeze: Freeze | null;
  localDecision: LocalDecision | null;
};
/** "Apply the refund policy to the N requests": what it would decide (oldest purchase first) and what it leaves out. */
export interface RefundPolicyPreview {
  /** How many it would decide: decide.length. */
  count: number;
  approvals: number;
  denials: number;
  /** What the approvals refund in total. */
  approvedCents: number;
  decide: RefundPolicyOutcome[];
  leftOut: RefundPolicyLeftOut[];
}

/** One session of the Thursday batch as the run shows it (spec Part 2). */
export interface SessionView {
  id: SessionId;
  title: string;
  section: string;
  /** The spec's budget in words ("1–2 h"). */
  budget: string;
  /** current: the one the run is at; waiting: needs a connection and the console is offline; auto: completed itself with nothing to do. */
  status: 'todo' | 'current' | 'waiting' | 'done' | 'skipped' | 'auto';
  /** What is left to do here now (null: not known offline). */
  left: number | null;
  /** What is left, in words ("11 reviews", "the daily job succeeded on schedule; next run …"). */
  leftWords: string;
  spentMs: number;
  /** Why it was skipped, or what it found. */
  note: string | null;
}

/** Something the last run (or Monday) left for this one. */
export interface CarriedItem {
  kind: 'alert' | 'session' | 'complaint';
  id: string;
  text: string;
}

/** The operator's week: the Monday check and the Thursday batch in progress, and the last weekly log. */
export interface WeekView {
  run: {
    id: string;
    startedAt: string;
    current: SessionId | null;
    sessions: SessionView[];
    carried: CarriedItem[];
    /** Every session is done, skipped or completed itself: the log can be written. */
    complete: boolean;
  } | null;
  /** The last finished Thursday batch's log. */
  lastLog: { runId: string; startedAt: string; finishedAt: string; log: string; logSha256: string } | null;
  /** The Monday check: each open RED alert and what was decided for it this week. */
  monday: { alerts: { id: string; message: string; openedAt: string; decision: 'act_now' | 'deferred' | null }[] };
  online: boolean;
}
