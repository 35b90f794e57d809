// Spec 3.2's periods over a daily series in Melbourne calendar days: LTM,
// MTD and WTD with their trends, daily averages and projections, refund
// rates, search volume by weekday and filter, the 12-month chart series.
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, melbourneToday, periods, type DayRow } from './periods.ts';

const row = (day: string, o: Partial<DayRow> = {}): DayRow => ({
  day,
  purchases: 0,
  gross_cents: 0,
  refunds: 0,
  refunded_cents: 0,
  refunds_approved: 0,
  refunds_denied: 0,
  searches: 0,
  search_filters: {},
  promotions: 0,
  queue_wait_seconds: 0,
  ...o,
});
/** One $22 sale a day from..to. */
const daily = (from: string, to: string, o: Partial<DayRow> = {}) => {
  const out: DayRow[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(row(d, { purchases: 1, gross_cents: 2200, ...o }));
  return out;
};

describe('Melbourne calendar arithmetic', () => {
  it('takes today from Melbourne, not UTC (1:30 pm UTC on 24 Dec is 25 Dec in Melbourne)', () => {
    expect(melbourneToday(new Date('2025-12-24T13:30:00Z'))).toBe('2025-12-25');
    expect(melbourneToday(new Date('2025-12-24T12:59:00Z'))).toBe('2025-12-24');
  });
  it('moves by months clamped to the month (31 Mar back one month is 29 Feb in a leap year)', () => {
    expect(addMonths('2028-03-31', -1)).toBe('2028-02-29');
    expect(addMonths('2026-01-15', -13)).toBe('2024-12-15');
  });
});

describe('revenue periods', () => {
  it('MTD, WTD and LTM: sums, daily averages, projections and trends against the previous period of the same length', () => {
    // Thursday 25 Dec 2025: the week began Monday 22 Dec.
    const rows = [...daily('2023-12-26', '2025-11-25', { gross_cents: 1100 }), ...daily('2025-11-26', '2025-12-25')];
    const { revenue } = periods(rows, '2025-12-25');
    expect(revenue.mtd).toEqual({
      cents: 25 * 2200,
      days: 25,
      daysInMonth: 31,
      dailyAvgCents: 2200,
      projectedCents: 31 * 2200,
      previousCents: 25 * 1100 + 2200 * 0, // 1–25 Nov at $11 (the $22 days start 26 Nov)
      trendPct: 100,
    });
    expect(revenue.wtd).toMatchObject({ cents: 4 * 2200, days: 4, sales: 4, projectedCents: 7 * 2200, previousCents: 4 * 2200, trendPct: 0 });
    expect(revenue.ltm.cents).toBe(30 * 2200 + 335 * 1100);
    expect(revenue.ltm.avgPerMonthCents).toBe(Math.round(revenue.ltm.cents / 12));
    expect(revenue.ltm.previousCents).toBe(366 * 1100); // 26 Dec 2023 – 25 Dec 2024 holds 29 Feb
    expect(revenue.ltm.trendPct).toBeCloseTo((100 * (revenue.ltm.cents - 366 * 1100)) / (366 * 1100), 1);
  });

  it('has no trend when the previous period had nothing, and a 12-month series ending with this month so far', () => {
    const { revenue, series } = periods(daily('2025-12-01', '2025-12-03'), '2025-12-03');
    expect(revenue.mtd.trendPct).toBeNull();
    expect(series.revenueByMonth).toHaveLength(12);
    expect(series.revenueByMonth[0]).toEqual({ month: '2025-01', cents: 0 });
    expect(series.revenueByMonth.at(-1)).toEqual({ month: '2025-12', cents: 3 * 2200 });
  });
});

describe('refunds, searches and the queue', () => {
  it('refund rates over 7 and 30 days, decisions and the average refund', () => {
    const rows = daily('2025-11-26', '2025-12-25').map((r, i) =>
      i === 29 ? { ...r, refunds: 1, refunded_cents: 2200, refunds_approved: 1 } : i === 5 ? { ...r, refunds: 1, refunded_cents: 1100, refunds_denied: 1 } : r,
    );
    const { refunds } = periods(rows, '2025-12-25');
    expect(refunds.d7).toEqual({ purchases: 7, refunds: 1, ratePct: 14.3 });
    expect(refunds.d30).toEqual({ purchases: 30, refunds: 2, ratePct: 6.7 });
    expect(refunds).toMatchObject({ approved30d: 1, denied30d: 1, avgRefundCents: 1650 });
  });

  it('search volume: the daily average, the peak and low weekday over four weeks, the most and least used filters, the trend of the week', () => {
    const rows: DayRow[] = [];
    for (let d = '2025-10-27'; d <= '2025-12-25'; d = addDays(d, 1)) {
      const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
      const recent = d > '2025-11-25';
      rows.push(
        row(d, {
          searches: (weekday === 1 ? 350 : weekday === 6 ? 200 : 250) * (recent ? 1 : 2),
          search_filters: { 'age:puppy': 3, 'issue:pulling': 2, 'service:group': 1 },
        }),
      );
    }
    const { search } = periods(rows, '2025-12-25');
    expect(search.peak).toEqual({ weekday: 'Monday', avg: 350 });
    expect(search.low).toEqual({ weekday: 'Saturday', avg: 200 });
    expect(search.topFilters).toEqual([
      { filter: 'age:puppy', count: 90 },
      { filter: 'issue:pulling', count: 60 },
      { filter: 'service:group', count: 30 },
    ]);
    expect(search.leastFilters[0]).toEqual({ filter: 'service:group', count: 30 });
    expect(search.trendPct).toBe(0); // this week against last week: the same weekdays
    const halved = periods(
      rows.map((r) => (r.day > '2025-12-18' ? { ...r, searches: r.searches / 2 } : r)),
      '2025-12-25',
    ).search;
    expect(halved.trendPct).toBe(-50);
    expect(search.dailyAvg).toBe(Math.round(search.total30d / 30));
  });

  it('average days in the queue over the last 90 days of promotions', () => {
    const rows = [row('2025-12-01', { promotions: 2, queue_wait_seconds: 2 * 21 * 86_400 }), row('2025-12-20', { promotions: 1, queue_wait_seconds: 0 })];
    expect(periods(rows, '2025-12-25').queue).toEqual({ avgQueueDays: 14, promotions30d: 3 });
  });
});
