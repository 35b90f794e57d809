// The large data set at a small scale: the COPY path, the proportional
// counts, today's featured state following the rules, and the bulk-load
// shortcuts (indexes built after, foreign keys checked after) leaving the
// schema exactly as the migrations made it, even when a load fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../test/db.ts';
import { largeCounts, seedLarge } from './large.ts';
import type { SeedResult } from './demo.ts';

const NOW = new Date('2026-11-26T23:45:00Z');
const SCALE = 0.002;

let db: TestDatabase;
let result: SeedResult;
let indexesBefore: unknown[];

const indexes = (sql: TestDatabase['sql']) => sql`
  select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as definition
  from pg_index where indrelid::regclass::text in
    ('businesses', 'payment_audit', 'featured_placements', 'featured_queue', 'reviews', 'search_events', 'profiles', 'auth.users')
  order by 1`;

beforeAll(async () => {
  db = await freshDatabase();
  indexesBefore = await indexes(db.sql);
  result = await seedLarge(db.sql, { scale: SCALE, now: NOW });
});
afterAll(async () => {
  await db?.drop();
});

const one = async <T>(query: Promise<T[]>): Promise<T> => (await query)[0]!;

describe('large data set', () => {
  it('writes the counts of its scale: 100 businesses, 2,000 payments, 400 reviews, 10,000 searches', async () => {
    expect(largeCounts(SCALE)).toEqual({ businesses: 100, payments: 2000, reviews: 400, searchEvents: 10_000 });
    const row = await one(db.sql<Record<string, number>[]>`
      select (select count(*)::int from auth.users) as users, (select count(*)::int from public.profiles) as profiles,
             (select count(*)::int from public.businesses) as businesses, (select count(*)::int from public.payment_audit) as payments,
             (select count(*)::int from public.reviews) as reviews, (select count(*)::int from public.search_events) as searches`);
    expect(row).toEqual({ users: 100, profiles: 100, businesses: 100, payments: 2000, reviews: 400, searches: 10_000 });
    expect(result.counts).toMatchObject({ 'public.businesses': 100, 'public.payment_audit': 2000, 'public.search_events': 10_000 });
  });

  it('gives every paid charge a placement or a queue entry, and failed ones neither', async () => {
    const row = await one(db.sql<{ orphaned: number; failed_placed: number; doubled: number }[]>`
      select (select count(*)::int from public.payment_audit p where p.status in ('succeeded', 'refunded')
                and not exists (select 1 from public.featured_placements fp where fp.payment_id = p.id)
                and not exists (select 1 from public.featured_queue q where q.payment_id = p.id)) as orphaned,
             (select count(*)::int from public.payment_audit p join public.featured_placements fp on fp.payment_id = p.id
              where p.status = 'failed') as failed_placed,
             (select count(*)::int from public.featured_queue q join public.featured_placements fp on fp.payment_id = q.payment_id) as doubled`);
    expect(row).toEqual({ orphaned: 0, failed_placed: 0, doubled: 0 });
  });

  it("keeps today's slots and queues by the rules", async () => {
    const councils = await db.sql<{ council_id: string; active: number; waiting: number; late: number }[]>`
      select c.id as council_id,
             (select count(*)::int from public.featured_placements p where p.council_id = c.id and p.status = 'active') as active,
             (select count(*)::int from public.featured_queue q where q.council_id = c.id and q.promoted_at is null) as waiting,
             (select count(*)::int from public.featured_queue q join public.featured_placements p on p.council_id = q.council_id
              and p.status = 'active' join public.payment_audit pa on pa.id = p.payment_id
              where q.council_id = c.id and q.promoted_at is null and q.paid_at <= pa.paid_at) as late
      from public.councils c`;
    for (const c of councils) {
      expect(c.active, c.council_id).toBeLessThanOrEqual(5);
      if (c.waiting > 0) expect(c.active, c.council_id).toBe(5);
      expect(c.late, c.council_id).toBe(0);
    }
    expect(councils.some((c) => c.waiting > 0)).toBe(true);
    const stale = await one(db.sql<{ n: number }[]>`
      select count(*)::int as n from public.featured_placements
      where (status = 'active') <> (featured_until > ${NOW})`);
    expect(stale.n).toBe(0);
  });

  it('leaves every index as the migrations made it', async () => {
    expect(await indexes(db.sql)).toEqual(indexesBefore);
  });

  it('refuses a database that already has businesses', async () => {
    await expect(seedLarge(db.sql, { scale: SCALE, now: NOW })).rejects.toThrow(/already has 100 businesses/);
  });

  it('rejects a bad scale', async () => {
    await expect(seedLarge(db.sql, { scale: 0 })).rejects.toThrow(/scale must be a number above 0/);
  });

  it('rolls everything back when a COPY fails part-way, indexes included', async () => {
    const other = await freshDatabase();
    try {
      const before = await indexes(other.sql);
      // An account already holding a seed trainer's email makes the auth.users COPY fail.
      await other.sql`insert into auth.users (email) values ('trainer7@example.com')`;
      await expect(seedLarge(other.sql, { scale: SCALE, now: NOW })).rejects.toThrow(/copy into auth.users failed: duplicate key/);
      const row = await one(other.sql<{ users: number; councils: number }[]>`
        select (select count(*)::int from auth.users) as users, (select count(*)::int from public.councils) as councils`);
      expect(row).toEqual({ users: 1, councils: 0 });
      expect(await indexes(other.sql)).toEqual(before);
    } finally {
      await other.drop();
    }
  });

  it('writes the same rows for the same seed and now', async () => {
    const other = await freshDatabase();
    try {
      await seedLarge(other.sql, { scale: SCALE, now: NOW });
      const read = (sql: TestDatabase['sql']) => sql`select id, business_id, paid_at, status from public.payment_audit order by id`;
      expect(await read(other.sql)).toEqual(await read(db.sql));
    } finally {
      await other.drop();
    }
  });
});
