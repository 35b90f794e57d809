// Trainer complaints (spec 2.5): the kinds a trainer can file, what each takes
// the operator (the spec's time estimates), the trainer function's request and
// the complaint as the console caches it.
import { z } from 'zod';
import { humanText } from './text.ts';

export const COMPLAINT_KINDS = ['not_featured', 'not_in_search', 'review_rejected', 'queue_position', 'other'] as const;
export type ComplaintKind = (typeof COMPLAINT_KINDS)[number];

/**
 * Each kind in the operator's words, and the minutes the spec gives it:
 * playbook 2 (paid, not featured) adds up to 23 minutes, playbook 4 (queue
 * position) to 12 and the dashboard's "Featured slot dispute (0.25h work)",
 * and 2.5's other scenarios are "typical: 15–30 min".
 */
export const COMPLAINT_KIND: Record<ComplaintKind, { label: string; minutes: number; guide: string }> = {
  not_featured: {
    label: 'Paid but not featured',
    minutes: 25,
    guide: 'Playbook 2: check the payment with Stripe, recover a missed webhook, activate the placement, email the trainer.',
  },
  not_in_search: {
    label: 'Not in search',
    minutes: 20,
    guide: 'Scenario 2: read why the profile is hidden, then email the trainer what to complete and what to search for.',
  },
  review_rejected: {
    label: 'Review rejected unfairly',
    minutes: 20,
    guide: 'Scenario 3: read the review and its moderation history; approve it if it was a mistake, otherwise confirm, and reply.',
  },
  queue_position: {
    label: 'Queue position',
    minutes: 15,
    guide: 'Playbook 4: check the queue is in payment order, then email the position and its ETA.',
  },
  other: { label: 'Other', minutes: 30, guide: 'Investigate the business, act, and close with what was done.' },
};

export const ComplaintRequest = z
  .object({
    businessId: z.uuid('must be a business id (uuid)'),
    kind: z.enum(COMPLAINT_KINDS, `must be one of ${COMPLAINT_KINDS.join(', ')}`),
    message: humanText(3, 4000, 'must say what is wrong (3+ characters)').refine((s) => s.trim().length >= 3, 'must say what is wrong (3+ characters)'),
    paymentId: z.uuid('must be a payment id (uuid)').optional(),
    reviewId: z.uuid('must be a review id (uuid)').optional(),
  })
  .strict();
export type ComplaintRequest = z.infer<typeof ComplaintRequest>;

const maybe = <T extends z.ZodType>(t: T) => t.nullable();

export const ComplaintItem = z.object({
  id: z.string(),
  businessId: z.string(),
  businessName: z.string(),
  councilName: z.string(),
  ownerName: maybe(z.string()),
  ownerEmail: maybe(z.string()),
  kind: z.enum(COMPLAINT_KINDS),
  message: z.string(),
  paymentId: maybe(z.string()),
  reviewId: maybe(z.string()),
  status: z.enum(['pending', 'closed']),
  resolution: maybe(z.string()),
  decidedBy: maybe(z.string()),
  decidedByName: maybe(z.string()),
  decidedAt: maybe(z.string()),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ComplaintItem = z.infer<typeof ComplaintItem>;
