// Review moderation for operator commands: one locking read and one update
// for any number of decisions, each checked (owner, version, pending) on its
// own. The single approve/reject commands, bulk approval and the push fast
// path all decide through here; an appeal (a rejection overturned) too.
import type { TransactionSql } from 'postgres';
import { checkVersioned, Refusal, type VersionedRow } from '../operator/versioned.ts';

export interface ReviewDecision {
  reviewId: string;
  businessId: string;
  baseVersion: number | null;
  status: 'approved' | 'rejected';
  reason?: string | null;
  note?: string | null;
}

export interface ReviewChange {
  reviewId: string;
  before: { status: string; version: number };
  after: { status: string; version: number; rejection_reason?: string; rejection_note?: string | null };
}

const lockReviews = (tx: TransactionSql, ids: string[]) => tx<(VersionedRow & { rejection_reason: string | null; rejection_note: string | null })[]>`
    select r.id, r.business_id, r.status, r.version, r.moderated_by as decided_by, p.display_name as decided_by_name,
           r.moderated_at as decided_at, r.rejection_reason, r.rejection_note
    from public.reviews r left join public.profiles p on p.id = r.moderated_by
    where r.id = any(${ids}::uuid[])
    order by r.id
    for update of r`;

export interface Reinstatement {
  reviewId: string;
  businessId: string;
  baseVersion: number | null;
  cause: 'ai_false_positive' | 'operator_error';
  note?: string | null;
}

/**
 * A rejected review approved on appeal (2.5 scenario 3). Only one still
 * rejected and as the operator saw it: approving it twice, or after someone
 * else changed it, is a verdict, not a second change. The rejection it
 * overturns stays in the audit entry's before.
 */
export async function reinstateReview(tx: TransactionSql, operatorId: string, now: Date, d: Reinstatement) {
  const [row] = await lockReviews(tx, [d.reviewId]);
  checkVersioned('review', row, d.reviewId, d.businessId, d.baseVersion, 'rejected');
  const [r] = await tx<{ version: number }[]>`
    update public.reviews
    set status = 'approved', rejection_reason = null, rejection_note = null, moderated_by = ${operatorId}, moderated_at = ${now}
    where id = ${d.reviewId}
    returning version`;
  return {
    before: { status: 'rejected', version: row!.version, rejection_reason: row!.rejection_reason, rejection_note: row!.rejection_note },
    after: { status: 'approved', version: r!.version, cause: d.cause, note: d.note ?? null },
  };
}

/** One outcome per decision, in order: the change made, or why not. */
export async function decideReviews(tx: TransactionSql, operatorId: string, now: Date, decisions: ReviewDecision[]): Promise<(ReviewChange | Refusal)[]> {
  const rows = await lockReviews(
    tx,
    decisions.map((d) => d.reviewId),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const seen = new Set<string>();
  const checked = decisions.map((d): Refusal | (ReviewDecision & { before: VersionedRow }) => {
    try {
      if (seen.has(d.reviewId)) throw new Refusal({ kind: 'invalid', reason: `review ${d.reviewId} is named twice` });
      seen.add(d.reviewId);
      return { ...d, before: checkVersioned('review', byId.get(d.reviewId), d.reviewId, d.businessId, d.baseVersion) };
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      return err;
    }
  });
  const fresh = checked.filter((c): c is ReviewDecision & { before: VersionedRow } => !(c instanceof Refusal));
  if (fresh.length === 0) return checked as Refusal[];
  const updated = await tx<{ id: string; version: number }[]>`
    update public.reviews r
    set status = v.status, rejection_reason = v.reason, rejection_note = v.note, moderated_by = ${operatorId}, moderated_at = ${now}
    from unnest(${fresh.map((f) => f.reviewId)}::uuid[], ${fresh.map((f) => f.status)}::text[],
                ${fresh.map((f) => f.reason ?? null) as string[]}::text[], ${fresh.map((f) => f.note ?? null) as string[]}::text[])
      as v(id, status, reason, note)
    where r.id = v.id
    returning r.id, r.version`;
  const version = new Map(updated.map((u) => [u.id, u.version]));
  return checked.map((f) => {
    if (f instanceof Refusal) return f;
    return {
      reviewId: f.reviewId,
      before: { status: f.before.status, version: f.before.version },
      after: {
        status: f.status,
        version: version.get(f.reviewId)!,
        ...(f.status === 'rejected' ? { rejection_reason: f.reason!, rejection_note: f.note ?? null } : {}),
      },
    };
  });
}
