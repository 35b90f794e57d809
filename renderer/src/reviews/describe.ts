// How the review screen words things: reasons, confidence, a review's first
// line, and a decision waiting to sync.
import { REJECT_REASON_LABEL } from '../../../shared/commands/reviews.ts';
import type { LocalDecision, RejectReason } from '../../../shared/ipc/contract.ts';

export const REJECT_REASONS: { value: RejectReason; label: string }[] = (Object.keys(REJECT_REASON_LABEL) as RejectReason[]).map((value) => ({
  value,
  label: REJECT_REASON_LABEL[value],
}));

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

/** "Waiting to sync: approve", "Sending: reject: Spam", "Failed to sync: approve (bulk)" (the decision's words are its declaration's). */
export function decisionState(d: LocalDecision): string {
  const what = d.words;
  if (d.state === 'sending') return `Sending: ${what}`;
  if (d.state === 'dead') return `Failed to sync: ${what}`;
  return `Waiting to sync: ${what}`;
}
