// How the review screen words things: reasons, confidence, a review's first
// line, and a decision waiting to sync.
import type { LocalDecision, RejectReason } from '../../../shared/ipc/contract.ts';

export const REJECT_REASONS: { value: RejectReason; label: string }[] = [
  { value: 'spam', label: 'Spam' },
  { value: 'profanity', label: 'Profanity' },
  { value: 'off_topic', label: 'Off-topic' },
  { value: 'other', label: 'Other' },
];
const reasonLabel = (r: unknown) => REJECT_REASONS.find((x) => x.value === r)?.label ?? String(r);

export const FLAG_LABELS: Record<string, string> = { spam: 'Spam', profanity: 'Profanity', off_topic: 'Off-topic' };
export const flagLabel = (f: string) => FLAG_LABELS[f] ?? f;

/** Two decimals, or three when two would round across a line (0.899 is not "0.90"). */
export function confidenceText(c: number | null | undefined): string {
  if (c === null || c === undefined) return 'no score';
  return Math.abs(Math.round(c * 100) / 100 - c) < 1e-9 ? c.toFixed(2) : c.toFixed(3);
}

/** "★★★★☆" for 4 of 5. */
export const stars = (rating: number) => {
  const n = Math.max(0, Math.min(5, Math.round(rating)));
  return '★'.repeat(n) + '☆'.repeat(5 - n);
};

export const firstLine = (body: string, max = 140) => {
  const line = body.split(/\r?\n/, 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** "approve", "approve (bulk)", "reject: Spam". */
export function decisionText(d: LocalDecision): string {
  if (d.type === 'review.bulk_approve') return 'approve (bulk)';
  if (d.type === 'review.reject') return `reject: ${reasonLabel(d.payload.reason)}`;
  return d.type === 'review.approve' ? 'approve' : d.type;
}

/** "Waiting to sync: approve", "Sending: …", "Failed to sync: …". */
export function decisionState(d: LocalDecision): string {
  const what = decisionText(d);
  if (d.state === 'sending') return `Sending: ${what}`;
  if (d.state === 'dead') return `Failed to sync: ${what}`;
  return `Waiting to sync: ${what}`;
}
