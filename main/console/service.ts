// The console's calls over the local store and the sync engine, as plain
// functions answering plain values (or throwing a ConsoleError with the kind
// and the sentence the operator will read). main/ipc/edge.ts turns these into
// the contract's Results; tests and the benchmarks call them directly.
import type { ReconciliationClient } from './reconciliation.ts';
import type { InvestigationClient } from './investigation.ts';
import { COMPLAINT_KIND, type ComplaintItem } from '../../shared/api/complaints.ts';
import type { MetricsReport } from '../../shared/api/metrics.ts';
import { randomUUID } from 'node:crypto';
import type {
  ActivityItem,
  AlertItem,
  CommandType,
  CronRunItem,
  FlagItem,
  FlaggedAccount,
  IncidentItem,
  EmailItem,
  RefundItem,
  ReviewItem,
} from '../../shared/api/operator.ts';
import type { ConsoleHandlers, LocalDecision, OnlineResult, ReviewDecision } from '../../shared/ipc/contract.ts';
import { ConsoleError } from '../../shared/ipc/result.ts';
import { nextMelbourneRun } from '../../server-functions/supabase/functions/_shared/jobs/runner.ts';
import type { ItemRow, OutboxRow, Store } from '../store/store.ts';
import type { SyncEngine } from '../sync/engine.ts';
import { TransportError, type OperatorTransport } from '../sync/transport.ts';
import { label, preview } from './upload-preview.ts';

export interface ConsoleDeps {
  store: Store;
  engine: SyncEngine;
  transport: OperatorTransport;
  /** Payment reconciliation on the server (online only). */
  reconciliation: ReconciliationClient;
  /** The complaint investigation on the server (online only). */
  investigation: InvestigationClient;
  clock?: () => number;
}

/** The server refuses bulk approvals of more than this many reviews per command. */
const BULK_CHUNK = 500;
const SAMPLE = 5;
export const DAILY_JOB = 'featured-expiry-and-promotion';

type ListFilter = { status?: 'pending' | 'all' };
export type DataHandlers = Omit<ConsoleHandlers, 'session' | 'signIn' | 'signOut' | 'appInfo'>;

export function createConsoleService(deps: ConsoleDeps) {
  const { store, engine, transport } = deps;
  const clock = deps.clock ?? Date.now;

  /** Each cached item's waiting decision; a bulk approval stands for every review it names. */
  const decisions = (): Map<string, LocalDecision> => {
    const map = new Map<string, LocalDecision>();
    for (const r of store.outbox()) {
      const payload = JSON.parse(r.payload) as Record<string, unknown>;
      const d: LocalDecision = { commandId: r.id, type: r.type, state: r.state, payload };
      if (r.subject_id) map.set(r.subject_id, d);
      if (r.type === 'review.bulk_approve') for (const x of payload.reviews as { reviewId: string }[]) map.set(x.reviewId, d);
    }
    return map;
  };
  const parseRows = <T>(rows: ItemRow[]) => rows.map((r) => JSON.parse(r.data) as T);
  const withDecisions = <T extends { id: string }>(items: T[]) => {
    const local = decisions();
    return items.map((i) => ({ ...i, localDecision: local.get(i.id) ?? null }));
  };
  const mustGet = <T>(kind: string, id: string, what: string): T => {
    const row = store.item(kind, id);
    if (!row) throw new ConsoleError('not_found', `${what} ${id} is not in the local cache; sync, then try again`);
    return JSON.parse(row.data) as T;
  };
  const queue = (type: CommandType, payload: Record<string, unknown>, baseVersion: number | null, subjectKind: string | null, subjectId: string | null) =>
    store.enqueue({ type, payload, baseVersion, subjectKind, subjectId });
  const reviewCommand = (review: ReviewItem, d: ReviewDecision) =>
    d.kind === 'approve'
      ? { type: 'review.approve' as const, payload: { reviewId: review.id, businessId: review.businessId } }
      : {
          type: 'review.reject' as const,
          payload: { reviewId: review.id, businessId: review.businessId, reason: d.reason, ...(d.note ? { note: d.note } : {}) },
        };
  const decideReview = (reviewId: string, decision: ReviewDecision) => {
    const review = mustGet<ReviewItem>('review', reviewId, 'review');
    const c = reviewCommand(review, decision);
    queue(c.type, c.payload, review.version, 'review', review.id);
    return withDecisions([review])[0]!;
  };
  const pendingReviews = () => parseRows<ReviewItem>(store.items('review', 'pending')).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
  /** Pending, not already decided here, at or above the confidence: what a bulk approval would publish. */
  const bulkCandidates = (minConfidence: number) => {
    const local = decisions();
    return store.pendingReviewsAtLeast(minConfidence).filter((r) => !local.has(r.id));
  };

  /** Online-only commands go straight to the server and are never queued. */
  const online = async (type: CommandType, payload: Record<string, unknown>, what: string): Promise<OnlineResult> => {
    const command = { id: randomUUID(), type, payload, baseVersion: null, decidedAt: new Date(clock()).toISOString() };
    try {
      const { results } = await transport.push([command]);
      const r = results[0]!;
      const verdict = r.status === 'duplicate' ? r.first : r;
      if (verdict.status === 'error') throw new ConsoleError('server', `${what} failed on the server: ${verdict.reason}; try again`);
      void engine.syncOnce().catch(() => undefined); // bring the run's rows and the audit entry into the cache
      return {
        status: verdict.status,
        ...(verdict.reason ? { reason: verdict.reason } : {}),
        ...('details' in verdict && verdict.details ? { details: verdict.details } : {}),
      };
    } catch (err) {
      if (err instanceof TransportError && err.kind === 'offline') {
        throw new ConsoleError(
          'offline',
          `${what} needs a connection to the server, and you are offline. Nothing was queued; try again when you are back online.`,
        );
      }
      throw err;
    }
  };

  const handlers = {
    status: () => engine.status(),
    syncNow: () => engine.syncOnce(),

    reviews: (f?: ListFilter) =>
      withDecisions(f?.status === 'all' ? parseRows<ReviewItem>(store.items('review')).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1)) : pendingReviews()),
    decideReview,
    decideReviews: (ids, decision) => store.db.transaction(() => ids.map((id) => decideReview(id, decision)))(),
    previewBulkApprove: (minConfidence) => {
      const all = bulkCandidates(minConfidence);
      return { count: all.length, minConfidence, sample: withDecisions(all.slice(0, SAMPLE).map((r) => mustGet<ReviewItem>('review', r.id, 'review'))) };
    },
    bulkApprove: (minConfidence) => {
      const all = bulkCandidates(minConfidence);
      const commandIds = store.db.transaction(() => {
        const ids: string[] = [];
        for (let i = 0; i < all.length; i += BULK_CHUNK) {
          const reviews = all.slice(i, i + BULK_CHUNK).map((r) => ({ reviewId: r.id, businessId: r.business_id, baseVersion: r.version }));
          ids.push(queue('review.bulk_approve', { reviews }, null, null, null));
        }
        return ids;
      })();
      return { commandIds, count: all.length };
    },

    refunds: (f?: ListFilter) =>
      withDecisions(
        parseRows<RefundItem>(store.items('refund', f?.status === 'all' ? undefined : 'pending')).sort((a, b) =>
          (a.paidAt ?? a.requestedAt) < (b.paidAt ?? b.requestedAt) ? -1 : 1,
        ),
      ),
    decideRefund: (refundId, decision) => {
      const refund = mustGet<RefundItem>('refund', refundId, 'refund request');
      // The policy holds both ways (the server refuses the same, in the same words): refused now, not a week later as a verdict.
      if ((decision.kind === 'approve') !== refund.eligible) throw new ConsoleError('refused', refund.policy);
      return queue(
        decision.kind === 'approve' ? 'refund.approve' : 'refund.deny',
        { refundRequestId: refund.id, businessId: refund.businessId, ...(decision.note ? { note: decision.note } : {}) },
        refund.version,
        'refund',
        refund.id,
      );
    },

    alerts: () =>
      parseRows<AlertItem>(store.items('alert', 'open')).sort((a, b) =>
        a.severity === b.severity ? (a.openedAt < b.openedAt ? -1 : 1) : a.severity === 'RED' ? -1 : 1,
      ),
    resolveAlert: (alertId, note) => {
      mustGet<AlertItem>('alert', alertId, 'alert');
      return queue('alert.resolve', { alertId, ...(note ? { note } : {}) }, null, 'alert', alertId);
    },

    cronRuns: () => parseRows<CronRunItem>(store.items('cron_run')).sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1)),
    cronSchedule: () => ({ jobName: DAILY_JOB, nextRunAt: nextMelbourneRun(new Date(clock())).toISOString(), maxAttempts: 5 }),
    runJobNow: () => online('job.run_now', {}, 'Running the daily job'),

    activity: (f?: { search?: string }) => {
      const needle = f?.search?.trim().toLowerCase();
      return parseRows<ActivityItem>(store.items('activity'))
        .filter(
          (a) =>
            !needle || `${a.action} ${a.actorKind} ${a.subjectType ?? ''} ${a.subjectId ?? ''} ${JSON.stringify(a.details)}`.toLowerCase().includes(needle),
        )
        .sort((a, b) => b.id - a.id);
    },
    overview: () => {
      const open = parseRows<AlertItem>(store.items('alert', 'open'));
      const local = decisions();
      const count = (kind: string) => {
        const ids = store.ids(kind, 'pending');
        return { pending: ids.length, waiting: ids.filter((i) => local.has(i)).length };
      };
      const reviews = count('review');
      const refunds = count('refund');
      const complaints = count('complaint');
      const complaintMinutes = parseRows<ComplaintItem>(store.items('complaint', 'pending'))
        .filter((c) => !local.has(c.id))
        .reduce((m, c) => m + COMPLAINT_KIND[c.kind].minutes, 0);
      const openRed = open.filter((a) => a.severity === 'RED').length;
      const openYellow = open.length - openRed;
      return {
        level: openRed ? ('RED' as const) : openYellow ? ('YELLOW' as const) : ('GREEN' as const),
        openRed,
        openYellow,
        pendingReviews: reviews.pending,
        reviewsWaitingToSync: reviews.waiting,
        pendingRefunds: refunds.pending,
        refundsWaitingToSync: refunds.waiting,
        pendingComplaints: complaints.pending,
        complaintsWaitingToSync: complaints.waiting,
        complaintMinutes,
        asOf: store.meta('last_pull_server_time'),
      };
    },
    metrics: () => {
      const m = store.meta('metrics');
      return m ? JSON.parse(m) : null;
    },

    flags: () => parseRows<FlagItem>(store.items('flag')),
    accounts: () => parseRows<FlaggedAccount>(store.items('account')).filter((a) => a.accountStatus === 'flagged_for_review'),
    incidents: () => parseRows<IncidentItem>(store.items('incident')).sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1)),
    emails: () => parseRows<EmailItem>(store.items('email')).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)),
    setAiMode: (mode) => online('ai_mode.set', { mode }, 'Switching the AI mode'),
    flagAccount: (profileId, reason) => queue('account.flag', { profileId, reason }, null, 'account', profileId),
    writeIncident: (input) => {
      const incidentId = randomUUID();
      return queue('incident.write', { incidentId, ...input }, null, 'incident', incidentId);
    },
    emailTrainer: (businessId, template) => queue('email.send', { businessId, template }, null, null, null),
    activateOrphan: (paymentId) => queue('placement.activate_orphan', { paymentId }, null, 'payment', paymentId),

    outbox: () => store.outbox().map((r) => outboxEntry(store, r)),
    previewUpload: () => preview(store),
    cancelCommand: (id) => store.cancel(id),
    undoReview: (reviewId) => {
      const d = decisions().get(reviewId);
      if (!d) throw new ConsoleError('not_found', 'this review has no decision waiting to sync');
      if (d.type !== 'review.bulk_approve') store.cancel(d.commandId);
      else {
        // Take this one review out of its bulk approval; the rest stay queued.
        const reviews = (d.payload.reviews as { reviewId: string }[]).filter((x) => x.reviewId !== reviewId);
        if (reviews.length === 0) store.cancel(d.commandId);
        else store.change(d.commandId, 'review.bulk_approve', { reviews });
      }
      return withDecisions([mustGet<ReviewItem>('review', reviewId, 'review')])[0]!;
    },
    changeReviewDecision: (id, decision) => {
      const entry = store.outbox().find((r) => r.id === id);
      if (entry?.subject_kind !== 'review' || !entry.subject_id) throw new ConsoleError('not_found', `command ${id} is not a waiting review decision`);
      const c = reviewCommand(mustGet<ReviewItem>('review', entry.subject_id, 'review'), decision);
      store.change(id, c.type, c.payload);
    },
    retryCommand: (id) => store.retryDead(id),
    verdicts: () =>
      store.verdicts().map((v) => ({
        commandId: v.command_id,
        type: v.type,
        subjectId: v.subject_id,
        kind: v.kind,
        reason: v.reason,
        current: v.current ? JSON.parse(v.current) : null,
        decidedBy: v.decided_by ? JSON.parse(v.decided_by) : null,
        createdAt: v.created_at,
      })),
    dismissVerdict: (id) => store.dismissVerdict(id),
    runReconciliation: () => deps.reconciliation.run(),
    reconciliationReports: () => deps.reconciliation.reports(),
    reconciliationReport: (id, format) => deps.reconciliation.file(id, format),
    complaints: (f?: ListFilter) =>
      withDecisions(
        parseRows<ComplaintItem>(store.items('complaint', f?.status === 'all' ? undefined : 'pending')).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1)),
      ).map((c) => ({ ...c, minutes: COMPLAINT_KIND[c.kind].minutes })),
    closeComplaint: (complaintId, resolution) => {
      const c = mustGet<ComplaintItem>('complaint', complaintId, 'complaint');
      return queue('complaint.close', { complaintId, businessId: c.businessId, resolution }, c.version, 'complaint', complaintId);
    },
    metricsReport: async () => {
      try {
        const report = await deps.investigation.metrics();
        store.setMeta('metrics_report', JSON.stringify(report));
        return { report, stale: false, note: null };
      } catch (err) {
        const kept = store.meta('metrics_report');
        if (!kept || !(err instanceof ConsoleError) || err.kind !== 'offline') throw err;
        const report = JSON.parse(kept) as MetricsReport;
        return { report, stale: true, note: 'You are offline: this is the last snapshot kept here, as of the time above.' };
      }
    },
    investigate: (query) => deps.investigation.investigate(query),
    refundPattern: () => deps.investigation.refundPattern(),
    checkQueue: (councilId) => deps.investigation.checkQueue(councilId),
    replyToReviewer: (reviewId, businessId, to, note) => queue('email.review_reply', { reviewId, businessId, to, ...(note ? { note } : {}) }, null, null, null),
    // Not a cached decision (the review is decided, so the cache would refuse it): the server checks the version the dossier showed.
    reinstateReview: (reviewId, businessId, version, cause, note) =>
      queue('review.reinstate', { reviewId, businessId, cause, ...(note ? { note } : {}) }, version, null, null),
    markPaymentFailed: (paymentId) => online('payment.mark_failed', { paymentId }, 'Marking the payment failed'),
    recoverMissedPayments: async () => {
      const r = await deps.reconciliation.recover();
      void engine.syncOnce().catch(() => undefined); // the recovered purchase and its audit entries into the cache
      return r;
    },
  } satisfies DataHandlers;
  return handlers;
}

function outboxEntry(store: Store, r: OutboxRow) {
  return {
    commandId: r.id,
    type: r.type,
    payload: JSON.parse(r.payload),
    state: r.state,
    attempts: r.attempts,
    lastError: r.last_error,
    decidedAt: r.decided_at,
    subjectId: r.subject_id,
    label: label(store, r),
  };
}
