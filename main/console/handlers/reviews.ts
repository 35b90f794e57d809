// The review queue (spec 2.1): pending reviews from the cache, decisions
// queued here, and the bulk approval at the line the server holds.
import type { ReviewItem } from '../../../shared/api/operator.ts';
import { approveReview, BULK_MAX_REVIEWS, bulkApproveReviews, rejectReview } from '../../../shared/commands/reviews.ts';
import type { RejectReason, ReviewDecision } from '../../../shared/ipc/contract.ts';
import type { reviewsMethods } from '../../../shared/ipc/methods.ts';
import type { OutboxRow } from '../../store/store.ts';
import { mustGet, oldestFirst, parseRows, withDecisions, type HandlerContext, type HandlersFor, type ListFilter } from './context.ts';

/** How many reviews a bulk preview shows. */
const SAMPLE = 5;

/** The command a review decision is. */
export function reviewCommand(review: ReviewItem, d: ReviewDecision) {
  return d.kind === 'approve'
    ? { decl: approveReview, payload: { reviewId: review.id, businessId: review.businessId } }
    : { decl: rejectReview, payload: { reviewId: review.id, businessId: review.businessId, reason: d.reason, ...(d.note ? { note: d.note } : {}) } };
}

/** The decision a waiting review command carries, when it is one the operator can change (approve ↔ reject). */
export function reviewDecisionOf(r: Pick<OutboxRow, 'type' | 'payload'>): ReviewDecision | null {
  if (r.type === approveReview.type) return { kind: 'approve' };
  if (r.type !== rejectReview.type) return null;
  const p = JSON.parse(r.payload) as { reason: RejectReason; note?: string };
  return { kind: 'reject', reason: p.reason, ...(p.note ? { note: p.note } : {}) };
}

/** Takes one review out of a waiting bulk approval (cancelled when it was the last); the rest stay queued. */
export function takeOutOfBulk(store: HandlerContext['store'], bulk: { commandId: string; payload: Record<string, unknown> }, reviewId: string) {
  const reviews = (bulk.payload.reviews as { reviewId: string }[]).filter((x) => x.reviewId !== reviewId);
  if (reviews.length === 0) store.cancel(bulk.commandId);
  else store.change(bulk.commandId, bulkApproveReviews.type, { reviews });
}

export function createReviewsHandlers(ctx: HandlerContext) {
  const { store, desk } = ctx;
  const decideReview = (reviewId: string, decision: ReviewDecision) =>
    store.db.transaction(() => {
      const review = mustGet<ReviewItem>(ctx, 'review', reviewId, 'review');
      // A review in a waiting bulk approval is decided anew: out of the bulk first, or the bulk would approve it before this decision arrives.
      const waiting = desk.decisions().get(reviewId);
      if (waiting?.type === bulkApproveReviews.type) takeOutOfBulk(store, waiting, reviewId);
      const c = reviewCommand(review, decision);
      const commandId = desk.queue(c.decl, c.payload as never, review.version);
      return { ...review, localDecision: desk.decisionOf(commandId) };
    })();
  /** Pending, not already decided here, at or above the confidence: what a bulk approval would publish. */
  const bulkCandidates = (minConfidence: number) => {
    const local = desk.decisions();
    return store.pendingReviewsAtLeast(minConfidence).filter((r) => !local.has(r.id));
  };
  return {
    reviews: (f?: ListFilter) =>
      withDecisions(ctx, parseRows<ReviewItem>(store.items('review', f?.status === 'all' ? undefined : 'pending')).sort(oldestFirst)),
    decideReview,
    decideReviews: (ids, decision) => store.db.transaction(() => ids.map((id) => decideReview(id, decision)))(),
    previewBulkApprove: (minConfidence) => {
      const all = bulkCandidates(minConfidence);
      return {
        count: all.length,
        minConfidence,
        sample: withDecisions(
          ctx,
          all.slice(0, SAMPLE).map((r) => mustGet<ReviewItem>(ctx, 'review', r.id, 'review')),
        ),
      };
    },
    bulkApprove: (minConfidence) => {
      const all = bulkCandidates(minConfidence);
      const commandIds = store.db.transaction(() => {
        const ids: string[] = [];
        for (let i = 0; i < all.length; i += BULK_MAX_REVIEWS) {
          const reviews = all.slice(i, i + BULK_MAX_REVIEWS).map((r) => ({ reviewId: r.id, businessId: r.business_id, baseVersion: r.version }));
          ids.push(desk.queue(bulkApproveReviews, { reviews }));
        }
        return ids;
      })();
      return { commandIds, count: all.length };
    },
  } satisfies HandlersFor<typeof reviewsMethods>;
}
