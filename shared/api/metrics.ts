// The metrics of spec 3.2 as one snapshot from the operator API
// (POST /operator/metrics): every period an Australia/Melbourne calendar
// period, money in AUD cents, rates in percent, and the series the charts
// draw. The console keeps the last snapshot, so offline it shows that one
// with its time.
import { z } from 'zod';

const num = z.number();
const maybeNum = num.nullable();
/** Against the previous period of the same length, in percent; null when the previous period had nothing. */
const trend = maybeNum;

export const MetricsReport = z.object({
  asOf: z.string(),
  /** Today's Melbourne date (YYYY-MM-DD): the periods end here. */
  today: z.string(),
  revenue: z.object({
    ltm: z.object({ cents: num, avgPerMonthCents: num, previousCents: num, trendPct: trend }),
    mtd: z.object({ cents: num, days: num, daysInMonth: num, dailyAvgCents: num, projectedCents: num, previousCents: num, trendPct: trend }),
    wtd: z.object({ cents: num, days: num, sales: num, dailyAvgCents: num, projectedCents: num, previousCents: num, trendPct: trend }),
  }),
  adoption: z.object({
    featured: num,
    trainers: num,
    ratePct: num,
    targetPct: num,
    slotsPerCouncil: num,
    /** Slots in the councils that have a business. */
    slotsTotal: num,
    /** Slots filled, over the councils that have a business. */
    slotsFilledPct: num,
    avgQueueDays: maybeNum,
    promotions30d: num,
  }),
  backlog: z.object({
    total: num,
    avgPerCouncil: num,
    councils: z.array(z.object({ councilId: z.string(), name: z.string(), active: num, queued: num })),
  }),
  refunds: z.object({
    d7: z.object({ purchases: num, refunds: num, ratePct: num }),
    d30: z.object({ purchases: num, refunds: num, ratePct: num }),
    approved30d: num,
    denied30d: num,
    avgRefundCents: maybeNum,
    alertPct: num,
  }),
  search: z.object({
    total30d: num,
    dailyAvg: num,
    peak: z.object({ weekday: z.string(), avg: num }).nullable(),
    low: z.object({ weekday: z.string(), avg: num }).nullable(),
    topFilters: z.array(z.object({ filter: z.string(), count: num })),
    leastFilters: z.array(z.object({ filter: z.string(), count: num })),
    /** The last 7 days against the 7 before. */
    trendPct: trend,
  }),
  ai: z.object({
    providers: z.array(z.object({ provider: z.string(), calls: num, uptimePct: maybeNum, avgLatencyMs: maybeNum, costCents: num })),
    lastIncident: z.object({ provider: z.string(), at: z.string() }).nullable(),
    spentCents: num,
    budgetCents: num,
  }),
  /** Spec 6.1: Stripe's API answering us (asked at most once a minute). */
  stripe: z.object({ ok: z.boolean(), latencyMs: maybeNum, error: z.string().nullable(), checkedAt: z.string() }),
  series: z.object({
    revenueByMonth: z.array(z.object({ month: z.string(), cents: num })),
    searchesByDay: z.array(z.object({ day: z.string(), searches: num })),
  }),
});
export type MetricsReport = z.infer<typeof MetricsReport>;
