// The demo's reviews: a year of weekly Thursday batches in which the operator
// approved most and rejected a few, and this week's 51 pending: 40 the AI is
// at least 90 % confident are safe (the spec's bulk-approve filter) and 11 it
// flagged, which the operator reads one by one.
import {
  AGE_WORDS,
  BEHAVIOR_ISSUES,
  BREEDS,
  FIRST_NAMES,
  FLAGGED_REVIEW_TEXTS,
  ISSUE_STORIES,
  LAST_NAMES,
  MIXED_REVIEW_CLOSERS,
  REVIEW_CLOSERS,
  REVIEW_OPENERS,
} from './catalog.ts';
import { DAY_MS, lastWeekdayAt } from './calendar.ts';
import type { CopyValue } from './copy.ts';
import type { DemoBusiness } from './demo-directory.ts';
import type { AuditEntry } from './demo-featured.ts';
import type { Random } from './random.ts';

type Row = Record<string, CopyValue>;
type Flag = 'spam' | 'profanity' | 'off_topic';

export const DEMO_PENDING_REVIEWS = 51;
/** Pending reviews with ai_confidence >= 0.90: what "bulk approve" takes. */
export const DEMO_CONFIDENT_PENDING = 40;
export const BULK_APPROVE_CONFIDENCE = 0.9;
const BATCH_WEEKS = 52;
const REJECTED_SHARE = 0.04;

/** Low-confidence pending reviews: [confidence, flags, which text]. 0.899 sits just under the bulk filter. */
const DOUBTFUL: readonly [number, Flag[], Flag | 'harsh'][] = [
  [0.899, ['off_topic'], 'off_topic'],
  [0.12, ['spam'], 'spam'],
  [0.08, ['spam'], 'spam'],
  [0.31, ['spam', 'off_topic'], 'spam'],
  [0.22, ['profanity'], 'profanity'],
  [0.41, ['profanity'], 'profanity'],
  [0.35, ['profanity'], 'profanity'],
  [0.47, ['off_topic'], 'off_topic'],
  [0.58, ['off_topic'], 'off_topic'],
  [0.72, ['profanity'], 'harsh'],
  [0.85, ['profanity'], 'harsh'],
];

const HARSH = [
  'Honestly the worst money I have spent on the dog. The trainer was hopeless and damn rude when I asked questions.',
  'Bloody frustrating. Three sessions, no change, and they blamed us for everything.',
];

export interface ReviewContext {
  rng: Random;
  businesses: readonly DemoBusiness[];
  now: number;
  timeZone: string;
  operatorId: string;
}

export function buildReviews(ctx: ReviewContext): { reviews: Row[]; audit: AuditEntry[] } {
  const { rng, now, operatorId } = ctx;
  const visible = ctx.businesses.filter((b) => b.visible);
  // Some listings attract far more reviews than others; hidden ones were reviewed before they were hidden.
  const popularity = ctx.businesses.map((b) => [b, (b.visible ? 1 : 0.15) * rng.between(0.2, 3)] as const);
  const reviews: Row[] = [];
  const audit: AuditEntry[] = [];

  const praise = (b: DemoBusiness, rating: number): string => {
    const issue = b.issues.length ? rng.pick(b.issues) : rng.pick(BEHAVIOR_ISSUES);
    const age = AGE_WORDS[b.ages.length ? rng.pick(b.ages) : 'adult']!;
    const closer = rating >= 4 ? rng.pick(REVIEW_CLOSERS) : rng.pick(MIXED_REVIEW_CLOSERS);
    return `${rng.pick(REVIEW_OPENERS)} Our ${age}, a ${rng.pick(BREEDS)}, ${ISSUE_STORIES[issue]}. ${closer}`;
  };
  const reviewer = (): string | null => (rng.chance(0.55) ? null : `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES).charAt(0)}.`);
  const rating = (): number =>
    rng.weighted([
      [5, 55],
      [4, 25],
      [3, 10],
      [2, 5],
      [1, 5],
    ]);
  const push = (r: {
    business: DemoBusiness;
    rating: number;
    body: string;
    createdAt: number;
    status: 'pending' | 'approved' | 'rejected';
    confidence: number;
    flags: Flag[];
    reason?: string;
    note?: string;
    decidedAt?: number;
  }) => {
    const id = rng.uuid();
    reviews.push({
      id,
      business_id: r.business.id,
      rating: r.rating,
      body: r.body,
      display_name: reviewer(),
      status: r.status,
      ai_confidence: r.confidence.toFixed(3),
      ai_flags: r.flags,
      rejection_reason: r.reason ?? null,
      rejection_note: r.note ?? null,
      moderated_by: r.decidedAt ? operatorId : null,
      moderated_at: r.decidedAt ? new Date(r.decidedAt) : null,
      version: r.decidedAt ? 2 : 1,
      submitted_ip_hash: rng.hex(32),
      created_at: new Date(r.createdAt),
      updated_at: new Date(r.decidedAt ?? r.createdAt),
    });
    if (r.decidedAt) {
      audit.push({
        occurred_at: new Date(r.decidedAt),
        actor_id: operatorId,
        actor_kind: 'operator',
        action: r.status === 'approved' ? 'review.approved' : 'review.rejected',
        subject_type: 'review',
        subject_id: id,
        amount_cents: null,
        details: r.reason ? { reason: r.reason, ...(r.note ? { note: r.note } : {}) } : {},
      });
    }
  };

  // The last batch is at least two days old, so this week's reviews have had time to arrive.
  const lastBatch = lastWeekdayAt(now - 2 * DAY_MS, 4, 10, ctx.timeZone);
  for (let week = BATCH_WEEKS - 1; week >= 0; week--) {
    const batch = lastBatch - week * 7 * DAY_MS;
    const since = batch - 7 * DAY_MS;
    const count = Math.round(rng.between(28, 46) * (1 + 0.3 * (1 - week / BATCH_WEEKS)));
    const created = Array.from({ length: count }, () => since + rng.next() * (batch - since - 1_800_000)).sort((a, b) => a - b);
    created.forEach((createdAt, i) => {
      const business = rng.weighted(popularity);
      const decidedAt = batch + i * 20_000; // the operator works through the list oldest first
      if (createdAt < business.createdAt) return; // the listing did not exist yet
      if (rng.chance(REJECTED_SHARE)) {
        const reason = rng.weighted<Flag | 'other'>([
          ['spam', 4],
          ['profanity', 3],
          ['off_topic', 3],
          ['other', 1],
        ]);
        const flags: Flag[] = reason === 'other' ? [] : [reason];
        const body = reason === 'other' ? praise(business, 5) : rng.pick(FLAGGED_REVIEW_TEXTS[reason]);
        const note = reason === 'other' ? 'Same text posted on three listings; looks like the owner reviewing themselves' : undefined;
        push({
          business,
          rating: reason === 'spam' ? 5 : rng.int(1, 2),
          body,
          createdAt,
          status: 'rejected',
          confidence: rng.between(0.05, 0.45),
          flags,
          reason,
          note,
          decidedAt,
        });
      } else {
        const stars = rating();
        push({
          business,
          rating: stars,
          body: praise(business, stars),
          createdAt,
          status: 'approved',
          confidence: rng.chance(0.85) ? rng.between(0.86, 0.995) : rng.between(0.6, 0.86),
          flags: [],
          decidedAt,
        });
      }
    });
  }

  // This week's pending reviews, on listings that show in search.
  const pendingTimes = Array.from({ length: DEMO_PENDING_REVIEWS }, () => lastBatch + 3_600_000 + rng.next() * (now - lastBatch - 4_200_000)).sort(
    (a, b) => a - b,
  );
  const doubtful = new Set(rng.sample([...pendingTimes.keys()], DOUBTFUL.length));
  let nextDoubtful = 0;
  let confident = 0;
  pendingTimes.forEach((createdAt, i) => {
    const business = rng.pick(visible.filter((b) => b.createdAt < createdAt));
    if (doubtful.has(i)) {
      const [confidence, flags, text] = DOUBTFUL[nextDoubtful++]!;
      const body = text === 'harsh' ? rng.pick(HARSH) : rng.pick(FLAGGED_REVIEW_TEXTS[text]);
      push({ business, rating: text === 'spam' ? 5 : rng.int(1, 2), body, createdAt, status: 'pending', confidence, flags });
    } else {
      // Exactly one sits on the bulk filter's edge (0.900), to keep the rule honest.
      const confidence = confident++ === 0 ? BULK_APPROVE_CONFIDENCE : rng.between(0.905, 0.995);
      const stars = rating();
      push({ business, rating: stars, body: praise(business, stars), createdAt, status: 'pending', confidence, flags: [] });
    }
  });
  return { reviews, audit };
}
