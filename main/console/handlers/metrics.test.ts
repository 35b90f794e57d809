// The Monday check: one level for the whole system and the week's pending
// work from the cache, telling apart what is decided here and waiting to sync;
// the pull's metrics snapshot; and spec 3.2's report, which offline is the
// last one kept, marked stale.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetricsReport } from '../../../shared/api/metrics.ts';
import { alert, complaint, createWorld, failureOf, refund, review, type World } from '../testing/world.ts';

let w: World;
beforeEach(() => {
  w = createWorld({ now: '2026-11-30T22:00:00.000Z' });
});
afterEach(() => w.close());

/** A spec 3.2 metrics report as POST /operator/metrics answers it. */
const metricsReport = (revenueCents: number): MetricsReport => {
  const period = { cents: revenueCents, previousCents: 0, trendPct: null, dailyAvgCents: 0, projectedCents: 0 };
  const rate = { purchases: 0, refunds: 0, ratePct: 0 };
  return {
    asOf: '2026-11-27T00:00:00.000Z',
    today: '2026-11-27',
    revenue: {
      ltm: { cents: revenueCents, avgPerMonthCents: 0, previousCents: 0, trendPct: null },
      mtd: { ...period, days: 27, daysInMonth: 30 },
      wtd: { ...period, days: 5, sales: 1 },
    },
    adoption: {
      featured: 0,
      trainers: 0,
      ratePct: 0,
      targetPct: 10,
      slotsPerCouncil: 5,
      slotsTotal: 0,
      slotsFilledPct: 0,
      avgQueueDays: null,
      promotions30d: 0,
    },
    backlog: { total: 0, avgPerCouncil: 0, councils: [] },
    refunds: { d7: rate, d30: rate, approved30d: 0, denied30d: 0, avgRefundCents: null, alertPct: 10 },
    search: { total30d: 0, dailyAvg: 0, peak: null, low: null, topFilters: [], leastFilters: [], trendPct: null },
    ai: { providers: [], lastIncident: null, spentCents: 0, budgetCents: 5000 },
    stripe: { ok: true, latencyMs: 120, error: null, checkedAt: '2026-11-27T00:00:00.000Z' },
    series: { revenueByMonth: [], searchesByDay: [] },
  };
};

describe('the overview', () => {
  it('counts pending work and, of it, what waits to sync here; complaint minutes only for those still open here', async () => {
    const reviews = [review(), review(), review(), review({ status: 'approved', version: 2 })];
    const refunds = [refund(), refund(), refund({ status: 'denied', version: 2 })];
    const complaints = [complaint({ kind: 'not_featured' }), complaint({ kind: 'queue_position' }), complaint({ kind: 'other' })];
    await w.load({ reviews, refunds, complaints });
    await w.api.decideReview(reviews[0]!.id, { kind: 'approve' });
    await w.api.decideRefund(refunds[1]!.id, { kind: 'approve' });
    w.server.online = false;
    expect(await w.api.closeComplaint(complaints[2]!.id, 'Explained the search filters')).toMatchObject({ status: 'queued' });

    expect(await w.api.overview()).toEqual({
      level: 'GREEN',
      openRed: 0,
      openYellow: 0,
      pendingReviews: 3,
      reviewsWaitingToSync: 1,
      pendingRefunds: 2,
      refundsWaitingToSync: 1,
      pendingComplaints: 3,
      complaintsWaitingToSync: 1,
      complaintMinutes: 25 + 15,
      overdueEscalations: [],
      asOf: '2026-11-30T22:00:00.000Z',
    });
  });

  it('is YELLOW with a YELLOW alert open, RED with any RED one, GREEN once they are resolved', async () => {
    const queue = alert({ severity: 'YELLOW' });
    await w.load({ alerts: [queue] });
    expect(await w.api.overview()).toMatchObject({ level: 'YELLOW', openRed: 0, openYellow: 1 });

    const stripe = alert({ severity: 'RED', kind: 'stripe_down' });
    w.server.rows.alerts.push(stripe);
    await w.api.syncNow();
    expect(await w.api.overview()).toMatchObject({ level: 'RED', openRed: 1, openYellow: 1 });

    for (const a of w.server.rows.alerts) a.resolvedAt = '2026-11-30T21:00:00.000Z';
    w.time.now += 60_000;
    await w.api.syncNow();
    expect(await w.api.overview()).toMatchObject({ level: 'GREEN', openRed: 0, openYellow: 0, asOf: '2026-11-30T22:01:00.000Z' });
  });
});

describe('the pull snapshot', () => {
  it('is nothing before the first pull, then the numbers the server sent', async () => {
    expect(await w.api.metrics()).toBeNull();
    w.server.metrics = { ...w.server.metrics, pendingReviews: 12, activePlacements: 7, aiMode: 'deterministic' };
    await w.load();
    expect(await w.api.metrics()).toEqual(w.server.metrics);
  });
});

describe('the metrics report', () => {
  it('online, is fresh from the server; offline, the last one kept, marked stale', async () => {
    w.http.set('operator/metrics', metricsReport(123_400));
    expect(await w.api.metricsReport()).toEqual({ report: metricsReport(123_400), stale: false, note: null });

    w.http.set('operator/metrics', metricsReport(999_900));
    w.server.online = false;
    expect(await w.api.metricsReport()).toEqual({
      report: metricsReport(123_400),
      stale: true,
      note: 'You are offline: this is the last snapshot kept here, as of the time above.',
    });
  });

  it('offline with no snapshot kept, says it needs a connection', async () => {
    w.server.online = false;
    expect(await failureOf(() => w.api.metricsReport())).toMatchObject({
      kind: 'offline',
      message: expect.stringMatching(/^Fetching the metrics needs a connection/),
    });
  });

  it('does not pass off a server failure as the kept snapshot', async () => {
    w.http.set('operator/metrics', metricsReport(123_400));
    await w.api.metricsReport();
    w.http.delete('operator/metrics');
    expect(await failureOf(() => w.api.metricsReport())).toMatchObject({ kind: 'server', message: expect.stringMatching(/^Fetching the metrics failed/) });
  });
});
