// The arithmetic of spec 3.2's periods over a daily series, in Melbourne
// calendar days (the series is keyed by Melbourne date). Pure, so every
// period edge (month ends, leap days, Mondays) is tested without a database.
import type { MetricsReport } from '../../../../../shared/api/metrics.ts';

export interface DayRow {
  day: string; // YYYY-MM-DD, Melbourne
  purchases: number;
  gross_cents: number;
  refunds: number;
  refunded_cents: number;
  refunds_approved: number;
  refunds_denied: number;
  searches: number;
  search_filters: Record<string, number>;
  promotions: number;
  queue_wait_seconds: number;
}

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const toMs = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const toIso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDays = (iso: string, n: number) => toIso(toMs(iso) + n * DAY_MS);
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate(); // m is 1-based
/** The same day n months away, clamped to that month's length (31 Mar - 1 month = 28/29 Feb). */
export function addMonths(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const t = y * 12 + (m - 1) + n;
  const ty = Math.floor(t / 12);
  const tm = (t % 12) + 1;
  return `${ty}-${String(tm).padStart(2, '0')}-${String(Math.min(d, daysInMonth(ty, tm))).padStart(2, '0')}`;
}

/** Today's date in Melbourne. */
export function melbourneToday(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Melbourne', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : 0);
const trend = (now: number, before: number) => (before > 0 ? Math.round((1000 * (now - before)) / before) / 10 : null);

export function periods(rows: DayRow[], today: string) {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  /** Sum of one field over from..to inclusive. */
  const sum = (field: keyof Omit<DayRow, 'day' | 'search_filters'>, from: string, to: string) => {
    let total = 0;
    for (let d = from; d <= to; d = addDays(d, 1)) total += byDay.get(d)?.[field] ?? 0;
    return total;
  };
  const [y, m, dom] = today.split('-').map(Number) as [number, number, number];
  const monthStart = today.slice(0, 8) + '01';
  const inMonth = daysInMonth(y, m);
  const prevMonthStart = addMonths(monthStart, -1);
  const prevSpanEnd = addDays(prevMonthStart, Math.min(dom, daysInMonth(Number(prevMonthStart.slice(0, 4)), Number(prevMonthStart.slice(5, 7)))) - 1);
  const weekday = (new Date(toMs(today)).getUTCDay() + 6) % 7; // Monday = 0: the Australian week
  const weekStart = addDays(today, -weekday);
  const ltmFrom = addDays(addMonths(today, -12), 1);
  const prevLtmFrom = addDays(addMonths(today, -24), 1);

  const mtd = sum('gross_cents', monthStart, today);
  const wtd = sum('gross_cents', weekStart, today);
  const ltm = sum('gross_cents', ltmFrom, today);
  const prevLtm = sum('gross_cents', prevLtmFrom, addDays(ltmFrom, -1));
  const prevMtd = sum('gross_cents', prevMonthStart, prevSpanEnd);
  const prevWtd = sum('gross_cents', addDays(weekStart, -7), addDays(today, -7));
  const revenue: MetricsReport['revenue'] = {
    ltm: { cents: ltm, avgPerMonthCents: Math.round(ltm / 12), previousCents: prevLtm, trendPct: trend(ltm, prevLtm) },
    mtd: {
      cents: mtd,
      days: dom,
      daysInMonth: inMonth,
      dailyAvgCents: Math.round(mtd / dom),
      projectedCents: Math.round((mtd / dom) * inMonth),
      previousCents: prevMtd,
      trendPct: trend(mtd, prevMtd),
    },
    wtd: {
      cents: wtd,
      days: weekday + 1,
      sales: sum('purchases', weekStart, today),
      dailyAvgCents: Math.round(wtd / (weekday + 1)),
      projectedCents: Math.round((wtd / (weekday + 1)) * 7),
      previousCents: prevWtd,
      trendPct: trend(wtd, prevWtd),
    },
  };

  const window = (days: number) => ({ from: addDays(today, -(days - 1)), to: today });
  const rate = (days: number) => {
    const w = window(days);
    const purchases = sum('purchases', w.from, w.to);
    const refunds = sum('refunds', w.from, w.to);
    return { purchases, refunds, ratePct: pct(refunds, purchases) };
  };
  const w30 = window(30);
  const refunds30 = sum('refunds', w30.from, w30.to);
  const refunds = {
    d7: rate(7),
    d30: rate(30),
    approved30d: sum('refunds_approved', w30.from, w30.to),
    denied30d: sum('refunds_denied', w30.from, w30.to),
    avgRefundCents: refunds30 ? Math.round(sum('refunded_cents', w30.from, w30.to) / refunds30) : null,
  };

  // Search volume: the last 30 days, by weekday over the last four full weeks, and by filter.
  const searchesByDay: { day: string; searches: number }[] = [];
  const filters = new Map<string, number>();
  for (let d = w30.from; d <= today; d = addDays(d, 1)) {
    const r = byDay.get(d);
    searchesByDay.push({ day: d, searches: r?.searches ?? 0 });
    for (const [k, n] of Object.entries(r?.search_filters ?? {})) filters.set(k, (filters.get(k) ?? 0) + n);
  }
  const byWeekday = WEEKDAYS.map(() => 0);
  for (let d = addDays(today, -28); d < today; d = addDays(d, 1)) byWeekday[new Date(toMs(d)).getUTCDay()]! += byDay.get(d)?.searches ?? 0;
  const ranked = byWeekday.map((n, i) => ({ weekday: WEEKDAYS[i]!, avg: Math.round(n / 4) })).sort((a, b) => b.avg - a.avg);
  const total30 = sum('searches', w30.from, today);
  // The trend compares whole weeks (the last 7 days against the 7 before), so weekdays weigh the same on both sides.
  const last7 = sum('searches', addDays(today, -6), today);
  const prev7 = sum('searches', addDays(today, -13), addDays(today, -7));
  const sortedFilters = [...filters].map(([filter, count]) => ({ filter, count })).sort((a, b) => b.count - a.count || (a.filter < b.filter ? -1 : 1));
  const search = {
    total30d: total30,
    dailyAvg: Math.round(total30 / 30),
    peak: total30 ? ranked[0]! : null,
    low: total30 ? ranked.at(-1)! : null,
    topFilters: sortedFilters.slice(0, 5),
    leastFilters: sortedFilters.slice(-3).reverse(),
    trendPct: trend(last7, prev7),
  };

  const w90 = window(90);
  const promotions90 = sum('promotions', w90.from, today);
  const queue = {
    avgQueueDays: promotions90 ? Math.round((10 * sum('queue_wait_seconds', w90.from, today)) / promotions90 / 86_400) / 10 : null,
    promotions30d: sum('promotions', w30.from, today),
  };

  const revenueByMonth: { month: string; cents: number }[] = [];
  for (let i = 11; i >= 0; i--) {
    const start = addMonths(monthStart, -i);
    const end = i === 0 ? today : addDays(addMonths(monthStart, -i + 1), -1);
    revenueByMonth.push({ month: start.slice(0, 7), cents: sum('gross_cents', start, end) });
  }
  return { revenue, refunds, search, queue, series: { revenueByMonth, searchesByDay } };
}

export { pct };
