// How the review screen words things: reasons, confidence, a review's first
// line, and a decision waiting to sync.
import { REJECT_REASON_LABEL } from '../../../shared/commands/reviews.ts';
import type { LocalDecision, RejectReason } from '../../../shared/ipc/contract.ts';
import { plural } from '../../../shared/words.ts';
import type { FollowTally } from '../ui/notices.ts';

/** One key per rejection reason (j/k/a/r/x/? are taken): s Spam, p Profanity, o Off-topic, n Other ("none of those"). */
export const REJECT_KEYS: Record<RejectReason, string> = { spam: 's', profanity: 'p', off_topic: 'o', other: 'n' };

export const REJECT_REASONS: { value: RejectReason; label: string; key: string }[] = (Object.keys(REJECT_REASON_LABEL) as RejectReason[]).map((value) => ({
  value,
  label: REJECT_REASON_LABEL[value],
  key: REJECT_KEYS[value],
}));
/** The reason a key press stands for, if any. */
export const reasonOfKey = (key: string): RejectReason | null => REJECT_REASONS.find((r) => r.key === key.toLowerCase())?.value ?? null;

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

/** A bulk approval's notice, as its commands leave the outbox (counted in reviews): it never says they wait once they do not. */
export function bulkApprovedWords(count: number, t: FollowTally): string {
  const head = `Approved ${plural(count, 'review')}`;
  const sent = t.applied + t.refused;
  const them = count === 1 ? 'it' : 'them';
  if (!t.waiting && !t.refused && !t.failed && !t.takenBack) return `${head}: sent, the server applied ${them}.`;
  if (!t.waiting && !sent && !t.failed) return `${head} here, then took ${them} back: none was sent.`;
  const parts = [
    sent ? (t.waiting || t.takenBack || t.failed ? `${sent} sent` : 'sent') : '',
    t.refused ? `${t.refused} refused` : '',
    t.failed ? `${t.failed} could not be sent` : '',
    t.takenBack ? `${t.takenBack} taken back` : '',
    t.waiting ? `${t.waiting} still waiting to sync` : '',
  ].filter(Boolean);
  return `${head}: ${parts.join('; ')}${t.refused || t.failed ? ' — see Sync' : ''}.`;
}
