// Fixes for a payment and its placement: playbook 2's activation of a paid
// charge, and reconciliation's "recorded here, not in Stripe".
import { z } from 'zod';
import { online, queued } from './define.ts';

const uuid = z.uuid('must be a uuid');

/** Playbook 2: an orphaned payment, or a waiting one a free slot is for, activated now (never a queue jump). */
export const activateOrphanedPayment = queued({
  type: 'placement.activate_orphan',
  payload: z.object({ paymentId: uuid }).strict(),
  versioned: false,
  frozenBy: (p) => ({ paymentId: p.paymentId }),
  cache: {
    subject: (p) => ({ kind: 'payment', id: p.paymentId }),
    // The placement is not cached; the next pull brings its audit entry and the emails.
    applied: () => [],
    tally: 'other',
  },
  words: {
    label: () => 'Activate a featured placement for a paid charge',
    short: () => 'activate',
    activity: 'activated a placement for an orphaned charge',
  },
});

/** Reconciliation's fix for "recorded here, not in Stripe": checked with Stripe first, so online only. */
export const markPaymentFailed = online({
  type: 'payment.mark_failed',
  payload: z.object({ paymentId: uuid }).strict(),
  versioned: false,
  doing: 'Marking the payment failed',
  words: {
    label: () => 'Mark a payment failed (reconciliation)',
    short: () => 'mark failed',
    activity: 'marked a payment failed after reconciliation',
  },
});
