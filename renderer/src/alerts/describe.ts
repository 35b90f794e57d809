// An audit entry in words for the activity log ("operator: review approved",
// "system: payment succeeded, $22.00").
import type { ActivityItem } from '../../../shared/api/operator.ts';
import { formatAud } from '../ui/format.ts';

const WORDS: Record<string, string> = {
  'command.review.approve': 'approved a review',
  'command.review.reject': 'rejected a review',
  'command.review.bulk_approve': 'bulk-approved reviews',
  'command.review.reinstate': 'approved a rejected review on appeal',
  'command.refund.approve': 'approved a refund',
  'command.refund.deny': 'denied a refund',
  'command.job.run_now': 'ran the daily job by hand',
  'command.ai_mode.set': 'switched the AI mode',
  'command.alert.resolve': 'resolved an alert',
  'command.account.flag': 'flagged an account for review',
  'command.incident.write': 'wrote an incident report',
  'command.email.send': 'emailed a trainer',
  'command.email.review_reply': 'replied to a reviewer',
  'command.placement.activate_orphan': 'activated a placement for an orphaned charge',
  'command.payment.mark_failed': 'marked a payment failed after reconciliation',
};

export function describeActivity(a: ActivityItem): string {
  const what = WORDS[a.action] ?? a.action.replace(/^command\./, '').replace(/[._]/g, ' ');
  const approved = a.action === 'command.review.bulk_approve' ? (a.details.after as { approved?: unknown[] } | undefined)?.approved?.length : undefined;
  const amount = a.amountCents !== null && a.amountCents !== undefined ? `, ${formatAud(Math.abs(a.amountCents))}` : '';
  return `${a.actorKind}: ${what}${approved !== undefined ? ` (${approved})` : ''}${amount}`;
}
