// The five incident playbooks of spec Part 4 as guided runs. A run is an
// incident report in draft: opened once per incident from its signal (an
// alert, a complaint, or by name), resumed when opened again, and final when
// the operator finishes its report. Its evidence is read live from the server
// (POST /operator/playbook), its steps are the spec's in the spec's order,
// and its timeline is built from what happened. The console reads these
// shapes; the edge function answers them.
import { z } from 'zod';

const str = z.string();
const num = z.number();
const maybe = <T extends z.ZodType>(t: T) => t.nullable();
const uuid = z.uuid('must be a uuid');

export const PLAYBOOKS = ['zai_down', 'webhook_failed', 'cron_failed', 'queue_dispute', 'refund_rate'] as const;
export type PlaybookKind = (typeof PLAYBOOKS)[number];
export const PlaybookKind = z.enum(PLAYBOOKS, 'must be one of zai_down, webhook_failed, cron_failed, queue_dispute, refund_rate');

interface StepDef {
  id: string;
  title: string;
}
interface PlaybookDef {
  title: string;
  section: string;
  severity: 'RED' | 'YELLOW';
  /** The alert kinds that open it. */
  alerts: readonly string[];
  /** The complaint kind that opens it, if any. */
  complaint: string | null;
  steps: readonly StepDef[];
}

/** The spec's playbooks: their names, where they come from and their steps in the spec's order. */
export const PLAYBOOK: Record<PlaybookKind, PlaybookDef> = {
  zai_down: {
    title: 'Z.AI down',
    section: '4.1',
    severity: 'RED',
    alerts: ['zai_down'],
    complaint: null,
    steps: [
      { id: 'confirm', title: 'Confirm how long Z.AI has been failing' },
      { id: 'switch', title: 'Switch the AI mode' },
      { id: 'test', title: 'Test the fallback' },
      { id: 'notify', title: 'Tell the product team' },
      { id: 'recover', title: 'Watch for recovery and switch back' },
      { id: 'report', title: 'Write the incident report' },
    ],
  },
  webhook_failed: {
    title: 'Stripe webhook failed',
    section: '4.2',
    severity: 'RED',
    alerts: ['webhook_failures', 'orphaned_charge'],
    complaint: 'not_featured',
    steps: [
      { id: 'verify', title: 'Find every charge without its placement' },
      { id: 'activate', title: 'Create the missing placements' },
      { id: 'stripe', title: 'Cross-check with Stripe' },
      { id: 'email', title: 'Email the trainers' },
      { id: 'investigate', title: 'Check other charges and the webhook now' },
      { id: 'report', title: 'Write the incident report' },
    ],
  },
  cron_failed: {
    title: 'Daily job failed all attempts',
    section: '4.3',
    severity: 'RED',
    alerts: ['cron_failed'],
    complaint: null,
    steps: [
      { id: 'error', title: 'Understand the error' },
      { id: 'impact', title: 'Assess the impact' },
      { id: 'run', title: 'Run the job now' },
      { id: 'verify', title: 'Verify the run' },
      { id: 'next', title: 'Check the next scheduled run' },
      { id: 'report', title: 'Write the incident report' },
    ],
  },
  queue_dispute: {
    title: 'Queue position dispute',
    section: '4.4',
    severity: 'YELLOW',
    alerts: ['queue_out_of_order'],
    complaint: 'queue_position',
    steps: [
      { id: 'verify', title: 'Verify the queue data' },
      { id: 'integrity', title: 'Check the queue is in payment order' },
      { id: 'email', title: 'Email the trainer' },
      { id: 'escalate', title: 'Escalate if the order is wrong' },
      { id: 'report', title: 'Write the incident report' },
    ],
  },
  refund_rate: {
    title: 'High refund rate',
    section: '4.5',
    severity: 'YELLOW',
    alerts: ['refund_rate'],
    complaint: null,
    steps: [
      { id: 'analyze', title: 'Analyze the refund pattern' },
      { id: 'act', title: 'Flag repeat refunders' },
      { id: 'document', title: 'Document for the product team' },
      { id: 'report', title: 'Write the incident report' },
    ],
  },
};

export const stepIds = (kind: PlaybookKind) => PLAYBOOK[kind].steps.map((s) => s.id);

/** The playbook an alert kind opens, if any. */
export function playbookForAlert(alertKind: string): PlaybookKind | null {
  return PLAYBOOKS.find((k) => PLAYBOOK[k].alerts.includes(alertKind)) ?? null;
}

/** Where a run came from. */
export const PlaybookSignal = z
  .object({ kind: z.enum(['alert', 'complaint', 'palette']), id: uuid.nullable() })
  .strict()
  .refine((s) => (s.kind === 'palette') === (s.id === null), { message: 'an alert or complaint signal names its id; the palette names none' });
export type PlaybookSignal = z.infer<typeof PlaybookSignal>;

export const REPORT_FIELDS = ['rootCause', 'detection', 'response', 'resolution', 'userImpact', 'costImpact'] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];

const reportText = z.string().max(4000, 'must be at most 4000 characters');
/** The report's fields the operator corrects (spec 4.1 step 6): start, duration (from start and end), and the words. */
export const ReportFields = z
  .object({
    title: z.string().trim().min(3, 'must be at least 3 characters').max(200, 'must be at most 200 characters'),
    startedAt: z.iso.datetime({ offset: true, message: 'must be an ISO date-time' }),
    resolvedAt: z.iso.datetime({ offset: true, message: 'must be an ISO date-time' }).nullable(),
    rootCause: reportText,
    detection: reportText,
    response: reportText,
    resolution: reportText,
    userImpact: reportText,
    costImpact: reportText,
  })
  .strict();
export type ReportFields = z.infer<typeof ReportFields>;

/** One line of a run's timeline, in the order things happened. */
export const TimelineEvent = z.object({
  at: str,
  /** opened: the run started; alert_opened / alert_resolved: the signal; step: a step done or skipped; action: a step's command and its verdict; recovery: the probe saw the service answer again; final: the report finished. */
  kind: z.enum(['alert_opened', 'opened', 'step', 'action', 'recovery', 'alert_resolved', 'final']),
  step: maybe(str),
  text: str,
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

/** A step's state in a run: nothing is deleted, a skipped step keeps its reason. */
export const StepState = z.object({
  id: str,
  status: z.enum(['todo', 'done', 'skipped']),
  at: maybe(str),
  reason: maybe(str),
});
export type StepState = z.infer<typeof StepState>;

/** A playbook run: the incident report in draft (or final), its steps, its timeline and the report as the server would write it now. */
export const PlaybookRun = z.object({
  incidentId: str,
  playbook: PlaybookKind,
  status: z.enum(['draft', 'final']),
  version: num,
  signal: z.object({ kind: z.enum(['alert', 'complaint', 'palette']), id: maybe(str) }),
  openedAt: str,
  steps: z.array(StepState),
  timeline: z.array(TimelineEvent),
  /** The report as saved (a draft's fields are null until saved or finished). */
  report: z.object({
    title: str,
    startedAt: str,
    resolvedAt: maybe(str),
    rootCause: maybe(str),
    detection: maybe(str),
    response: maybe(str),
    resolution: maybe(str),
    userImpact: maybe(str),
    costImpact: maybe(str),
  }),
  /** The report pre-filled from the timeline and the evidence, for the operator to correct. */
  suggested: ReportFields,
  /** Once final: the archived files' names and SHA-256 (also in the audit entry). */
  files: maybe(z.object({ textName: str, textSha256: str, pdfName: str, pdfSha256: str })),
});
export type PlaybookRun = z.infer<typeof PlaybookRun>;

/** Step 3 of playbook 1: the spec's four cases through the live emergency-triage function. */
export const TRIAGE_CASES = [
  { text: 'Bleeding from paw', expected: 'medical' },
  { text: 'Aggressive dog', expected: 'crisis' },
  { text: 'Lost dog', expected: 'stray' },
  { text: "Won't listen", expected: 'normal' },
] as const;
export const TriageCheck = z.object({
  at: str,
  mode: str,
  cases: z.array(z.object({ text: str, expected: str, got: maybe(str), source: maybe(str), ok: z.boolean(), error: maybe(str) })),
  allOk: z.boolean(),
});
export type TriageCheck = z.infer<typeof TriageCheck>;

export const ZaiEvidence = z.object({
  playbook: z.literal('zai_down'),
  /** When Z.AI started failing: the first failed call after its last good one (the AI health records). */
  failingSince: maybe(str),
  minutesFailing: num,
  failedCalls: num,
  lastError: maybe(str),
  /** Step 1's decision tree on those minutes: under 5 wait, 5–30 secondary, over 30 deterministic; none when it is not failing. */
  recommendation: z.enum(['none', 'wait', 'secondary', 'deterministic']),
  mode: z.enum(['z_ai', 'secondary', 'deterministic']),
  /** The last provider probe (or call) to Z.AI, and whether it answered well. */
  lastCheck: maybe(z.object({ at: str, ok: z.boolean(), latencyMs: maybe(num), error: maybe(str) })),
  /** Z.AI answered well after it had been failing: offer the switch back. */
  recovered: z.boolean(),
  /** Triage calls answered without Z.AI since it started failing, and what they would have cost (spec: $0.001 each). */
  callsAvoided: num,
  costAvoidedCents: num,
});

const OrphanCharge = z.object({
  paymentId: str,
  businessId: str,
  businessName: str,
  ownerEmail: maybe(str),
  chargeId: maybe(str),
  amountCents: num,
  paidAt: str,
  /** Stripe's state for the charge, asked now (null when Stripe could not be asked). */
  stripeStatus: maybe(str),
  stripeError: maybe(str),
});
export const WebhookEvidence = z.object({
  playbook: z.literal('webhook_failed'),
  /** Every succeeded charge with no placement and no queue entry. */
  orphans: z.array(OrphanCharge),
  /** Of those, the ones paid in the last 24 h. */
  last24h: num,
  webhookFailuresLastHour: num,
  /** Placements activated by the operator since the run opened, with whether the trainer was emailed. */
  activated: z.array(z.object({ paymentId: str, businessId: str, businessName: str, featuredUntil: maybe(str), emailed: z.boolean() })),
});
export const WebhookHealth = z.object({ at: str, ok: z.boolean(), status: num, ms: num, answer: str });
export type WebhookHealth = z.infer<typeof WebhookHealth>;

export const CRON_ERROR_CLASSES = ['A', 'B', 'C', 'unknown'] as const;
export const CronEvidence = z.object({
  playbook: z.literal('cron_failed'),
  lastFailure: maybe(z.object({ runId: str, at: str, attempts: num, error: str })),
  /** A database timeout, B lock timeout, C function unreachable (recorded by the caller), or unknown. */
  errorClass: z.enum(CRON_ERROR_CLASSES),
  advice: str,
  /** Placements past their end not yet expired, purchases waiting in the queue, and how many could be promoted now. */
  impact: z.object({ pastEnd: num, waiting: num, promotable: num }),
  /** Step 4: what the last successful run today did. */
  verification: z.object({ lastSuccessAt: maybe(str), promotedToday: num, newActiveToday: num }),
  nextRunAt: str,
});

/** Playbooks 4 and 5 wrap the investigation's queue check and the refund pattern: their evidence is those answers (read through their own calls). */
export const WrappedEvidence = z.object({ playbook: z.enum(['queue_dispute', 'refund_rate']), councilId: maybe(str), businessId: maybe(str) });

export const PlaybookEvidence = z.object({
  readAt: str,
  run: PlaybookRun,
  facts: z.discriminatedUnion('playbook', [ZaiEvidence, WebhookEvidence, CronEvidence, WrappedEvidence]),
});
export type PlaybookEvidence = z.infer<typeof PlaybookEvidence>;
export type ZaiEvidence = z.infer<typeof ZaiEvidence>;
export type WebhookEvidence = z.infer<typeof WebhookEvidence>;
export type CronEvidence = z.infer<typeof CronEvidence>;

/** POST /operator/playbook: the run (by id) with its evidence read now. */
export const PlaybookRequest = z.object({ incidentId: uuid }).strict();
/** POST /operator/playbook/triage-check and /operator/playbook/webhook-health: run the live check now. */
export const PlaybookCheckRequest = z.object({ incidentId: uuid }).strict();
/** POST /operator/incident: a run by id (its report, steps, timeline and suggested report; no live evidence). */
export const IncidentRequest = z.object({ incidentId: uuid }).strict();
/** POST /operator/incident-file: a final report's archived file. */
export const IncidentFileRequest = z.object({ incidentId: uuid, format: z.enum(['txt', 'pdf'], 'must be txt or pdf') }).strict();
/** The answer of /operator/incident-file: the archived bytes as base64, with the SHA-256 they were archived with. */
export const IncidentFile = z.object({ fileName: str, mimeType: str, base64: str, sha256: str });
export type IncidentFile = z.infer<typeof IncidentFile>;

/** POST /operator/playbook/probe-zai: one small Z.AI call now, recorded in the AI health records (and the budget); lastCheck is the newest record after it. */
export const ZaiProbeResult = z.object({
  probed: z.boolean(),
  /** Why no call was made (e.g. Z.AI is not configured). */
  reason: maybe(str),
  lastCheck: maybe(z.object({ at: str, ok: z.boolean(), latencyMs: maybe(num), error: maybe(str) })),
});
export type ZaiProbeResult = z.infer<typeof ZaiProbeResult>;
