// Each playbook's words for its report, from the spec's "LOG INCIDENT" steps
// (Part 4): the file name's kind and the default root cause, resolution, user
// impact and cost impact the pre-filled report starts from. The operator
// corrects them; nothing else keeps per-playbook words.
import type { PlaybookKind } from '../../../../../shared/api/playbooks.ts';
import { classifyCronError } from '../playbooks/cron.ts';

/** What the run has seen that the words depend on. */
export interface RunFacts {
  /** When the service answered well again (Z.AI), if it did. */
  recoveredAt: string | null;
  /** When the signal cleared (the alert resolved, the complaint closed). */
  resolvedAt: string | null;
  /** Triage calls answered without Z.AI since it started failing (zai_down only). */
  callsAvoided: number;
  /** The error its alert recorded (cron_failed's last error), if any. */
  signalError: string | null;
}

interface PlaybookWords {
  /** The kind in incident_YYYY-MM-DD_<kind>.txt. */
  file: string;
  rootCause: (f: RunFacts) => string;
  resolution: (f: RunFacts) => string;
  userImpact: string;
  costImpact: (f: RunFacts) => string;
}

/** Z.AI's price per triage call, in dollars (spec 4.1: $0.001 a call). */
export const ZAI_CALL_DOLLARS = 0.001;

/** "-$0.30 (saved 300 Z.AI calls × $0.001)". */
export function zaiSavings(calls: number): string {
  if (calls === 0) return 'None (no triage calls were answered without Z.AI)';
  const dollars = calls * ZAI_CALL_DOLLARS;
  return `-$${dollars.toFixed(calls % 10 === 0 ? 2 : 3)} (saved ${calls} Z.AI call${calls === 1 ? '' : 's'} × $${ZAI_CALL_DOLLARS})`;
}

const none = () => 'None';

const CRON_CLASS_WORDS = { A: 'class A, a database timeout', B: 'class B, a lock held elsewhere', C: 'class C, the function unreachable' } as const;
/** The job's last error in the spec's classes (4.3 step 1): the operator starts from what failed, not from "see the steps". */
function cronRootCause(f: RunFacts): string {
  if (!f.signalError) return 'The daily job failed all 5 attempts (see the error class in the steps)';
  const c = classifyCronError(f.signalError);
  return `The daily job failed all 5 attempts: "${f.signalError}"${c === 'unknown' ? '' : ` (${CRON_CLASS_WORDS[c]})`}`;
}

export const PLAYBOOK_WORDS: Record<PlaybookKind, PlaybookWords> = {
  zai_down: {
    file: 'z-ai-down',
    rootCause: () => 'Z.AI API degradation',
    resolution: (f) => (f.recoveredAt ? 'Z.AI recovered, switched back' : 'Switched to the fallback; Z.AI had not recovered when the report was written'),
    userImpact: 'None (transparent fallback)',
    costImpact: (f) => zaiSavings(f.callsAvoided),
  },
  webhook_failed: {
    file: 'webhook-failed',
    rootCause: () => 'Stripe webhook delivery failed: the charge succeeded but its placement was not created',
    resolution: (f) => (f.resolvedAt ? 'Missing placements created by hand and the trainers emailed' : 'Missing placements being created by hand'),
    userImpact: 'Trainer featured by hand (same result as if the webhook had worked)',
    costImpact: none,
  },
  cron_failed: {
    file: 'cron-failed',
    rootCause: cronRootCause,
    resolution: (f) => (f.resolvedAt ? 'Daily job run by hand and verified' : 'Daily job to be run by hand'),
    userImpact: 'Minimal (featured slots expired and promoted late, but in the right order)',
    costImpact: none,
  },
  queue_dispute: {
    file: 'queue-dispute',
    rootCause: () => 'Trainer question about their queue position',
    resolution: () => 'Queue order checked against payment times and explained to the trainer',
    userImpact: 'Low (clarification, not a system bug)',
    costImpact: none,
  },
  refund_rate: {
    file: 'refund-rate',
    rootCause: () => 'Refund rate above 15% over the last 7 days (see the refund pattern)',
    resolution: () => 'Repeat refunders flagged for review; findings documented for the product team',
    userImpact: 'None for the public; flagged trainers are reviewed',
    costImpact: () => 'None beyond the refunds themselves',
  },
};
