// Review moderation (spec 2.1, and 2.5 scenario 3's appeal).
import { z } from 'zod';
import { humanText } from '../api/text.ts';
import { plural } from '../words.ts';
import { queued } from './define.ts';

const uuid = z.uuid('must be a uuid');
const note = humanText(0, 2000);

export const REJECT_REASONS = ['spam', 'profanity', 'off_topic', 'other'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];
/** A rejection reason as the operator reads it. */
export const REJECT_REASON_LABEL: Record<RejectReason, string> = { spam: 'Spam', profanity: 'Profanity', off_topic: 'Off-topic', other: 'Other' };
const reasonLabel = (r: string) => REJECT_REASON_LABEL[r as RejectReason] ?? r;

const businessOf = (cached: { review(id: unknown): { businessName: string } | null }, id: string) =>
  cached.review(id)?.businessName ?? 'a review no longer cached';

export const approveReview = queued({
  type: 'review.approve',
  payload: z.object({ reviewId: uuid, businessId: uuid }).strict(),
  versioned: true,
  cache: {
    subject: (p) => ({ kind: 'review', id: p.reviewId }),
    applied: (p) => [{ kind: 'review', id: p.reviewId, status: 'approved', fields: { rejectionReason: null, rejectionNote: null } }],
    tally: 'reviewApprovals',
  },
  words: {
    label: (p, cached) => `Approve review of ${businessOf(cached, p.reviewId)}`,
    short: () => 'approve',
    activity: 'approved a review',
  },
});

export const rejectReview = queued({
  type: 'review.reject',
  payload: z.object({ reviewId: uuid, businessId: uuid, reason: z.enum(REJECT_REASONS), note: note.optional() }).strict(),
  versioned: true,
  cache: {
    subject: (p) => ({ kind: 'review', id: p.reviewId }),
    applied: (p) => [{ kind: 'review', id: p.reviewId, status: 'rejected', fields: { rejectionReason: p.reason, rejectionNote: p.note ?? null } }],
    tally: 'reviewRejections',
  },
  words: {
    label: (p, cached) => `Reject review of ${businessOf(cached, p.reviewId)} (${reasonLabel(p.reason)})`,
    short: (p) => `reject: ${reasonLabel(p.reason)}`,
    activity: 'rejected a review',
  },
});

/** Why a rejection was overturned, in the operator's words (the reinstate form, the dossier's history). */
export const REINSTATE_CAUSE = {
  ai_false_positive: 'the AI flagged it wrongly',
  operator_error: 'an operator rejected it by mistake',
} as const;
export type ReinstateCause = keyof typeof REINSTATE_CAUSE;

/**
 * 2.5 scenario 3, a rejection found wrong on appeal: the AI's false positive
 * ("approve manually, log feedback") or an operator's mistake ("apologize +
 * approve"). Only a rejected review, as the operator saw it; the cause is
 * the feedback the audit log keeps. The review is decided, so it is no
 * cached decision's subject (the cache would refuse to decide it again).
 */
export const reinstateReview = queued({
  type: 'review.reinstate',
  payload: z
    .object({ reviewId: uuid, businessId: uuid, cause: z.enum(Object.keys(REINSTATE_CAUSE) as [ReinstateCause, ...ReinstateCause[]]), note: note.optional() })
    .strict(),
  versioned: true,
  cache: {
    subject: () => null,
    applied: () => [],
    tally: 'reviewApprovals',
  },
  words: {
    label: (p, cached) => {
      const name = cached.review(p.reviewId)?.businessName;
      return `Approve a rejected review on appeal${name ? ` (${name})` : ''}`;
    },
    short: () => 'approve on appeal',
    activity: 'approved a rejected review on appeal',
  },
});

/** The server refuses bulk approvals of more than this many reviews per command. */
export const BULK_MAX_REVIEWS = 500;

export const bulkApproveReviews = queued({
  type: 'review.bulk_approve',
  payload: z
    .object({
      reviews: z
        .array(z.object({ reviewId: uuid, businessId: uuid, baseVersion: z.number().int().min(1) }).strict())
        .min(1, 'must name at least one review')
        .max(BULK_MAX_REVIEWS, `at most ${BULK_MAX_REVIEWS} reviews per bulk approval`),
    })
    .strict(),
  // Each review carries its own version.
  versioned: false,
  cache: {
    subject: () => null,
    covers: (p) => p.reviews.map((r) => r.reviewId),
    // The server lists the ids it approved; the ones it skipped stay as they are.
    applied: (_p, details) =>
      (Array.isArray(details?.approved) ? (details.approved as string[]) : []).map((id) => ({
        kind: 'review' as const,
        id,
        status: 'approved',
        fields: { rejectionReason: null, rejectionNote: null },
      })),
    tally: 'reviewApprovals',
    count: (p) => p.reviews.length,
  },
  words: {
    label: (p) => `Approve ${plural(p.reviews.length, 'review')} in one bulk approval`,
    short: () => 'approve (bulk)',
    activity: 'bulk-approved reviews',
  },
});
