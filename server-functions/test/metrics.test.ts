// The metrics rollup and snapshot (spec 3.2) against the real database:
// Melbourne day boundaries, the rollup counting exactly what the live
// aggregation counts, a late payment on a rolled day picked up by the next
// run, today's numbers live before any rollup, and the snapshot's figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsSnapshot } from '../supabase/functions/_shared/metrics/snapshot.ts';
import { freshDatabase, type TestDatabase } from './db.ts';
import { createBusiness, createCouncil, createPayment, createPerson, createPlacement } from './fixtures.ts';

let db: TestDatabase;
// Thursday 25 Dec 2025, 10:45 AEDT.
const NOW = new Date('2025-12-24T23:45:00Z');
let business: string;

beforeAll(async () => {
  db = await freshDatabase();
  await createCouncil(db.sql, 'melbourne', 'City of Melbourne');
  await createCouncil(db.sql, 'monash', 'City of Monash');
  const owner = await createPerson(db.sql);
  business = await createBusiness(db.sql, owner, 'melbourne', { name: 'Rollup Rovers' });
  for (let i = 0; i < 3; i++) await createBusiness(db.sql, owner, 'monash', { name: `Monash ${i}` });
  await createPlacement(db.sql, business, 'melbourne', await createPayment(db.sql, business, 'melbourne', { paidAt: new Date('2025-12-20T01:00:00Z') }));
  const pay = (at: string, status: 'succeeded' | 'refunded' = 'succeeded') => createPayment(db.sql, business, 'melbourne', { paidAt: new Date(at), status });
  // 23 Dec 13:30 UTC is 24 Dec 00:30 in Melbourne: a Christmas Eve sale, not one on the 23rd.
  await pay('2025-12-23T13:30:00Z');
  await pay('2025-12-23T12:30:00Z');
  const refunded = await pay('2025-12-10T02:00:00Z', 'refunded');
  await db.sql`update public.payment_audit set refunded_at = '2025-12-22T02:00:00Z' where id = ${refunded}`;
  await pay('2025-11-10T02:00:00Z');
  // Today (25 Dec, Melbourne), before the rollup could have run.
  await pay('2025-12-24T20:00:00Z');
  await db.sql`
    insert into public.search_events (occurred_at, council_id, filters, result_count)
    values ('2025-12-23T14:00:00Z', 'melbourne', '{"ageSpecialties":["puppy"],"behaviorIssues":["pulling","anxiety"]}', 3),
           ('2025-12-23T15:00:00Z', 'melbourne', '{"ageSpecialties":["puppy"],"serviceType":"private"}', 1),
           ('2025-12-24T21:00:00Z', null, '{}', 0)`;
});
afterAll(async () => {
  await db.drop();
});

const day = async (d: string) => (await db.sql`select * from public.metrics_daily where day = ${d}::date`)[0];

describe('the metrics rollup', () => {
  it('rolls Melbourne days, counting exactly what the live aggregation counts', async () => {
    const [r] = await db.sql<{ n: number }[]>`select public.rollup_metrics(${NOW}) as n`;
    expect(r!.n).toBeGreaterThan(700); // 25 months of days, the first run
    expect(await day('2025-12-24')).toMatchObject({
      purchases: 1,
      searches: 2,
      search_filters: { 'age:puppy': 2, 'issue:pulling': 1, 'issue:anxiety': 1, 'service:private': 1 },
    });
    expect(await day('2025-12-23')).toMatchObject({ purchases: 1, searches: 0 });
    expect(await day('2025-12-22')).toMatchObject({ refunds: 1, refunded_cents: '2200' });
    expect(await day('2025-12-25')).toBeUndefined(); // today is not finished
    const live =
      await db.sql`select day::text, purchases, gross_cents, refunds, searches, search_filters from public.metrics_days('2025-11-01', '2025-12-25 00:00 Australia/Melbourne')`;
    const rolled =
      await db.sql`select day::text, purchases, gross_cents, refunds, searches, search_filters from public.metrics_daily where day between '2025-11-01' and '2025-12-24' order by day`;
    expect(rolled).toEqual(live);
  });

  it('picks up a payment recovered late for a day already rolled, at the next run', async () => {
    await createPayment(db.sql, business, 'melbourne', { paidAt: new Date('2025-12-15T02:00:00Z') });
    expect(await day('2025-12-15')).toMatchObject({ purchases: 0 });
    await db.sql`select public.rollup_metrics(${NOW})`;
    expect(await day('2025-12-15')).toMatchObject({ purchases: 1, gross_cents: '2200' });
  });
});

describe('the metrics snapshot', () => {
  it('reports the periods, adoption, backlog and refund rates, today live', async () => {
    const m = await metricsSnapshot(db.sql, NOW);
    expect(m.today).toBe('2025-12-25');
    // December: 10, 15, 20, 23 (UTC 12:30 = 23:30 AEDT), 24 and today.
    expect(m.revenue.mtd).toMatchObject({ cents: 6 * 2200, days: 25, daysInMonth: 31, previousCents: 2200, trendPct: 500 });
    expect(m.revenue.wtd).toMatchObject({ cents: 3 * 2200, sales: 3, days: 4 }); // Tue 23, Wed 24, Thu 25
    expect(m.adoption).toMatchObject({ featured: 1, trainers: 4, ratePct: 25, targetPct: 25, slotsPerCouncil: 5, slotsTotal: 10, slotsFilledPct: 10 });
    expect(m.backlog).toMatchObject({ total: 0, councils: [{ councilId: 'melbourne', active: 1, queued: 0 }] });
    expect(m.refunds.d7).toEqual({ purchases: 4, refunds: 1, ratePct: 25 });
    expect(m.search.total30d).toBe(3);
    expect(m.series.revenueByMonth.at(-1)).toEqual({ month: '2025-12', cents: 6 * 2200 });
    expect(m.series.searchesByDay.at(-1)).toEqual({ day: '2025-12-25', searches: 1 });
    expect(m.ai).toMatchObject({ providers: [], lastIncident: null, spentCents: 0, budgetCents: 25000 });
  });
});
