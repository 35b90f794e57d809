// Pull: what changed since the operator app's cursor, read from one snapshot.
// The cursor is that snapshot's xmin (see migration 1600): every write not yet
// visible to this pull carries a transaction id at or above it, so the next
// pull returns it. A first pull (no cursor) returns everything pending.
//
// Each list comes back from Postgres as one JSON text (json_agg) and the
// answer is assembled around those texts: a first pull is ~10,000 rows, and
// decoding them into objects only to encode them again cost more than the
// queries themselves. The two big lists come unordered (the console sorts
// what it shows; ordering 10,000 wide rows spilled to disk).
import type { MetricsSnapshot, PullResponse } from '../../../../../shared/api/operator.ts';
import type { Sql } from '../db.ts';

/** How much history a first pull brings: the activity log and cron runs of the last weeks, not seven years. */
const FIRST_PULL_ACTIVITY = 500;
const FIRST_PULL_CRON_DAYS = 30;

export function parseCursor(cursor: string | null | undefined): string | null {
  return cursor ? cursor.slice('xid:'.length) : null;
}

/** The pull answer as JSON text, shaped as PullResponse. */
export async function pullJson(sql: Sql, cursor: string | null | undefined): Promise<string> {
  const since = parseCursor(cursor);
  return (await sql.begin('isolation level repeatable read read only', async (tx) => {
    const list = async (query: PromiseLike<readonly { j: string }[]>) => (await query)[0]!.j;
    const [snap] = await tx<{ xmin: string; now: Date }[]>`
      select pg_snapshot_xmin(pg_current_snapshot())::text as xmin, now() as now`;
    const changed = (column: string) => (since === null ? tx`false` : tx`${tx(column)} >= ${since}::xid8`);

    const reviews = await list(tx`select coalesce(json_agg(x), '[]')::text as j from (
      select r.id, r.business_id as "businessId", b.name as "businessName", r.rating, r.body,
             r.display_name as "displayName", r.status, r.ai_confidence::float8 as "aiConfidence", r.ai_flags as "aiFlags",
             r.rejection_reason as "rejectionReason", r.rejection_note as "rejectionNote",
             r.moderated_by as "moderatedBy", p.display_name as "moderatedByName", r.moderated_at as "moderatedAt",
             r.version, r.created_at as "createdAt", r.updated_at as "updatedAt"
      from public.reviews r
      join public.businesses b on b.id = r.business_id
      left join public.profiles p on p.id = r.moderated_by
      where ${since === null ? tx`r.status = 'pending'` : changed('r.changed_xid')}
    ) x`);

    const refunds = await list(tx`select coalesce(json_agg(x), '[]')::text as j from (
      with w as (select coalesce(public.setting_numeric('refund_window_hours'), 72) as hours)
      select rr.id, rr.payment_id as "paymentId", rr.business_id as "businessId", b.name as "businessName",
             owner.email as "ownerEmail", rr.requested_at as "requestedAt", rr.reason, rr.status,
             pa.amount_cents as "amountCents", pa.paid_at as "paidAt",
             coalesce(rr.requested_at <= pa.paid_at + make_interval(secs => w.hours * 3600), false) as eligible,
             coalesce(round(extract(epoch from (rr.requested_at - pa.paid_at)) / 3600, 2), 0)::float8 as "hoursAfterPurchase",
             w.hours::float8 as "windowHours",
             rr.decided_by as "decidedBy", d.display_name as "decidedByName", rr.decided_at as "decidedAt",
             rr.decision_note as "decisionNote", rr.version, rr.updated_at as "updatedAt"
      from public.refund_requests rr
      cross join w
      join public.payment_audit pa on pa.id = rr.payment_id
      join public.businesses b on b.id = rr.business_id
      left join public.profiles owner on owner.id = b.owner_id
      left join public.profiles d on d.id = rr.decided_by
      where ${since === null ? tx`rr.status = 'pending'` : changed('rr.changed_xid')}
    ) x`);

    const alerts = await list(tx`select coalesce(json_agg(x order by x."openedAt"), '[]')::text as j from (
      select id, severity, kind, subject, message, details, opened_at as "openedAt", resolved_at as "resolvedAt", updated_at as "updatedAt"
      from public.alerts
      where ${since === null ? tx`resolved_at is null` : changed('changed_xid')}
    ) x`);

    const cronRuns = await list(tx`select coalesce(json_agg(x order by x."startedAt"), '[]')::text as j from (
      select id::text, job_name as "jobName", trigger, attempt, status, started_at as "startedAt", finished_at as "finishedAt", error
      from public.cron_jobs
      where ${since === null ? tx`started_at > now() - make_interval(days => ${FIRST_PULL_CRON_DAYS})` : changed('changed_xid')}
    ) x`);

    const activity = await list(tx`select coalesce(json_agg(x order by x.id), '[]')::text as j from (
      select * from (
        select id::int8 as id, occurred_at as "occurredAt", actor_id as "actorId", actor_kind as "actorKind", action,
               subject_type as "subjectType", subject_id as "subjectId", amount_cents as "amountCents", details
        from public.audit_log
        where ${since === null ? tx`true` : changed('changed_xid')}
        order by id desc
        limit ${since === null ? FIRST_PULL_ACTIVITY : 100_000}
      ) a) x`);

    const flags = await list(tx`select coalesce(json_agg(x order by x.key), '[]')::text as j from (
      select key, value, updated_at as "updatedAt" from public.feature_flags
      where ${since === null ? tx`true` : changed('changed_xid')}) x`);

    const accounts = await list(tx`select coalesce(json_agg(x order by x.id), '[]')::text as j from (
      select id, display_name as "displayName", email, account_status as "accountStatus",
             flagged_reason as "flaggedReason", flagged_at as "flaggedAt"
      from public.profiles
      where ${since === null ? tx`account_status = 'flagged_for_review'` : changed('changed_xid')}) x`);

    const incidents = await list(tx`select coalesce(json_agg(x order by x."startedAt"), '[]')::text as j from (
      select id, title, severity, kind, started_at as "startedAt", resolved_at as "resolvedAt", updated_at as "updatedAt"
      from public.incidents
      where ${since === null ? tx`started_at > now() - interval '90 days'` : changed('changed_xid')}
    ) x`);

    const [metrics] = await tx<MetricsSnapshot[]>`
      select
        coalesce((select sum(amount_cents) from public.payment_audit
                  where status in ('succeeded', 'refunded') and paid_at >= date_trunc('month', now())), 0)::int8 as "revenueThisMonthCents",
        coalesce((select sum(amount_cents) from public.payment_audit
                  where status = 'refunded' and refunded_at >= date_trunc('month', now())), 0)::int8 as "refundsThisMonthCents",
        (select count(*) from public.featured_placements where status = 'active')::int as "activePlacements",
        (select count(*) from public.featured_queue where promoted_at is null and cancelled_at is null)::int as "queuedPlacements",
        (select count(*) from public.reviews where status = 'pending')::int as "pendingReviews",
        (select count(*) from public.refund_requests where status = 'pending')::int as "pendingRefunds",
        coalesce((select count(*) filter (where status = 'refunded')::float8 / nullif(count(*), 0)
                  from public.payment_audit where paid_at > now() - interval '7 days'), 0) as "refundRate7d",
        (select count(*) from public.search_events where occurred_at > now() - interval '24 hours')::int as "searchesLast24h",
        (select count(*) from public.alerts where resolved_at is null and severity = 'RED')::int as "openRed",
        (select count(*) from public.alerts where resolved_at is null and severity = 'YELLOW')::int as "openYellow",
        coalesce((select value from public.feature_flags where key = 'AI_MODE'), 'z_ai') as "aiMode"`;

    const head = {
      cursor: `xid:${snap!.xmin}`,
      serverTime: snap!.now.toISOString(),
      full: since === null,
      metrics: { ...metrics!, revenueThisMonthCents: Number(metrics!.revenueThisMonthCents), refundsThisMonthCents: Number(metrics!.refundsThisMonthCents) },
    } satisfies Omit<PullResponse, 'reviews' | 'refunds' | 'alerts' | 'cronRuns' | 'activity' | 'flags' | 'accounts' | 'incidents'>;
    const lists = { reviews, refunds, alerts, cronRuns, activity, flags, accounts, incidents } satisfies Record<Exclude<keyof PullResponse, keyof typeof head>, string>;
    return `${JSON.stringify(head).slice(0, -1)},${Object.entries(lists).map(([k, v]) => `"${k}":${v}`).join(',')}}`;
  })) as string;
}
