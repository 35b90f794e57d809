// What the outbox will do when it is sent, in the operator's words: one line
// for the whole upload ("12 approvals, 1 rejection, 3 refunds totalling
// $66.00") and one label per waiting command.
import type { RefundItem, ReviewItem } from '../../shared/api/operator.ts';
import type { UploadPreview } from '../../shared/ipc/views.ts';
import { formatAud } from '../../shared/money.ts';
import type { OutboxRow, Store } from '../store/store.ts';
import { plural } from '../../shared/words.ts';

const REJECT_REASON: Record<string, string> = { spam: 'Spam', profanity: 'Profanity', off_topic: 'Off-topic', other: 'Other' };

const cached = <T>(store: Store, kind: string, id: unknown): T | null => {
  const row = typeof id === 'string' ? store.item(kind, id) : undefined;
  return row ? (JSON.parse(row.data) as T) : null;
};

export function preview(store: Store): UploadPreview {
  const p: UploadPreview = {
    reviewApprovals: 0,
    reviewRejections: 0,
    refundApprovals: 0,
    refundDenials: 0,
    refundTotalCents: 0,
    other: 0,
    dead: 0,
    summary: '',
  };
  for (const r of store.outbox()) {
    if (r.state === 'dead') {
      p.dead++;
      continue;
    }
    const payload = JSON.parse(r.payload) as { reviews?: unknown[]; refundRequestId?: string };
    if (r.type === 'review.approve' || r.type === 'review.reinstate') p.reviewApprovals++;
    else if (r.type === 'review.bulk_approve') p.reviewApprovals += payload.reviews?.length ?? 0;
    else if (r.type === 'review.reject') p.reviewRejections++;
    else if (r.type === 'refund.approve') {
      p.refundApprovals++;
      p.refundTotalCents += cached<RefundItem>(store, 'refund', payload.refundRequestId)?.amountCents ?? 0;
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

/** "Reject review of Paws & Co (Spam)", "Approve refund for Sit Stay ($22.00)". */
export function label(store: Store, r: Pick<OutboxRow, 'type' | 'payload'>): string {
  const p = JSON.parse(r.payload) as Record<string, unknown>;
  const review = () => cached<ReviewItem>(store, 'review', p.reviewId)?.businessName ?? 'a review no longer cached';
  const refund = () => cached<RefundItem>(store, 'refund', p.refundRequestId);
  switch (r.type) {
    case 'review.approve':
      return `Approve review of ${review()}`;
    case 'review.reject':
      return `Reject review of ${review()} (${REJECT_REASON[String(p.reason)] ?? String(p.reason)})`;
    case 'review.reinstate': {
      const name = cached<ReviewItem>(store, 'review', p.reviewId)?.businessName;
      return `Approve a rejected review on appeal${name ? ` (${name})` : ''}`;
    }
    case 'review.bulk_approve':
      return `Approve ${plural((p.reviews as unknown[]).length, 'review')} in one bulk approval`;
    case 'refund.approve': {
      const f = refund();
      return `Approve refund for ${f?.businessName ?? 'a request'}${f ? ` (${formatAud(f.amountCents)})` : ''}`;
    }
    case 'refund.deny':
      return `Deny refund for ${refund()?.businessName ?? 'a request'}`;
    case 'alert.resolve':
      return 'Resolve an alert';
    case 'account.flag':
      return 'Flag an account for review';
    case 'incident.write':
      return `Write incident report "${String(p.title)}"`;
    case 'email.send':
      return `Email a trainer (${String(p.template)})`;
    case 'email.review_reply':
      return `Reply to a reviewer about ${review()}`;
    case 'payment.mark_failed':
      return 'Mark a payment failed (reconciliation)';
    case 'placement.activate_orphan':
      return 'Activate a featured placement for a paid charge';
    case 'complaint.close':
      return `Close a complaint (${String(p.resolution).slice(0, 60)})`;
    default:
      return r.type;
  }
}
