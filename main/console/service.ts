// The console's API (shared/ipc/contract.ts) as plain functions over the
// local store and the sync engine. Electron's main process registers these
// as IPC handlers; tests and the browser-test bridge call them directly.
import { randomUUID } from 'node:crypto';
import type { AlertItem, CommandType, RefundItem, ReviewItem } from '../../shared/api/operator.ts';
import type {
  AppInfo, ConsoleApi, Freshness, LocalDecision, OnlineResult, OutboxEntry, ReviewDecision, UploadPreview, Verdict,
} from '../../shared/ipc/contract.ts';
import type { Store, ItemRow, OutboxRow } from '../store/store.ts';
import type { SyncEngine } from '../sync/engine.ts';
import { TransportError, type OperatorTransport } from '../sync/transport.ts';

export class ConsoleError extends Error {}

export interface ConsoleDeps {
  store: Store;
  engine: SyncEngine;
  transport: OperatorTransport;
  appInfo: AppInfo;
  clock?: () => number;
}

export const formatAud = (cents: number) => `$${(cents / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function createConsoleService(deps: ConsoleDeps): ConsoleApi {
  const { store, engine, transport } = deps;
  const clock = deps.clock ?? Date.now;

  const freshness = (): Freshness => {
    const asOf = store.meta('last_pull_server_time');
    const at = store.meta('last_pull_at');
    return { asOf, ageMs: at ? Math.max(0, clock() - Date.parse(at)) : null };
  };
  const decisions = (): Map<string, LocalDecision> => {
    const map = new Map<string, LocalDecision>();
    for (const r of store.outbox()) {
      if (r.subject_id) map.set(r.subject_id, { commandId: r.id, type: r.type, state: r.state, payload: JSON.parse(r.payload) });
    }
    return map;
  };
  const view = <T>(rows: ItemRow[]) => {
    const local = decisions();
    const fresh = freshness();
    return rows.map((r) => ({ ...(JSON.parse(r.data) as T), localDecision: local.get(r.id) ?? null, freshness: fresh }));
  };
  const mustGet = <T>(kind: string, id: string, what: string): T => {
    const row = store.item(kind, id);
    if (!row) throw new ConsoleError(`${what} ${id} is not in the local cache; sync first`);
    return JSON.parse(row.data) as T;
  };
  const queue = (type: CommandType, payload: Record<string, unknown>, baseVersion: number | null, subjectKind: string | null, subjectId: string | null) =>
    store.enqueue({ type, payload, baseVersion, subjectKind, subjectId });
  const reviewCommand = (review: ReviewItem, d: ReviewDecision) => d.kind === 'approve'
    ? { type: 'review.approve' as const, payload: { reviewId: review.id, businessId: review.businessId } }
    : { type: 'review.reject' as const, payload: { reviewId: review.id, businessId: review.businessId, reason: d.reason, ...(d.note ? { note: d.note } : {}) } };

  /** Online-only commands go straight to the server and are never queued. */
  const online = async (type: CommandType, payload: Record<string, unknown>, what: string): Promise<OnlineResult> => {
    const command = { id: randomUUID(), type, payload, baseVersion: null, decidedAt: new Date(clock()).toISOString() };
    try {
      const { results } = await transport.push([command]);
      const r = results[0]!;
      const verdict = r.status === 'duplicate' ? r.first : r;
      if (verdict.status === 'error') throw new ConsoleError(`${what} failed on the server: ${verdict.reason}; try again`);
      return { status: verdict.status, ...(verdict.reason ? { reason: verdict.reason } : {}), ...('details' in verdict && verdict.details ? { details: verdict.details } : {}) };
    } catch (err) {
      if (err instanceof TransportError && err.kind === 'offline') {
        throw new ConsoleError(`${what} needs a connection to the server, and you are offline. Nothing was queued; try again when you are back online.`);
      }
      throw err;
    }
  };

  return {
    appInfo: async () => deps.appInfo,
    status: async () => engine.status(),
    syncNow: () => engine.syncOnce(),
    reviews: async (f) => view<ReviewItem>(store.items('review', f?.status === 'all' ? undefined : 'pending'))
      .sort((a, b) => a.createdAt < b.createdAt ? -1 : 1),
    refunds: async (f) => view<RefundItem>(store.items('refund', f?.status === 'all' ? undefined : 'pending'))
      .sort((a, b) => a.requestedAt < b.requestedAt ? -1 : 1),
    alerts: async () => store.items('alert', 'open').map((r) => ({ ...(JSON.parse(r.data) as AlertItem), freshness: freshness() })),
    cronRuns: async () => store.items('cron_run').map((r) => JSON.parse(r.data)),
    activity: async () => store.items('activity').map((r) => JSON.parse(r.data)).sort((a, b) => b.id - a.id),
    metrics: async () => {
      const m = store.meta('metrics');
      return m ? JSON.parse(m) : null;
    },

    decideReview: async (reviewId, decision) => {
      const review = mustGet<ReviewItem>('review', reviewId, 'review');
      const c = reviewCommand(review, decision);
      return queue(c.type, c.payload, review.version, 'review', review.id);
    },
    bulkApprove: async (minConfidence) => {
      const local = decisions();
      const reviews = store.items('review', 'pending').map((r) => JSON.parse(r.data) as ReviewItem)
        .filter((r) => (r.aiConfidence ?? 0) >= minConfidence && !local.has(r.id));
      if (reviews.length === 0) return { commandId: null, count: 0 };
      const commandId = queue('review.bulk_approve', {
        reviews: reviews.map((r) => ({ reviewId: r.id, businessId: r.businessId, baseVersion: r.version })),
      }, null, null, null);
      return { commandId, count: reviews.length };
    },
    decideRefund: async (refundId, decision) => {
      const refund = mustGet<RefundItem>('refund', refundId, 'refund request');
      if (decision.kind === 'approve' && !refund.eligible) {
        throw new ConsoleError(`this request came ${refund.hoursAfterPurchase} hours after purchase; the window is ${refund.windowHours} hours, so it can only be denied`);
      }
      return queue(decision.kind === 'approve' ? 'refund.approve' : 'refund.deny',
        { refundRequestId: refund.id, businessId: refund.businessId, ...(decision.note ? { note: decision.note } : {}) },
        refund.version, 'refund', refund.id);
    },
    resolveAlert: async (alertId, note) => queue('alert.resolve', { alertId, ...(note ? { note } : {}) }, null, 'alert', alertId),
    flagAccount: async (profileId, reason) => queue('account.flag', { profileId, reason }, null, 'account', profileId),
    writeIncident: async (input) => {
      const incidentId = randomUUID();
      return queue('incident.write', { incidentId, ...input }, null, 'incident', incidentId);
    },
    emailTrainer: async (businessId, template) => queue('email.send', { businessId, template }, null, null, null),
    activateOrphan: async (paymentId) => queue('placement.activate_orphan', { paymentId }, null, 'payment', paymentId),
    runJobNow: () => online('job.run_now', {}, 'Running the daily job'),
    setAiMode: (mode) => online('ai_mode.set', { mode }, 'Switching the AI mode'),

    outbox: async () => store.outbox().map(outboxEntry),
    cancelCommand: async (id) => store.cancel(id),
    changeReviewDecision: async (id, decision) => {
      const entry = store.outbox().find((r) => r.id === id);
      if (!entry || entry.subject_kind !== 'review' || !entry.subject_id) throw new ConsoleError(`command ${id} is not a waiting review decision`);
      const c = reviewCommand(mustGet<ReviewItem>('review', entry.subject_id, 'review'), decision);
      store.change(id, c.type, c.payload);
    },
    retryCommand: async (id) => store.retryDead(id),
    previewUpload: async () => preview(store),
    verdicts: async () => store.verdicts().map((v): Verdict => ({
      commandId: v.command_id, type: v.type, subjectId: v.subject_id, kind: v.kind, reason: v.reason,
      current: v.current ? JSON.parse(v.current) : null, decidedBy: v.decided_by ? JSON.parse(v.decided_by) : null, createdAt: v.created_at,
    })),
    dismissVerdict: async (id) => store.dismissVerdict(id),
  };
}

function outboxEntry(r: OutboxRow): OutboxEntry {
  return {
    commandId: r.id, type: r.type, payload: JSON.parse(r.payload), state: r.state, attempts: r.attempts,
    lastError: r.last_error, decidedAt: r.decided_at, subjectId: r.subject_id,
  };
}

/** "12 approvals, 1 rejection, 3 refunds totalling $66.00": what the next upload will do. */
export function preview(store: Store): UploadPreview {
  const p: UploadPreview = { reviewApprovals: 0, reviewRejections: 0, refundApprovals: 0, refundDenials: 0, refundTotalCents: 0, other: 0, dead: 0, summary: '' };
  for (const r of store.outbox()) {
    if (r.state === 'dead') { p.dead++; continue; }
    const payload = JSON.parse(r.payload) as { reviews?: unknown[]; refundRequestId?: string };
    if (r.type === 'review.approve') p.reviewApprovals++;
    else if (r.type === 'review.bulk_approve') p.reviewApprovals += payload.reviews?.length ?? 0;
    else if (r.type === 'review.reject') p.reviewRejections++;
    else if (r.type === 'refund.approve') {
      p.refundApprovals++;
      const item = store.item('refund', payload.refundRequestId!);
      p.refundTotalCents += item ? (JSON.parse(item.data) as RefundItem).amountCents : 0;
    } else if (r.type === 'refund.deny') p.refundDenials++;
    else p.other++;
  }
  const parts = [
    p.reviewApprovals && plural(p.reviewApprovals, 'approval'),
    p.reviewRejections && plural(p.reviewRejections, 'rejection'),
    p.refundApprovals && `${plural(p.refundApprovals, 'refund')} totalling ${formatAud(p.refundTotalCents)}`,
    p.refundDenials && plural(p.refundDenials, 'refund denial'),
    p.other && plural(p.other, 'other action'),
  ].filter(Boolean);
  p.summary = parts.length ? parts.join(', ') : 'nothing to upload';
  if (p.dead) p.summary += ` (${plural(p.dead, 'command')} held in the dead-letter lane)`;
  return p;
}
