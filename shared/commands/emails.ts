// The spec's emails the operator sends: the facts are filled in by the server
// from its own rows, never typed by hand.
import { z } from 'zod';
import { humanText } from '../api/text.ts';
import { queued } from './define.ts';

const uuid = z.uuid('must be a uuid');

export const TRAINER_EMAILS = ['featured_queued', 'featured_activated', 'queue_position_reply', 'search_help'] as const;
export type TrainerEmail = (typeof TRAINER_EMAILS)[number];

/** Its placement, its queue position and ETA (playbook 4), how to find it in search (2.5 scenario 2). */
export const emailTrainer = queued({
  type: 'email.send',
  payload: z.object({ businessId: uuid, template: z.enum(TRAINER_EMAILS) }).strict(),
  versioned: false,
  frozenBy: (p) => ({ businessId: p.businessId }),
  cache: { subject: () => null, applied: () => [], tally: 'other' },
  words: {
    label: (p) => `Email a trainer (${p.template})`,
    short: (p) => `email ${p.template}`,
    activity: 'emailed a trainer',
  },
});

/** 2.5 scenario 3: the reviewer who disputed a moderation decision hears the review's outcome and why (the address comes from their message). */
export const replyToReviewer = queued({
  type: 'email.review_reply',
  payload: z.object({ reviewId: uuid, businessId: uuid, to: z.email('must be an email address').max(254), note: humanText(0, 500).optional() }).strict(),
  versioned: false,
  cache: { subject: () => null, applied: () => [], tally: 'other' },
  words: {
    label: (p, cached) => `Reply to a reviewer about ${cached.review(p.reviewId)?.businessName ?? 'a review no longer cached'}`,
    short: () => 'reply',
    activity: 'replied to a reviewer',
  },
});
