// The investigation of one trainer's business (spec 2.5, playbooks 2 and 4):
// what the operator used to find with five hand-written queries and the
// Stripe Dashboard, as one answer from the operator API (online only:
// it asks Stripe). POST /operator/investigate { query } and
// POST /operator/queue-check { councilId }.
import { z } from 'zod';
import { COMPLAINT_KINDS } from './complaints.ts';
import { ReviewItem } from './operator.ts';

export const InvestigateRequest = z
  .object({
    query: z
      .string()
      .trim()
      .min(2, 'must be an email, a name, a business id or a payment id (2+ characters)')
      .max(200, 'must be at most 200 characters')
      .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters'),
  })
  .strict();
export type InvestigateRequest = z.infer<typeof InvestigateRequest>;

export const QueueCheckRequest = z.object({ councilId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a council id like melbourne') }).strict();

const str = z.string();
const maybe = <T extends z.ZodType>(t: T) => t.nullable();

export const InvestigationMatch = z.object({
  businessId: str,
  businessName: str,
  councilName: str,
  ownerName: maybe(str),
  ownerEmail: maybe(str),
  /** What the query matched: the owner's email, a name, the business id, a payment (its id, charge or payment intent), a complaint or a review. */
  matchedBy: z.enum(['email', 'name', 'business id', 'payment', 'complaint', 'review']),
});
export type InvestigationMatch = z.infer<typeof InvestigationMatch>;

export const PaymentFinding = z.object({
  id: str,
  amountCents: z.number(),
  currency: str,
  status: str,
  paidAt: maybe(str),
  chargeId: maybe(str),
  paymentIntentId: maybe(str),
  notes: maybe(str),
  /** What the purchase got: featured now, waiting, ended, held back, refunded or failed, or nothing at all (orphaned). */
  standing: z.enum(['featured', 'queued', 'ended', 'held', 'refunded', 'failed', 'orphaned', 'pending']),
  /** Stripe's own view of the charge, asked now; null when Stripe has no such charge; error when Stripe could not be asked. */
  stripe: maybe(z.object({ status: str, amountCents: z.number(), currency: str, refunded: z.boolean() })),
  stripeError: maybe(str),
});
export type PaymentFinding = z.infer<typeof PaymentFinding>;

export const ReviewFinding = ReviewItem.pick({
  id: true,
  rating: true,
  body: true,
  displayName: true,
  status: true,
  aiConfidence: true,
  aiFlags: true,
  rejectionReason: true,
  rejectionNote: true,
  version: true,
  createdAt: true,
}).extend({
  /** A pending complaint names this review: it comes first, however old (the dossier lists the 50 newest besides). */
  disputed: z.boolean(),
  /** Every moderation step, oldest first: who (operator or the AI at submission), when, what, and the reason and note. */
  history: z.array(z.object({ at: str, who: str, action: str, reason: maybe(str), note: maybe(str) })),
});
export type ReviewFinding = z.infer<typeof ReviewFinding>;

/**
 * A step a finding's plan takes, from a closed set: the missed-webhook sweep
 * (store.recover); activating a paid purchase's placement (without paymentId:
 * the payment the dossier read after the steps before it says to activate,
 * e.g. the charge the sweep just recovered); a trainer email; the queue's
 * integrity check. A finding that needs the operator's judgement has none.
 */
export const FindingAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('recover') }),
  z.object({ kind: z.literal('activate'), paymentId: str.optional() }),
  z.object({ kind: z.literal('email'), template: z.enum(['featured_activated', 'queue_position_reply', 'search_help']) }),
  z.object({ kind: z.literal('check_queue') }),
]);
export type FindingAction = z.infer<typeof FindingAction>;

export const Dossier = z.object({
  business: z.object({
    id: str,
    name: str,
    councilId: str,
    councilName: str,
    status: str,
    deleted: z.boolean(),
    ownerId: maybe(str),
    ownerName: maybe(str),
    ownerEmail: maybe(str),
    accountStatus: maybe(str),
    flaggedReason: maybe(str),
  }),
  featured: maybe(z.object({ placementId: str, paymentId: str, from: str, until: str })),
  /** The business's waiting purchase: position 0 means a slot is free for it now; the ETA comes from the council's current expiries. */
  queue: maybe(
    z.object({
      paymentId: str,
      paidAt: str,
      position: z.number(),
      eta: maybe(str),
      waitingInCouncil: z.number(),
      activeInCouncil: z.number(),
      slots: z.number(),
    }),
  ),
  payments: z.array(PaymentFinding),
  /** Charges Stripe took for this business that no webhook recorded here (playbook 2's missed webhook). */
  unrecorded: z.array(z.object({ chargeId: str, paymentIntentId: maybe(str), amountCents: z.number(), currency: str, createdAt: str, status: str })),
  refunds: z.array(
    z.object({
      id: str,
      paymentId: str,
      status: str,
      requestedAt: str,
      reason: maybe(str),
      decidedAt: maybe(str),
      decidedByName: maybe(str),
      decisionNote: maybe(str),
    }),
  ),
  /** Shown in search, or the exact reason it is hidden; criteria: what the trainer should search for. */
  search: z.object({ visible: z.boolean(), reason: maybe(str), criteria: str }),
  reviews: z.array(ReviewFinding),
  complaints: z.array(
    z.object({ id: str, kind: z.enum(COMPLAINT_KINDS), message: str, status: str, createdAt: str, closedAt: maybe(str), resolution: maybe(str) }),
  ),
  /** What the facts above add up to, in the spec's words, each with the action that answers it (in words, and as the steps the console can take). */
  findings: z.array(z.object({ severity: z.enum(['problem', 'info']), text: str, actions: z.array(FindingAction).default([]) })),
});
export type Dossier = z.infer<typeof Dossier>;

export const InvestigateAnswer = z.object({ query: str, matches: z.array(InvestigationMatch), dossier: maybe(Dossier) });
export type InvestigateAnswer = z.infer<typeof InvestigateAnswer>;

export const QueueCheckAnswer = z.object({
  outcome: z.enum(['in_order', 'out_of_order', 'unknown_council']),
  council: str,
  pairs: z.array(z.object({ waiting_business: str, waiting_paid_at: str, ahead_business: str, ahead_paid_at: str }).passthrough()).optional(),
  message: str.optional(),
});
export type QueueCheckAnswer = z.infer<typeof QueueCheckAnswer>;
