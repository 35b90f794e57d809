// Example playbook runs and evidence, as the server answers them, for the
// console's tests on both sides of the bridge (main's fake server, the
// renderer's fake API). Parsed through the contract's schemas, so an example
// that drifts from the contract fails where it is made.
import type { z } from 'zod';
import { PLAYBOOK, PlaybookEvidence, PlaybookRun, type PlaybookKind, type ReportFields, type WrappedEvidence } from './playbooks.ts';

export const EXAMPLE_INCIDENT = '7a1c2a9e-1d2b-4c3d-8e4f-5a6b7c8d9e01';
const OPENED = '2026-11-26T03:40:00.000Z';

export const exampleSuggested = (over: Partial<ReportFields> = {}): ReportFields => ({
  title: 'Z.AI down for 42 minutes',
  startedAt: '2026-11-26T03:00:00.000Z',
  resolvedAt: null,
  rootCause: 'Z.AI answered 500 to every call from 2:00 pm AEDT.',
  detection: 'The zai_down alert opened at 2:05 pm AEDT.',
  response: 'Switched emergency triage to deterministic at 2:42 pm AEDT.',
  resolution: '',
  userImpact: 'Visitors were triaged by keyword rules meanwhile.',
  costImpact: '120 AI calls avoided × $0.001 = $0.12',
  ...over,
});

export function exampleRun(playbook: PlaybookKind = 'zai_down', over: Partial<PlaybookRun> = {}): PlaybookRun {
  return PlaybookRun.parse({
    incidentId: EXAMPLE_INCIDENT,
    playbook,
    status: 'draft',
    version: 1,
    signal: { kind: 'palette', id: null },
    openedAt: OPENED,
    steps: PLAYBOOK[playbook].steps.map((s) => ({ id: s.id, status: 'todo', at: null, reason: null })),
    timeline: [{ at: OPENED, kind: 'opened', step: null, text: `Opened the ${PLAYBOOK[playbook].title} playbook` }],
    report: {
      title: exampleSuggested().title,
      startedAt: exampleSuggested().startedAt,
      resolvedAt: null,
      rootCause: null,
      detection: null,
      response: null,
      resolution: null,
      userImpact: null,
      costImpact: null,
    },
    suggested: exampleSuggested(),
    files: null,
    ...over,
  });
}

type Facts = PlaybookEvidence['facts'];
type FactsOf<K extends Facts['playbook']> = Extract<Facts, { playbook: K }>;

export const zaiFacts = (over: Partial<FactsOf<'zai_down'>> = {}): FactsOf<'zai_down'> => ({
  playbook: 'zai_down',
  failingSince: '2026-11-26T03:00:00.000Z',
  minutesFailing: 42,
  failedCalls: 17,
  lastError: 'Z.AI answered 500: upstream unavailable',
  recommendation: 'deterministic',
  mode: 'z_ai',
  lastCheck: { at: '2026-11-26T03:41:00.000Z', ok: false, latencyMs: 5000, error: 'timeout after 5000 ms' },
  recovered: false,
  callsAvoided: 0,
  costAvoidedCents: 0,
  ...over,
});

export const webhookFacts = (over: Partial<FactsOf<'webhook_failed'>> = {}): FactsOf<'webhook_failed'> => ({
  playbook: 'webhook_failed',
  orphans: [
    {
      paymentId: '5b1c2a9e-1d2b-4c3d-8e4f-5a6b7c8d9e02',
      businessId: '6f1c2a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0f',
      businessName: 'Paws & Co',
      ownerEmail: 'jo@paws.example',
      chargeId: 'ch_orphan_1',
      amountCents: 2200,
      paidAt: '2026-11-26T01:00:00.000Z',
      stripeStatus: 'succeeded',
      stripeError: null,
    },
  ],
  last24h: 1,
  webhookFailuresLastHour: 3,
  activated: [],
  ...over,
});

export const cronFacts = (over: Partial<FactsOf<'cron_failed'>> = {}): FactsOf<'cron_failed'> => ({
  playbook: 'cron_failed',
  lastFailure: {
    runId: '8c1c2a9e-1d2b-4c3d-8e4f-5a6b7c8d9e03',
    at: '2026-11-26T15:05:00.000Z',
    attempts: 5,
    error: 'canceling statement due to statement timeout',
  },
  errorClass: 'A',
  advice: 'A database timeout: check the database load, then run the job now.',
  impact: { pastEnd: 3, waiting: 2, promotable: 2 },
  verification: { lastSuccessAt: null, promotedToday: 0, newActiveToday: 0 },
  nextRunAt: '2026-11-27T15:00:00.000Z',
  ...over,
});

export const wrappedFacts = (playbook: 'queue_dispute' | 'refund_rate', over: Partial<z.infer<typeof WrappedEvidence>> = {}): Facts => ({
  playbook,
  councilId: null,
  businessId: null,
  ...over,
});

const FACTS: Record<PlaybookKind, () => Facts> = {
  zai_down: () => zaiFacts(),
  webhook_failed: () => webhookFacts(),
  cron_failed: () => cronFacts(),
  queue_dispute: () => wrappedFacts('queue_dispute'),
  refund_rate: () => wrappedFacts('refund_rate'),
};

/** A run's evidence read now; the facts are the playbook's example unless given. */
export function exampleEvidence(playbook: PlaybookKind = 'zai_down', over: { facts?: Facts; run?: Partial<PlaybookRun>; readAt?: string } = {}) {
  return PlaybookEvidence.parse({
    readAt: over.readAt ?? '2026-11-26T03:42:00.000Z',
    run: exampleRun(playbook, over.run),
    facts: over.facts ?? FACTS[playbook](),
  });
}
