// Review moderation's commands: approve, reject, bulk-approve at the line
// the server holds, and an appeal that overturns a rejection.
import { approveReview, bulkApproveReviews, reinstateReview, rejectReview } from '../../../../../shared/commands/reviews.ts';
import type { Applied, CommandContext, Handler, Handlers } from '../operator/command.ts';
import { Refusal } from '../operator/versioned.ts';
import { decideReviews, reinstateReview as reinstate, type ReviewDecision } from './moderate.ts';

async function moderate(ctx: CommandContext, d: ReviewDecision): Promise<Applied> {
  const [outcome] = await decideReviews(ctx.tx, ctx.operatorId, ctx.now, [d]);
  if (outcome instanceof Refusal) throw outcome;
  return { subjectType: 'review', subjectId: d.reviewId, before: outcome!.before, after: outcome!.after };
}

export const reviewHandlers: Handlers<(typeof approveReview | typeof rejectReview | typeof reinstateReview | typeof bulkApproveReviews)['type']> = {
  [approveReview.type]: (ctx, c) => moderate(ctx, { ...c.payload, baseVersion: c.baseVersion, status: 'approved' }),
  [rejectReview.type]: (ctx, c) => moderate(ctx, { ...c.payload, baseVersion: c.baseVersion, status: 'rejected' }),
  [reinstateReview.type]: async (ctx, c) => {
    const change = await reinstate(ctx.tx, ctx.operatorId, ctx.now, { ...c.payload, baseVersion: c.baseVersion });
    return { subjectType: 'review', subjectId: c.payload.reviewId, ...change };
  },
  [bulkApproveReviews.type]: (ctx, c) => reviewBulkApprove(ctx, c),
};

/**
 * Approves every named review that is still as the operator saw it and that
 * the AI scored at or above the bulk-approval line (the setting
 * bulk_approve_min_confidence, 0.90: the spec's "auto-flagged as safe"); the
 * others are listed, not fatal. The line is the server's to hold: a console
 * that sent a review below it gets it back, to be read and approved alone.
 */
const reviewBulkApprove: Handler<typeof bulkApproveReviews.type> = async (ctx, c) => {
  const ids = c.payload.reviews.map((r) => r.reviewId);
  const low = await ctx.tx<{ id: string; confidence: number | null; line: number }[]>`
    select r.id, r.ai_confidence::float8 as confidence, l.line
    from (select public.bulk_approve_min_confidence()::float8 as line) l
    join public.reviews r on r.id = any(${ids}::uuid[]) and (r.ai_confidence is null or r.ai_confidence < l.line)`;
  const below = new Map(low.map((r) => [r.id, r]));
  const eligible = c.payload.reviews.filter((r) => !below.has(r.reviewId));
  const outcomes = eligible.length
    ? await decideReviews(
        ctx.tx,
        ctx.operatorId,
        ctx.now,
        eligible.map((r) => ({ ...r, status: 'approved' as const })),
      )
    : [];
  const approved = outcomes.flatMap((o) => (o instanceof Refusal ? [] : [o.reviewId]));
  const skipped = [
    ...low.map((r) => ({
      reviewId: r.id,
      reason: `its AI confidence ${r.confidence === null ? 'is unknown' : r.confidence.toFixed(2)}${r.confidence === null ? '' : ` is below the bulk-approval line ${r.line.toFixed(2)}`}; approve it on its own after reading it`,
    })),
    ...outcomes.flatMap((o, i) => (o instanceof Refusal ? [{ reviewId: eligible[i]!.reviewId, reason: o.verdict.reason ?? 'refused' }] : [])),
  ];
  if (approved.length === 0) {
    throw new Refusal({ kind: 'refused', reason: `none of the ${skipped.length} reviews could be approved: ${skipped[0]!.reason}`, details: { skipped } });
  }
  return { subjectType: 'review', subjectId: `bulk:${approved.length}`, before: null, after: { approved }, details: { approved, skipped } };
};
