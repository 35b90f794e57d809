// Pull: what changed since the operator app's cursor. The cursor is the xmin
// of the snapshot the pull starts from (see migration 1600): every write not
// yet visible to that snapshot carries a transaction id at or above it, so the
// next pull returns it. Everything else the pull reads is read at that
// snapshot or later. A first pull (no cursor) returns everything pending.
//
// Each list comes back from Postgres as one JSON text (json_agg) and the
// answer is assembled around those texts: a first pull is ~10,000 rows, and
// decoding them into objects only to encode them again cost more than the
// queries themselves. The two big lists come unordered (the console sorts
// what it shows; ordering 10,000 wide rows spilled to disk).
import type { MetricsSnapshot, PullResponse } from '../../../../../shared/api/operator.ts';
import type { TransactionSql } from 'postgres';
import type { Sql } from '../db.ts';
import { readPolicy } from './policy.ts';

/** How much history a first pull brings: the activity log and cron runs of the last weeks, not seven years. */
const FIRST_PULL_ACTIVITY = 500;
const FIRST_PULL_CRON_DAYS = 30;
const FIRST_PULL_EMAIL_DAYS = 30;

type Tx = TransactionSql | Sql;
const one = async (query: PromiseLike<readonly { j: string }[]>) => (await query)[0]!.j;

/** Half the reviews (by id), so the two halves render on two connections at once. */
const reviewsJson = (t: Tx, since: string | null, half: 0 | 1) =>
  one(t`select coalesce(json_agg(x), '[]')::text as j from (
      select r.id, r.business_id as "businessId", (select b.name from public.businesses b where b.id = r.business_id) as "businessName", r.rating, r.body,
             r.display_name as "displayName", r.status, r.ai_confidence::float8 as "aiConfidence", r.ai_flags as "aiFlags",
             r.rejection_reason as "rejectionReason", r.rejection_note as "rejectionNote",
             r.moderated_by as "moderatedBy", (select p.display_name from public.profiles p where p.id = r.moderated_by) as "moderatedByName", r.moderated_at as "moderatedAt",
             r.version, r.created_at as "createdAt", r.updated_at as "updatedAt"
      from public.reviews r
      where ${since === null ? t`r.status = 'pending'` : t`r.changed_xid >= ${since}::xid8`}
        and ${half === 0 ? t`r.id < '80000000-0000-0000-0000-000000000000'` : t`r.id >= '80000000-0000-0000-0000-000000000000'`}
    ) x`);

const refundsJson = (t: Tx, since: string | null) =>
  one(t`select coalesce(json_agg(x), '[]')::text as j from (
      select rr.id, rr.payment_id as "paymentId", rr.business_id as "businessId", b.name as "businessName",
             owner.email as "ownerEmail", rr.requested_at as "requestedAt", rr.reason, rr.status,
             pa.amount_cents as "amountCents", pa.paid_at as "paidAt",
             coalesce(el.eligible, false) as eligible, pa.paid_at + make_interval(secs => el.window_hours * 3600) as "eligibleUntil",
             coalesce(el.hours_after_purchase, 0)::float8 as "hoursAfterPurchase", el.window_hours::float8 as "windowHours",
             public.refund_policy(coalesce(el.eligible, false), rr.requested_at, pa.paid_at, el.window_hours) as policy,
             case when rr.status = 'pending' then (
               select json_build_object('template', t.template, 'subject', e.subject, 'body', e.body)
               from (select case when el.eligible then 'refund_approved' else 'refund_denied' end as template) t
               cross join lateral public.business_contact(rr.business_id) bc
               cross join lateral public.render_email(t.template, case when el.eligible
                 then jsonb_build_object('name', bc.name, 'business', bc.business, 'amount_cents', pa.amount_cents)
                 else jsonb_build_object('name', bc.name, 'business', bc.business, 'purchased_at', pa.paid_at,
                        'days_elapsed', floor(extract(epoch from (now() - pa.paid_at)) / 86400), 'window_days', round(el.window_hours / 24)) end) e
             ) end as email,
             rr.decided_by as "decidedBy", (select d.display_name from public.profiles d where d.id = rr.decided_by) as "decidedByName", rr.decided_at as "decidedAt",
             rr.decision_note as "decisionNote", rr.version, rr.updated_at as "updatedAt"
      from public.refund_requests rr
      join public.payment_audit pa on pa.id = rr.payment_id
      -- The refund window is decided once, by refund_eligibility (the rule apply_refund_decision enforces).
      cross join lateral public.refund_eligibility(rr.id) el
      cross join lateral (select b.name, b.owner_id from public.businesses b where b.id = rr.business_id) b
      left join public.profiles owner on owner.id = b.owner_id
      where ${since === null ? t`rr.status = 'pending'` : t`rr.changed_xid >= ${since}::xid8`}
    ) x`);

/** Two JSON array texts as one. */
const concatArrays = (a: string, b: string) => (a === '[]' ? b : b === '[]' ? a : `${a.slice(0, -1)},${b.slice(1)}`);

export function parseCursor(cursor: string | null | undefined): string | null {
  return cursor ? cursor.slice('xid:'.length) : null;
}

/** The pull answer as JSON text, shaped as PullResponse. */
export async function pullJson(sql: Sql, cursor: string | null | undefined): Promise<string> {
  const since = parseCursor(cursor);
  const { head, small } = await sql.begin('isolation level repeatable read read only', async (tx) => {
    const list = one;
    const [snap] = await tx<{ xmin: string; now: Date }[]>`
      select pg_snapshot_xmin(pg_current_snapshot())::text as xmin, now() as now`;
    const changed = (column: string) => (since === null ? tx`false` : tx`${tx(column)} >= ${since}::xid8`);

    const alerts = await list(tx`select coalesce(json_agg(x order by x."openedAt"), '[]')::text as j from (
      select id, severity, kind, subject, message, details, opened_at as "openedAt", resolved_at as "resolvedAt", updated_at as "updatedAt"
      from public.alerts
      where ${since === null ? tx`resolved_at is null` : changed('changed_xid')}
    ) x`);

    const cronRuns = await list(tx`select coalesce(json_agg(x order by x."startedAt"), '[]')::text as j from (
      select id::text, run_id as "runId", job_name as "jobName", trigger, attempt, max_attempts as "maxAttempts", status,
             started_at as "startedAt", finished_at as "finishedAt", duration_ms as "durationMs", error, result
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
      select id, title, severity, kind, started_at as "startedAt", resolved_at as "resolvedAt", updated_at as "updatedAt",
             status, playbook, version
      from public.incidents
      where ${since === null ? tx`started_at > now() - interval '90 days' or status = 'draft'` : changed('changed_xid')}
    ) x`);

    const emails = await list(tx`select coalesce(json_agg(x order by x."createdAt"), '[]')::text as j from (
      select id, to_email as "to", template, subject, body_text as body, status, attempts, last_error as "lastError",
             created_at as "createdAt", sent_at as "sentAt"
      from public.email_outbox
      where ${since === null ? tx`created_at > now() - make_interval(days => ${FIRST_PULL_EMAIL_DAYS})` : changed('changed_xid')}
    ) x`);

    const complaints = await list(tx`select coalesce(json_agg(x order by x."createdAt"), '[]')::text as j from (
      select c.id, c.business_id as "businessId", b.name as "businessName", co.name as "councilName",
             owner.display_name as "ownerName", owner.email as "ownerEmail", c.kind, c.message,
             c.payment_id as "paymentId", c.review_id as "reviewId", c.status, c.resolution,
             c.closed_by as "decidedBy", closer.display_name as "decidedByName", c.closed_at as "decidedAt",
             c.version, c.created_at as "createdAt", c.updated_at as "updatedAt"
      from public.complaints c
      join public.businesses b on b.id = c.business_id
      join public.councils co on co.id = b.council_id
      left join public.profiles owner on owner.id = b.owner_id
      left join public.profiles closer on closer.id = c.closed_by
      where ${since === null ? tx`c.status = 'pending'` : changed('c.changed_xid')}
    ) x`);

    // Few (a handful a month) and small: the packet comes along, so it can be read and exported offline.
    const escalations = await list(tx`select coalesce(json_agg(x order by x."openedAt"), '[]')::text as j from (
      select e.id, e.situation, e.team, e.urgency, e.status, e.source_kind as "sourceKind", e.source_id as "sourceId",
             e.business_id as "businessId", b.name as "businessName", e.subject, e.note, e.packet, e.packet_sha256 as "packetSha256",
             e.to_email as "to", e.opened_at as "openedAt", opener.display_name as "openedByName", e.due_at as "dueAt",
             e.answer, e.answered_at as "answeredAt", e.closed_at as "closedAt", e.close_note as "closeNote", e.version, e.updated_at as "updatedAt"
      from public.escalations e
      left join public.businesses b on b.id = e.business_id
      left join public.profiles opener on opener.id = e.opened_by
      where ${since === null ? tx`e.status <> 'closed' or e.closed_at > now() - interval '90 days'` : changed('e.changed_xid')}
    ) x`);

    // The weekly runs with their events: what the next run carries over is read from the last ones.
    const runs = await list(tx`select coalesce(json_agg(x order by x."startedAt"), '[]')::text as j from (
      select r.id, r.kind, r.status, r.started_at as "startedAt", r.finished_at as "finishedAt", p.display_name as "operatorName",
             coalesce((select json_agg(json_build_object('at', e.at, 'kind', e.kind, 'subject', e.subject, 'outcome', e.outcome,
                                                         'note', e.note, 'spentSeconds', e.spent_seconds) order by e.at, e.id)
                       from public.operator_run_events e where e.run_id = r.id), '[]') as events,
             r.counts, r.log, r.log_sha256 as "logSha256", r.version, r.updated_at as "updatedAt"
      from public.operator_runs r
      left join public.profiles p on p.id = r.operator_id
      where ${since === null ? tx`r.status = 'open' or r.started_at > now() - interval '60 days'` : changed('r.changed_xid')}
    ) x`);

    const [metrics] = await tx<MetricsSnapshot[]>`
      select
        coalesce((select sum(amount_cents) from public.payment_audit
                  where status in ('succeeded', 'refunded') and paid_at >= (date_trunc('month', now() at time zone 'Australia/Melbourne') at time zone 'Australia/Melbourne')), 0)::int8 as "revenueThisMonthCents",
        coalesce((select sum(amount_cents) from public.payment_audit
                  where status = 'refunded' and refunded_at >= (date_trunc('month', now() at time zone 'Australia/Melbourne') at time zone 'Australia/Melbourne')), 0)::int8 as "refundsThisMonthCents",
        (select count(*) from public.featured_placements where status = 'active')::int as "activePlacements",
        (select count(*) from public.featured_queue where promoted_at is null and cancelled_at is null)::int as "queuedPlacements",
        (select count(*) from public.reviews where status = 'pending')::int as "pendingReviews",
        (select count(*) from public.refund_requests where status = 'pending')::int as "pendingRefunds",
        ((select rate_pct from public.refund_rate_7d()) / 100)::float8 as "refundRate7d",
        (select count(*) from public.search_events where occurred_at > now() - interval '24 hours')::int as "searchesLast24h",
        (select count(*) from public.alerts where resolved_at is null and severity = 'RED')::int as "openRed",
        (select count(*) from public.alerts where resolved_at is null and severity = 'YELLOW')::int as "openYellow",
        coalesce((select value from public.feature_flags where key = 'AI_MODE'), 'z_ai') as "aiMode",
        (b.state ->> 'spent_cents')::float8 as "aiSpentThisMonthCents",
        (b.state ->> 'budget_cents')::float8 as "aiBudgetCents",
        (b.state ->> 'over')::boolean as "aiBudgetSwitched"
      from (select public.ai_budget_state() as state) b`;

    const head = {
      cursor: `xid:${snap!.xmin}`,
      serverTime: snap!.now.toISOString(),
      full: since === null,
      metrics: { ...metrics!, revenueThisMonthCents: Number(metrics!.revenueThisMonthCents), refundsThisMonthCents: Number(metrics!.refundsThisMonthCents) },
      policy: await readPolicy(tx),
    } satisfies Omit<
      PullResponse,
      'reviews' | 'refunds' | 'alerts' | 'cronRuns' | 'activity' | 'flags' | 'accounts' | 'incidents' | 'emails' | 'complaints' | 'escalations' | 'runs'
    >;
    return { head, small: { alerts, cronRuns, activity, flags, accounts, incidents, emails, complaints, escalations, runs } };
  });
  // The big lists after the snapshot above, in parallel on their own
  // connections: on a first pull rendering their JSON is most of the work,
  // and it spreads over the cores. Each statement's snapshot is taken after
  // the cursor's, so it can only see more (a row seen twice is harmless; the
  // console keeps the highest version), never miss what the cursor covers.
  // No connection is held while waiting for another, so concurrent pulls
  // cannot starve the pool.
  const [reviewsLow, reviewsHigh, refunds] = await Promise.all([reviewsJson(sql, since, 0), reviewsJson(sql, since, 1), refundsJson(sql, since)]);
  const lists = { reviews: concatArrays(reviewsLow, reviewsHigh), refunds, ...small } satisfies Record<Exclude<keyof PullResponse, keyof typeof head>, string>;
  return `${JSON.stringify(head).slice(0, -1)},${Object.entries(lists)
    .map(([k, v]) => `"${k}":${v}`)
    .join(',')}}`;
}
