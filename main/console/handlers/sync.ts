// The outbox, its upload preview, the verdict inbox and the sync itself.
import { bulkApproveReviews } from '../../../shared/commands/reviews.ts';
import type { ReviewItem } from '../../../shared/api/operator.ts';
import type { syncMethods } from '../../../shared/ipc/methods.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import { mustGet, withDecisions, type HandlerContext, type HandlersFor } from './context.ts';
import { reviewCommand, reviewDecisionOf, takeOutOfBulk } from './reviews.ts';

export function createSyncHandlers(ctx: HandlerContext) {
  const { store, engine, desk } = ctx;
  return {
    status: () => engine.status(),
    syncNow: () => engine.syncOnce(),
    outbox: () =>
      store.outbox().map((r) => ({
        commandId: r.id,
        type: r.type,
        payload: JSON.parse(r.payload),
        state: r.state,
        attempts: r.attempts,
        lastError: r.last_error,
        decidedAt: r.decided_at,
        subjectId: r.subject_id,
        label: desk.label(r),
        reviewDecision: reviewDecisionOf(r),
      })),
    previewUpload: () => desk.preview(),
    cancelCommand: (id) => store.cancel(id),
    undoReview: (reviewId) => {
      const d = desk.decisions().get(reviewId);
      if (!d) throw new ConsoleError('not_found', 'this review has no decision waiting to sync');
      if (d.type !== bulkApproveReviews.type) store.cancel(d.commandId);
      else takeOutOfBulk(store, d, reviewId);
      return withDecisions(ctx, [mustGet<ReviewItem>(ctx, 'review', reviewId, 'review')])[0]!;
    },
    changeReviewDecision: (id, decision) => {
      const entry = store.outbox().find((r) => r.id === id);
      if (!entry || !reviewDecisionOf(entry) || !entry.subject_id) throw new ConsoleError('not_found', `command ${id} is not a waiting review decision`);
      const c = reviewCommand(mustGet<ReviewItem>(ctx, 'review', entry.subject_id, 'review'), decision);
      store.change(id, c.decl.type, c.payload);
    },
    retryCommand: (id) => store.retryDead(id),
    verdicts: () =>
      store.verdicts().map((v) => ({
        commandId: v.command_id,
        type: v.type,
        label: desk.label(v),
        subjectId: v.subject_id,
        kind: v.kind,
        reason: v.reason,
        current: v.current ? JSON.parse(v.current) : null,
        decidedBy: v.decided_by ? JSON.parse(v.decided_by) : null,
        createdAt: v.created_at,
      })),
    dismissVerdict: (id) => store.dismissVerdict(id),
  } satisfies HandlersFor<typeof syncMethods>;
}
