// The demo data set reproduces the spec's dashboard figures as of a pinned
// `now`, follows the product's rules (slots, FIFO queue, refund window,
// search visibility), and is the same every time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../test/db.ts';
import { seedDemo, type SeedResult } from './demo.ts';
import { seedOnFirstStart } from './index.ts';

// A Friday morning in Melbourne (10:45 AEDT), the day after the weekly batch.
const NOW = new Date('2026-11-26T23:45:00Z');

let db: TestDatabase;
let result: SeedResult;

beforeAll(async () => {
  db = await freshDatabase();
  result = await seedDemo(db.sql, { now: NOW });
});
afterAll(async () => {
  await db?.drop();
});

const one = async <T>(query: Promise<T[]>): Promise<T> => (await query)[0]!;

describe('demo data set', () => {
  it('loads in a few seconds', () => {
    expect(result.seconds).toBeLessThan(10);
  });

  it('has 500 trainers with one business each, a few of them hidden from search', async () => {
    const row = await one(db.sql<{ trainers: number; businesses: number; owners: number; visible: number; suspended: number; deleted: number }[]>`
      select (select count(*)::int from public.profiles where role = 'trainer') as trainers,
             count(*)::int as businesses, count(distinct owner_id)::int as owners,
             count(*) filter (where public.business_is_visible(status, deleted, age_specialties, behavior_issues))::int as visible,
             count(*) filter (where status = 'suspended')::int as suspended,
             count(*) filter (where deleted)::int as deleted
      from public.businesses`);
    expect(row).toEqual({ trainers: 500, businesses: 500, owners: 500, visible: 485, suspended: 6, deleted: 4 });
    const councils = (await db.sql<{ id: string }[]>`select id from public.councils`).map((c) => c.id);
    expect(councils).toEqual(expect.arrayContaining(['melbourne', 'monash', 'stonnington', 'boroondara', 'yarra', 'port-phillip']));
    const flagged = await one(db.sql<{ n: number }[]>`select count(*)::int as n from public.profiles where account_status = 'flagged_for_review'`);
    expect(flagged.n).toBe(1);
  });

  it('has 51 pending reviews, 40 of them at AI confidence 0.90 or more and the rest flagged', async () => {
    const row = await one(db.sql<{ pending: number; confident: number; flagged_rest: number; approved: number; rejected: number }[]>`
      select count(*) filter (where status = 'pending')::int as pending,
             count(*) filter (where status = 'pending' and ai_confidence >= 0.90)::int as confident,
             count(*) filter (where status = 'pending' and ai_confidence < 0.90 and cardinality(ai_flags) > 0)::int as flagged_rest,
             count(*) filter (where status = 'approved')::int as approved,
             count(*) filter (where status = 'rejected')::int as rejected
      from public.reviews`);
    expect(row).toMatchObject({ pending: 51, confident: 40, flagged_rest: 11 });
    expect(row.approved).toBeGreaterThan(1000);
    expect(row.rejected).toBeGreaterThan(10);
  });

  it('has 3 pending refund requests, 2 asked within the refund window of the settings', async () => {
    const rows = await db.sql<{ inside: boolean; asked_after_paid: boolean; business_matches: boolean }[]>`
      select r.requested_at <= p.paid_at + make_interval(hours => (select (value #>> '{}')::int from public.settings where key = 'refund_window_hours')) as inside,
             r.requested_at > p.paid_at and r.requested_at <= ${NOW} as asked_after_paid,
             r.business_id = p.business_id and p.status = 'succeeded' as business_matches
      from public.refund_requests r join public.payment_audit p on p.id = r.payment_id
      where r.status = 'pending'`;
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.inside)).toHaveLength(2);
    expect(rows.every((r) => r.asked_after_paid && r.business_matches)).toBe(true);
  });

  it('has 87 purchases waiting: Melbourne 24, Monash 18, Stonnington 15, Boroondara 12, others 18', async () => {
    const rows = await db.sql<{ council_id: string; n: number }[]>`
      select council_id, count(*)::int as n from public.featured_queue where promoted_at is null and cancelled_at is null group by council_id`;
    const by = Object.fromEntries(rows.map((r) => [r.council_id, r.n]));
    const total = rows.reduce((s, r) => s + r.n, 0);
    expect(total).toBe(87);
    expect(by).toMatchObject({ melbourne: 24, monash: 18, stonnington: 15, boroondara: 12 });
    expect(total - 24 - 18 - 15 - 12).toBe(18);
    const all = await one(db.sql<{ n: number }[]>`select count(*)::int as n from public.featured_queue where promoted_at is null`);
    expect(all.n).toBe(87);
  });

  it('has 90 active placements, never more than the slot setting per council, and queues only where slots are full', async () => {
    const rows = await db.sql<{ council_id: string; active: number; waiting: number; slots: number }[]>`
      select c.id as council_id,
             (select count(*)::int from public.featured_placements p where p.council_id = c.id and p.status = 'active') as active,
             (select count(*)::int from public.featured_queue q where q.council_id = c.id and q.promoted_at is null and q.cancelled_at is null) as waiting,
             (select (value #>> '{}')::int from public.settings where key = 'featured_slots_per_council') as slots
      from public.councils c`;
    expect(rows.reduce((s, r) => s + r.active, 0)).toBe(90);
    for (const r of rows) {
      expect(r.active, r.council_id).toBeLessThanOrEqual(r.slots);
      if (r.waiting > 0) expect(r.active, r.council_id).toBe(r.slots);
    }
    // Featured businesses show in search, and none holds two open purchases.
    const bad = await one(db.sql<{ hidden: number; doubled: number }[]>`
      with open as (
        select business_id from public.featured_placements where status = 'active'
        union all select business_id from public.featured_queue where promoted_at is null and cancelled_at is null)
      select (select count(*)::int from open join public.businesses b on b.id = open.business_id
              where not public.business_is_visible(b.status, b.deleted, b.age_specialties, b.behavior_issues)) as hidden,
             (select count(*)::int from (select business_id from open group by 1 having count(*) > 1) d) as doubled`);
    expect(bad).toEqual({ hidden: 0, doubled: 0 });
  });

  it('gives every placement and queue entry its own $22 AUD payment, and leaves no paid charge orphaned', async () => {
    const row = await one(db.sql<{ wrong: number; orphaned: number; refunded: number; refunded_placements: number }[]>`
      select (select count(*)::int from (
                select payment_id from public.featured_placements union all
                select payment_id from public.featured_queue where placement_id is null) x
              join public.payment_audit p on p.id = x.payment_id
              where p.amount_cents <> 2200 or p.currency <> 'aud' or p.status not in ('succeeded', 'refunded')
                 or p.business_id <> (select coalesce(fp.business_id, q.business_id) from public.payment_audit pp
                                      left join public.featured_placements fp on fp.payment_id = pp.id
                                      left join public.featured_queue q on q.payment_id = pp.id where pp.id = p.id)) as wrong,
             (select count(*)::int from public.payment_audit p where p.status = 'succeeded'
                and not exists (select 1 from public.featured_placements fp where fp.payment_id = p.id)
                and not exists (select 1 from public.featured_queue q where q.payment_id = p.id)) as orphaned,
             (select count(*)::int from public.payment_audit where status = 'refunded') as refunded,
             (select count(*)::int from public.featured_placements where status = 'refunded') as refunded_placements`);
    expect(row).toEqual({ wrong: 0, orphaned: 0, refunded: 2, refunded_placements: 2 });
  });

  it('keeps every queue first-paid-first-served, and never lets a purchase jump it', async () => {
    // Everyone waiting paid after everyone featured in their council.
    const late = await one(db.sql<{ n: number }[]>`
      select count(*)::int as n from public.featured_queue q
      join public.featured_placements fp on fp.council_id = q.council_id and fp.status = 'active'
      join public.payment_audit p on p.id = fp.payment_id
      where q.promoted_at is null and q.cancelled_at is null and (q.paid_at, q.payment_id) < (p.paid_at, p.id)`);
    expect(late.n).toBe(0);
    // Promotions happened in payment order.
    const outOfOrder = await one(db.sql<{ n: number }[]>`
      select count(*)::int as n from public.featured_queue a join public.featured_queue b
        on a.council_id = b.council_id and (a.paid_at, a.payment_id) < (b.paid_at, b.payment_id)
      where b.promoted_at is not null and (a.promoted_at is null and a.cancelled_at is null or a.promoted_at > b.promoted_at)`);
    expect(outOfOrder.n).toBe(0);
    // No purchase took a slot directly while someone in its council was waiting.
    const jumped = await one(db.sql<{ n: number }[]>`
      select count(*)::int as n from public.featured_placements fp
      where not exists (select 1 from public.featured_queue mine where mine.placement_id = fp.id)
        and exists (select 1 from public.featured_queue q where q.council_id = fp.council_id and q.paid_at < fp.featured_from
                    and coalesce(q.promoted_at, q.cancelled_at, 'infinity') > fp.featured_from)`);
    expect(jumped.n).toBe(0);
    // At no moment of the year did a council have more placements running than slots.
    const crowded = await one(db.sql<{ most: number }[]>`
      with spans as (select council_id, featured_from as s,
                            case status when 'refunded' then refunded_at when 'expired' then featured_until else 'infinity' end as e
                     from public.featured_placements)
      select max(n)::int as most from (
        select (select count(*) from spans o where o.council_id = x.council_id and o.s <= x.s and x.s < o.e) as n from spans x) t`);
    expect(crowded.most).toBeLessThanOrEqual(5);
  });

  it('took about $24,800 AUD in the last 12 months', async () => {
    const row = await one(db.sql<{ cents: number; payments: number }[]>`
      select sum(amount_cents)::int as cents, count(*)::int as payments from public.payment_audit
      where status = 'succeeded' and paid_at > ${NOW}::timestamptz - interval '12 months'`);
    expect(Math.abs(row.cents / 100 - 24_800) / 24_800).toBeLessThan(0.02);
    expect(row.payments).toBeGreaterThan(1100);
  });

  it('has about 2,450 searches a day over the last 30 days, busier on Mondays than Saturdays', async () => {
    const row = await one(db.sql<{ n: number; monday: number; saturday: number; with_text_or_filters: number }[]>`
      select count(*)::int as n,
             avg(c) filter (where dow = 1)::float8 as monday, avg(c) filter (where dow = 6)::float8 as saturday,
             0 as with_text_or_filters
      from (select extract(dow from occurred_at at time zone 'Australia/Melbourne') as dow,
                   (occurred_at at time zone 'Australia/Melbourne')::date as d, count(*) over (partition by (occurred_at at time zone 'Australia/Melbourne')::date) as c
            from public.search_events where occurred_at > ${NOW}::timestamptz - interval '30 days') e`);
    expect(Math.abs(row.n / 30 - 2450) / 2450).toBeLessThan(0.05);
    expect(row.monday).toBeGreaterThan(row.saturday);
    const keys = await db.sql<{ key: string }[]>`select distinct jsonb_object_keys(filters) as key from public.search_events`;
    expect(keys.map((k) => k.key).sort()).toEqual(['ageSpecialties', 'behaviorIssues', 'hasText', 'serviceType']);
    const rollup = await one(db.sql<{ days: number }[]>`select count(distinct day)::int as days from public.search_daily_rollup`);
    expect(rollup.days).toBeGreaterThanOrEqual(28);
  });

  it('shows the daily job succeeding every day for the last two weeks', async () => {
    const row = await one(db.sql<{ runs: number; succeeded: number; last: Date }[]>`
      select count(distinct run_id)::int as runs, count(distinct run_id) filter (where status = 'success')::int as succeeded,
             max(started_at) as last
      from public.cron_jobs where job_name = 'featured-expiry-and-promotion'`);
    expect(row.runs).toBe(14);
    expect(row.succeeded).toBe(14);
    expect(NOW.getTime() - row.last.getTime()).toBeLessThan(24 * 3600_000);
  });

  it('leaves AI_MODE alone, gives the operator a profile, and writes the audit log in time order', async () => {
    const flag = await one(db.sql<{ value: string }[]>`select value from public.feature_flags where key = 'AI_MODE'`);
    expect(flag.value).toBe('z_ai');
    const op = await one(db.sql<{ role: string; app_role: string }[]>`
      select p.role, u.raw_app_meta_data ->> 'role' as app_role from public.profiles p join auth.users u on u.id = p.id
      where u.email = 'operator@example.com'`);
    expect(op).toEqual({ role: 'operator', app_role: 'operator' });
    const audit = await one(db.sql<{ n: number; out_of_order: number }[]>`
      select count(*)::int as n,
             count(*) filter (where occurred_at < lag)::int as out_of_order
      from (select occurred_at, lag(occurred_at) over (order by id) from public.audit_log) a`);
    expect(audit.n).toBeGreaterThan(1000);
    expect(audit.out_of_order).toBe(0);
  });

  it('refuses to seed a database that already has businesses', async () => {
    await expect(seedDemo(db.sql, { now: NOW })).rejects.toThrow(/already has 500 businesses/);
  });

  it('writes the same data for the same seed and now', async () => {
    const other = await freshDatabase();
    try {
      await seedDemo(other.sql, { now: NOW });
      const read = (sql: TestDatabase['sql']) => sql`
        select b.id, b.name, b.council_id, (select array_agg(p.paid_at order by p.paid_at) from public.payment_audit p where p.business_id = b.id) as paid
        from public.businesses b order by b.id`;
      expect(await read(other.sql)).toEqual(await read(db.sql));
    } finally {
      await other.drop();
    }
  });
});

describe('seedOnFirstStart', () => {
  it('seeds the demo once, and always keeps the operator able to sign in', async () => {
    const fresh = await freshDatabase();
    try {
      const opts = { operatorEmail: 'op@dtd.test', operatorPassword: 'first-password', now: NOW };
      expect(await seedOnFirstStart(fresh.sql, opts)).toBe(true);
      expect(await seedOnFirstStart(fresh.sql, { ...opts, operatorPassword: 'second-password' })).toBe(false);
      const row = await one(fresh.sql<{ businesses: number; ok: boolean; role: string }[]>`
        select (select count(*)::int from public.businesses) as businesses,
               u.encrypted_password = extensions.crypt('second-password', u.encrypted_password) as ok, p.role
        from auth.users u join public.profiles p on p.id = u.id where u.email = 'op@dtd.test'`);
      expect(row).toEqual({ businesses: 500, ok: true, role: 'operator' });
    } finally {
      await fresh.drop();
    }
  });
});
