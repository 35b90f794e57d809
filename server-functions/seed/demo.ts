// The `demo` data set: the operator's dashboard as the spec draws it, as of
// `now` — about 500 trainers, 51 reviews pending (40 safe to bulk-approve),
// 3 refund requests (2 inside the window), 90 featured placements with 87
// purchases queued behind them, ~$24,800 of purchases in 12 months, ~2,450
// searches a day, and the daily job's recent runs. Deterministic: the same
// seed and `now` write the same rows. Everything is written in one
// transaction, so a failure leaves the database as it was.
import type { Sql, TransactionSql } from 'postgres';
import { ensureOperator } from './accounts.ts';
import { DAY_MS, addDays, isoDate, localDate, localTime } from './calendar.ts';
import { DEMO_COUNCILS } from './catalog.ts';
import { copyLines, copyRecords, type CopyValue } from './copy.ts';
import { buildDirectory } from './demo-directory.ts';
import { buildFeatured, type AuditEntry } from './demo-featured.ts';
import { buildReviews } from './demo-reviews.ts';
import { createRandom, type SeedValue } from './random.ts';
import { SEARCH_EVENT_COLUMNS, facetsOf, searchEventLines, type Facets } from './search-events.ts';
import { claimEmptyDirectory, readSettings } from './target.ts';

export const DEMO_SEED = 'dtd-demo';
/** The operator decisions are attributed to when no sign-in is given (it cannot sign in). */
export const DEMO_OPERATOR_EMAIL = 'operator@example.com';
export const DEMO_SEARCHES_PER_DAY = 2450;
export const DEMO_SEARCH_DAYS = 30;

export interface DemoOptions {
  /** The dashboard's "now"; defaults to the clock. Pass it for repeatable data. */
  now?: Date;
  seed?: SeedValue;
  /** The operator account to create or update (the local stack passes its sign-in). */
  operator?: { email: string; password?: string };
}

export interface SeedResult {
  dataSet: 'demo' | 'large';
  /** Rows written, by table. */
  counts: Record<string, number>;
  seconds: number;
}

/** Seeds `demo` into an empty, migrated database; refuses one that has businesses. */
export async function seedDemo(sql: Sql, opts: DemoOptions = {}): Promise<SeedResult> {
  return sql.begin(async (tx) => {
    await claimEmptyDirectory(tx, 'demo');
    return writeDemo(tx, opts);
  });
}

/** Writes the demo inside the caller's transaction, which has already locked and checked the directory. */
export async function writeDemo(tx: TransactionSql, opts: DemoOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  const now = (opts.now ?? new Date()).getTime();
  const rng = createRandom(opts.seed ?? DEMO_SEED);
  const settings = await readSettings(tx);
  const tz = settings.timeZone;
  const operator = opts.operator ?? { email: DEMO_OPERATOR_EMAIL };
  const operatorId = await ensureOperator(tx, operator.email, operator.password);

  const directory = buildDirectory(rng.fork('directory'), DEMO_COUNCILS, now);
  const featured = buildFeatured({ rng: rng.fork('featured'), councils: DEMO_COUNCILS, directory, settings, now, operatorId });
  const reviews = buildReviews({ rng: rng.fork('reviews'), businesses: directory.businesses, now, timeZone: tz, operatorId });

  const flaggedAudit: AuditEntry[] = directory.trainers
    .filter((t) => t.flagged)
    .map((t) => ({
      occurred_at: new Date(t.flagged!.at),
      actor_id: operatorId,
      actor_kind: 'operator',
      action: 'profile.flagged',
      subject_type: 'profile',
      subject_id: t.id,
      amount_cents: null,
      details: { reason: t.flagged!.reason },
    }));
  const audit = [...featured.audit, ...reviews.audit, ...flaggedAudit].sort((a, b) => a.occurred_at.getTime() - b.occurred_at.getTime());

  const counts: Record<string, number> = {};
  const write = async (table: string, rows: readonly Record<string, CopyValue>[]) => {
    counts[table] = (counts[table] ?? 0) + (await copyRecords(tx, table, rows));
  };
  const at = (ms: number) => new Date(ms);

  await tx`
    insert into public.councils ${tx(
      DEMO_COUNCILS.map((c) => ({ id: c.id, name: c.name })),
      'id',
      'name',
    )}
    on conflict (id) do nothing`;
  counts['public.councils'] = DEMO_COUNCILS.length;

  await write(
    'auth.users',
    directory.trainers.map((t) => ({
      id: t.id,
      email: t.email,
      raw_app_meta_data: { role: 'trainer' },
      raw_user_meta_data: { display_name: t.displayName },
      created_at: at(t.createdAt),
      updated_at: at(t.createdAt),
    })),
  );
  await write(
    'public.profiles',
    directory.trainers.map((t) => ({
      id: t.id,
      role: 'trainer',
      account_status: t.flagged ? 'flagged_for_review' : 'active',
      flagged_reason: t.flagged?.reason ?? null,
      flagged_at: t.flagged ? at(t.flagged.at) : null,
      display_name: t.displayName,
      email: t.email,
      created_at: at(t.createdAt),
      updated_at: at(t.flagged?.at ?? t.createdAt),
    })),
  );
  await write(
    'public.businesses',
    directory.businesses.map((b) => ({
      id: b.id,
      owner_id: b.owner.id,
      council_id: b.councilId,
      name: b.name,
      description: b.description,
      status: b.status,
      deleted: b.deleted,
      age_specialties: b.ages,
      behavior_issues: b.issues,
      service_types: b.services,
      suburb: b.suburb,
      phone: b.phone,
      email: `hello@${new URL(b.website).host}`,
      website: b.website,
      created_at: at(b.createdAt),
      updated_at: at(b.createdAt),
    })),
  );
  await write('public.payment_audit', featured.payments);
  await write('public.featured_placements', featured.placements);
  await write('public.featured_queue', featured.queue);
  await write('public.refund_requests', featured.refundRequests);
  await write('public.email_outbox', featured.emails);
  await write('public.cron_jobs', featured.cronJobs);
  await write('public.reviews', reviews.reviews);
  await write('public.audit_log', audit);

  // Searches over the last 30 days, with the real result counts of the seeded directory.
  const visible = new Map<string, Facets[]>();
  for (const b of directory.businesses) {
    if (!b.visible) continue;
    const list = visible.get(b.councilId) ?? [];
    list.push(facetsOf(b.ages, b.issues, b.services));
    visible.set(b.councilId, list);
  }
  const from = now - DEMO_SEARCH_DAYS * DAY_MS;
  counts['public.search_events'] = await copyLines(
    tx,
    'public.search_events',
    SEARCH_EVENT_COLUMNS,
    searchEventLines({
      rng: rng.fork('searches'),
      from,
      to: now,
      total: DEMO_SEARCHES_PER_DAY * DEMO_SEARCH_DAYS,
      timeZone: tz,
      councils: DEMO_COUNCILS.map((c) => [c.id, c.trainers] as const),
      visible,
    }),
  );
  // Roll up every finished business day in the window, as the daily rollup would have.
  let rolled = 0;
  for (let day = addDays(localDate(from, tz), 1); localTime(addDays(day, 1), 0, tz) <= now; day = addDays(day, 1)) {
    await tx`select public.rollup_search_day(${isoDate(day)}::date)`;
    rolled++;
  }
  counts['public.search_daily_rollup (days)'] = rolled;
  counts['public.complaints'] = await writeDemoComplaints(tx, now);
  // The metrics rollup the daily job keeps, as it would stand this morning.
  const [metricsDays] = await tx<{ n: number }[]>`select public.rollup_metrics(${new Date(now)}) as n`;
  counts['public.metrics_daily (days)'] = metricsDays!.n;

  return { dataSet: 'demo', counts, seconds: (performance.now() - started) / 1000 };
}

/**
 * The week's complaints (spec 2.5, playbooks 2 and 4): a queue-position
 * dispute from the trainer fifth in the longest queue ("I paid first! Why am
 * I #5?") and "not in search" from a trainer whose profile lists no behaviour
 * issues. The third, "paid but not featured", is planted by the local stack
 * with the charge the webhook missed (it needs the Stripe double).
 */
async function writeDemoComplaints(tx: TransactionSql, now: number): Promise<number> {
  const rows = await tx`
    with fifth as (
      select q.business_id, q.payment_id from (
        select q.*, row_number() over (partition by q.council_id order by q.paid_at, q.payment_id) as place,
               count(*) over (partition by q.council_id) as waiting
        from public.featured_queue q where q.promoted_at is null and q.cancelled_at is null) q
      where q.place = 5 order by q.waiting desc, q.council_id limit 1
    ),
    incomplete as (
      select b.id as business_id from public.businesses b
      where b.status = 'active' and not b.deleted and cardinality(b.behavior_issues) = 0 order by b.name limit 1
    )
    insert into public.complaints (business_id, filed_by, kind, message, payment_id, created_at, updated_at)
    select x.business_id, b.owner_id, x.kind, x.message, x.payment_id, x.at, x.at
    from (
      select business_id, 'queue_position' as kind, payment_id, ${new Date(now - 5 * 3_600_000)}::timestamptz as at,
             'I paid first! Why am I #5 in queue? I bought my featured placement weeks ago and people who paid after me are featured.' as message
      from fifth
      union all
      select business_id, 'not_in_search', null, ${new Date(now - 26 * 3_600_000)}::timestamptz,
             'My profile doesn''t appear in search results. I searched for my suburb and my business is not there.'
      from incomplete
    ) x join public.businesses b on b.id = x.business_id
    returning id`;
  return rows.length;
}
