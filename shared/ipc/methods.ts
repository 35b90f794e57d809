// The console's calls, one map per domain: each method's argument schema (the
// same zod schemas the server validates commands with, so main refuses at once
// what the server would refuse a week later) and, as a type, what it answers.
// ConsoleApi, the channel list, main's handlers, the preload and the browser
// bridge are all derived from these maps: a method missing from any of them
// is a compile error.
import { z } from 'zod';
import { setAiMode } from '../commands/ai.ts';
import { flagAccount } from '../commands/accounts.ts';
import { resolveAlert } from '../commands/alerts.ts';
import { closeComplaint } from '../commands/complaints.ts';
import { emailTrainer, replyToReviewer } from '../commands/emails.ts';
import { answerEscalation, closeEscalation, openEscalation } from '../commands/escalations.ts';
import { recordStep, writeIncident } from '../commands/incidents.ts';
import { denyRefund } from '../commands/refunds.ts';
import { reinstateReview, rejectReview } from '../commands/reviews.ts';
import type { ActivityItem, CronRunItem, EmailItem, FlagItem, FlaggedAccount, IncidentItem, MetricsSnapshot, OperatorPolicy } from '../api/operator.ts';
import { InvestigateRequest, QueueCheckRequest, type InvestigateAnswer, type QueueCheckAnswer } from '../api/investigation.ts';
import type { ReconciliationRun, ReportFile, ReportMeta, SweepResult } from '../api/reconciliation.ts';
import type { RefundPattern } from '../api/refund-pattern.ts';
import { PlaybookKind, PlaybookSignal, ReportFields, type PlaybookEvidence, type TriageCheck, type WebhookHealth, type ZaiEvidence } from '../api/playbooks.ts';
import { EscalationSource, Situation, type EscalationDraft } from '../api/escalations.ts';
import type { SyncReport, SyncStatus } from './sync-types.ts';
import type {
  AlertView,
  AppInfo,
  BulkApprovePreview,
  ComplaintView,
  MetricsView,
  CronSchedule,
  CommandOutcome,
  EscalationView,
  WeekView,
  OutboxEntry,
  RefundView,
  ReviewView,
  SessionInfo,
  Overview,
  UploadPreview,
  Verdict,
} from './views.ts';

/** A method: its argument tuple's schema, and (as a phantom type) its answer. */
export interface Method<A extends z.ZodTuple = z.ZodTuple, R = unknown> {
  args: A;
  /** Never set: carries the answer's type. */
  answer?: R;
}
const method =
  <R>() =>
  <A extends z.ZodTuple>(args: A): Method<A, R> => ({ args });

const id = z.uuid('must be an id (uuid)');
const none = z.tuple([]);
const listFilter = z
  .object({ status: z.enum(['pending', 'all']).optional() })
  .strict()
  .optional();
const reject = rejectReview.payload.shape;
const reviewDecision = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('approve') }).strict(),
  z.object({ kind: z.literal('reject'), reason: reject.reason, note: reject.note }).strict(),
]);
const refundDecision = z.object({ kind: z.enum(['approve', 'deny']), note: denyRefund.payload.shape.note }).strict();
const confidence = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');

export const sessionMethods = {
  session: method<SessionInfo>()(none),
  signIn: method<SessionInfo>()(z.tuple([z.email('must be an email address'), z.string().min(1, 'must not be empty').max(1000)])),
  signOut: method<SessionInfo>()(none),
};

export const appMethods = {
  appInfo: method<AppInfo>()(none),
};

export const syncMethods = {
  status: method<SyncStatus>()(none),
  syncNow: method<SyncReport>()(none),
  outbox: method<OutboxEntry[]>()(none),
  previewUpload: method<UploadPreview>()(none),
  cancelCommand: method<void>()(z.tuple([id])),
  changeReviewDecision: method<void>()(z.tuple([id, reviewDecision])),
  retryCommand: method<void>()(z.tuple([id])),
  /** Takes back a review's waiting decision (also one review out of a bulk approval). */
  undoReview: method<ReviewView>()(z.tuple([id])),
  verdicts: method<Verdict[]>()(none),
  dismissVerdict: method<boolean>()(z.tuple([id])),
};

export const reviewsMethods = {
  reviews: method<ReviewView[]>()(z.tuple([listFilter])),
  /** Queues the decision; answers the review as it now stands here, its waiting decision on it (the screen marks the row from this, no reload). */
  decideReview: method<ReviewView>()(z.tuple([id, reviewDecision])),
  /** The same decision for several selected reviews, one command each. */
  decideReviews: method<ReviewView[]>()(z.tuple([z.array(id).min(1, 'select at least one review').max(10_000), reviewDecision])),
  previewBulkApprove: method<BulkApprovePreview>()(z.tuple([confidence])),
  bulkApprove: method<{ commandIds: string[]; count: number }>()(z.tuple([confidence])),
};

export const refundsMethods = {
  refunds: method<RefundView[]>()(z.tuple([listFilter])),
  decideRefund: method<string>()(z.tuple([id, refundDecision])),
  /** Every pending request the policy would decide now (not decided here, not frozen), with its outcome and email; and the ones left out, with why. */
  previewRefundPolicy: method<import('./views.ts').RefundPolicyPreview>()(none),
  /**
   * Queues the policy's decision for each request, one command each, at the outcome the preview showed: all or
   * nothing (refused, nothing queued, when any is no longer pending, is frozen, is decided here, or its outcome
   * changed). Answers the command ids; each stays undoable until sent.
   */
  applyRefundPolicy: method<string[]>()(
    z.tuple([
      z
        .array(z.object({ id, outcome: z.enum(['approve', 'deny'], 'must be approve or deny') }).strict())
        .min(1, 'select at least one refund request')
        .max(10_000),
    ]),
  ),
  /** Playbook 5: the 7 days' refunds by trainer, council and tenure, with the reasons and findings (online only). */
  refundPattern: method<RefundPattern>()(none),
};

export const alertsMethods = {
  alerts: method<AlertView[]>()(none),
  resolveAlert: method<string>()(z.tuple([id, resolveAlert.payload.shape.note])),
};

export const cronMethods = {
  cronRuns: method<CronRunItem[]>()(none),
  cronSchedule: method<CronSchedule>()(none),
  /** Online only: runs now or says it cannot; never queued. */
  runJobNow: method<CommandOutcome>()(none),
};

export const activityMethods = {
  activity: method<ActivityItem[]>()(
    z.tuple([
      z
        .object({ search: z.string().max(200).optional() })
        .strict()
        .optional(),
    ]),
  ),
};

export const metricsMethods = {
  metrics: method<MetricsSnapshot | null>()(none),
  /** Spec 3.2's full metrics from the server; offline, the last snapshot kept here (marked stale). */
  metricsReport: method<MetricsView>()(none),
  /** The Monday check in one answer: overall level, open alerts and pending work. */
  overview: method<Overview>()(none),
  /** The server's thresholds as the last pull brought them (null before the first pull). */
  policy: method<OperatorPolicy | null>()(none),
};

const incident = writeIncident.payload.omit({ incidentId: true });
export const actionsMethods = {
  flags: method<FlagItem[]>()(none),
  accounts: method<FlaggedAccount[]>()(none),
  incidents: method<IncidentItem[]>()(none),
  /** The server's email outbox as last pulled (30 days), newest first. */
  emails: method<EmailItem[]>()(none),
  setAiMode: method<CommandOutcome>()(z.tuple([setAiMode.payload.shape.mode])),
  /** Sent at once (the dossier, the refund pattern): answers its verdict, or queued when offline. */
  flagAccount: method<CommandOutcome>()(z.tuple([id, flagAccount.payload.shape.reason])),
  writeIncident: method<string>()(z.tuple([incident])),
  emailTrainer: method<CommandOutcome>()(z.tuple([id, emailTrainer.payload.shape.template])),
  activateOrphan: method<CommandOutcome>()(z.tuple([id])),
};

/** Payment reconciliation (spec 2.3): online only, nothing cached or queued. */
export const reconciliationMethods = {
  runReconciliation: method<ReconciliationRun>()(none),
  reconciliationReports: method<ReportMeta[]>()(none),
  /** One archived report's file, checked against its archived SHA-256, for the operator to save. */
  reconciliationReport: method<ReportFile>()(z.tuple([id, z.enum(['csv', 'pdf'], 'must be csv or pdf')])),
  /** The fix for a charge Stripe has and we do not: the missed-webhook sweep, now. */
  recoverMissedPayments: method<SweepResult>()(none),
  /** The fix for a payment recorded here that Stripe never took: checked with Stripe, then marked failed. */
  markPaymentFailed: method<CommandOutcome>()(z.tuple([id])),
};

/** Complaints (cached, closed offline like any decision) and the investigation (online only: it asks Stripe). */
const reviewReply = replyToReviewer.payload.shape;
const reinstate = reinstateReview.payload.shape;
export const complaintsMethods = {
  complaints: method<ComplaintView[]>()(z.tuple([listFilter])),
  /** Sent at once: answers its verdict, or queued when offline. */
  closeComplaint: method<CommandOutcome>()(z.tuple([id, closeComplaint.payload.shape.resolution])),
  investigate: method<InvestigateAnswer>()(z.tuple([InvestigateRequest.shape.query])),
  checkQueue: method<QueueCheckAnswer>()(z.tuple([QueueCheckRequest.shape.councilId])),
  /** 2.5 scenario 3: the reviewer hears the review's outcome; queued like the other emails. */
  replyToReviewer: method<CommandOutcome>()(z.tuple([id, id, reviewReply.to, reviewReply.note])),
  /** 2.5 scenario 3: a rejected review approved on appeal, at the version the dossier showed; queued like any decision. */
  reinstateReview: method<CommandOutcome>()(
    z.tuple([id, id, z.number().int().min(1, 'must be the version the dossier showed'), reinstate.cause, reinstate.note]),
  ),
};

/** One small call to Z.AI now, as the server recorded it in the AI health records. */
export type ZaiProbe = NonNullable<ZaiEvidence['lastCheck']>;
const step = recordStep.payload.shape;
const runVersion = z.number().int().min(1, 'must be the version of the run the screen showed');
/** The playbook runs (spec Part 4): opened and finished online; steps and drafts queued (sent at once when online). */
export const playbooksMethods = {
  /** Opens the run for a signal, or resumes the open one: answers the verdict and the run's id as the server answered it (null when refused). */
  openPlaybook: method<{ outcome: CommandOutcome; incidentId: string | null }>()(z.tuple([PlaybookKind, PlaybookSignal])),
  /** The run with its evidence read now (online only). */
  playbook: method<PlaybookEvidence>()(z.tuple([id])),
  /** Playbook 1 step 3: the four cases through the live emergency-triage function. */
  triageCheck: method<TriageCheck>()(z.tuple([id])),
  /** Playbook 2 step 5: a signed test event through our own webhook endpoint. */
  webhookHealth: method<WebhookHealth>()(z.tuple([id])),
  /** Playbook 1: one small call to Z.AI now. */
  probeZai: method<ZaiProbe>()(z.tuple([id])),
  /** A step done (with the command its action sent) or skipped with a reason; queued, sent at once when online. */
  recordStep: method<CommandOutcome>()(z.tuple([id, step.step, step.outcome, step.note, step.commandId])),
  /** The draft report corrected at the run's version; queued, sent at once when online. */
  saveReport: method<CommandOutcome>()(z.tuple([id, runVersion, ReportFields])),
  /** The report made final (online: the server renders and archives it). */
  finishReport: method<CommandOutcome>()(z.tuple([id, runVersion, ReportFields])),
  /** A final report's archived file, checked against its archived SHA-256, for the operator to save. */
  incidentFile: method<ReportFile>()(z.tuple([id, z.enum(['txt', 'pdf'], 'must be txt or pdf')])),
};

const escalation = openEscalation.payload.shape;
const escalationVersion = z.number().int().min(1, 'must be the version of the escalation the screen showed');
/** Escalations (spec Part 7): drafted and sent online (the server reads the evidence and emails the team); answered and closed queued. */
export const escalationsMethods = {
  /** Every cached escalation, newest first, each with its age against its urgency now. */
  escalations: method<EscalationView[]>()(none),
  /** Where the situation goes and the evidence read from the source now (online only). */
  escalationDraft: method<EscalationDraft>()(z.tuple([Situation, EscalationSource])),
  /** Sends it with the note and the evidence the operator read (online only): answers the verdict, its details the packet's SHA-256. */
  openEscalation: method<CommandOutcome>()(z.tuple([Situation, EscalationSource, escalation.subject, escalation.note, escalation.evidence])),
  /** The team's answer recorded at the version shown; queued, sent at once when online. */
  answerEscalation: method<CommandOutcome>()(z.tuple([id, escalationVersion, answerEscalation.payload.shape.answer])),
  /** Closed with how it ended (a legal one's freeze lifts); queued, sent at once when online. */
  closeEscalation: method<CommandOutcome>()(z.tuple([id, escalationVersion, closeEscalation.payload.shape.note])),
};

/** The operator's week (spec Parts 1–2): the Thursday batch as one run kept here, the Monday check's decisions, the weekly log. */
export const weekMethods = {
  /** The run as it stands now (it settles itself: a session with nothing left completes), the Monday check, the last log. */
  week: method<WeekView>()(none),
  /** Starts the Thursday batch, or resumes the open one. */
  startWeek: method<WeekView>()(none),
  /** The current session done, or skipped with a reason (kept, carried over to next week). */
  finishSession: method<WeekView>()(
    z.tuple([z.enum(['done', 'skipped'], 'must be done or skipped'), z.string().max(1000, 'must be at most 1000 characters').optional()]),
  ),
  /** Sends what waits, then the server writes the weekly log from Postgres (online only). */
  finishWeek: method<CommandOutcome>()(none),
  /** Monday: a RED alert acted on now, or deferred to Thursday. */
  decideAlert: method<WeekView['monday']>()(
    z.tuple([id, z.enum(['act_now', 'deferred'], 'must be act_now or deferred'), z.string().max(1000, 'must be at most 1000 characters').optional()]),
  ),
};

export const METHODS = {
  ...sessionMethods,
  ...appMethods,
  ...syncMethods,
  ...reviewsMethods,
  ...refundsMethods,
  ...alertsMethods,
  ...cronMethods,
  ...activityMethods,
  ...metricsMethods,
  ...actionsMethods,
  ...reconciliationMethods,
  ...complaintsMethods,
  ...playbooksMethods,
  ...escalationsMethods,
  ...weekMethods,
};
export type Methods = typeof METHODS;
export type MethodName = keyof Methods;
export type ArgsOf<K extends MethodName> = z.input<Methods[K]['args']>;
export type ParsedArgsOf<K extends MethodName> = z.output<Methods[K]['args']>;
export type AnswerOf<K extends MethodName> = Methods[K] extends Method<z.ZodTuple, infer R> ? R : never;
