// The metrics snapshot of spec 3.2 (POST /operator/metrics): the daily series
// from the rollup (metrics_series: 25 months of rolled days plus today live),
// today's slots and queues per council, the trainer count, and the AI
// providers' month; periods.ts turns the series into the spec's numbers.
import type { MetricsReport } from '../../../../../shared/api/metrics.ts';
import type { Sql } from '../db.ts';
import { addMonths, melbourneToday, pct, periods, type DayRow } from './periods.ts';

/** Two years back and a month, for the twelve months before the last twelve. */
const SERIES_MONTHS = 25;

/** The snapshot's main aggregate, alone (the benchmark's floor). */
export const readSeries = (sql: Sql, now: Date) =>
  sql<DayRow[]>`
    select to_char(day, 'YYYY-MM-DD') as day, purchases, gross_cents::float8 as gross_cents, refunds, refunded_cents::float8 as refunded_cents,
           refunds_approved, refunds_denied, searches, search_filters, promotions, queue_wait_seconds::float8 as queue_wait_seconds
    from public.metrics_series(${addMonths(melbourneToday(now), -SERIES_MONTHS)}::date, ${now})`;

/** Everything but Stripe's status, which the operator route asks Stripe for (payments/stripe-status.ts). */
export async function metricsSnapshot(sql: Sql, now: Date): Promise<Omit<MetricsReport, 'stripe'>> {
  const today = melbourneToday(now);
  const [rows, councils, [counts], [ai]] = await Promise.all([
    readSeries(sql, now),
    sql<{ councilId: string; name: string; active: number; queued: number; businesses: number }[]>`
      with active as (select council_id, count(*)::int as n from public.featured_placements where status = 'active' group by 1),
           queued as (select council_id, count(*)::int as n from public.featured_queue where promoted_at is null and cancelled_at is null group by 1),
           listed as (select council_id, count(*)::int as n from public.businesses where not deleted group by 1)
      select c.id as "councilId", c.name, coalesce(a.n, 0) as active, coalesce(q.n, 0) as queued, coalesce(l.n, 0) as businesses
      from public.councils c
      left join active a on a.council_id = c.id
      left join queued q on q.council_id = c.id
      left join listed l on l.council_id = c.id`,
    sql<{ slots: number; alert: number }[]>`
      select public.featured_slots_per_council()::int as slots,
             public.refund_rate_red_pct()::float8 as alert`,
    sql<{ s: AiSummary }[]>`select public.ai_provider_summary(${now}) as s`,
  ]);
  const p = periods(rows, today);
  const featured = councils.reduce((n, c) => n + c.active, 0);
  const trainers = councils.reduce((n, c) => n + c.businesses, 0);
  const withBusinesses = councils.filter((c) => c.businesses > 0);
  const queuedTotal = councils.reduce((n, c) => n + c.queued, 0);
  const lastFailure = ai!.s.providers.filter((x) => x.last_failure_at).sort((a, b) => (a.last_failure_at! < b.last_failure_at! ? 1 : -1))[0];
  return {
    asOf: now.toISOString(),
    today,
    revenue: p.revenue,
    adoption: {
      featured,
      trainers,
      ratePct: pct(featured, trainers),
      targetPct: 25,
      slotsPerCouncil: counts!.slots,
      slotsTotal: withBusinesses.length * counts!.slots,
      slotsFilledPct: pct(featured, withBusinesses.length * counts!.slots),
      ...p.queue,
    },
    backlog: {
      total: queuedTotal,
      avgPerCouncil: withBusinesses.length ? Math.round((10 * queuedTotal) / withBusinesses.length) / 10 : 0,
      councils: councils
        .filter((c) => c.active > 0 || c.queued > 0)
        .map(({ councilId, name, active, queued }) => ({ councilId, name, active, queued }))
        .sort((a, b) => b.queued - a.queued || (a.name < b.name ? -1 : 1)),
    },
    refunds: { ...p.refunds, alertPct: counts!.alert },
    search: p.search,
    ai: {
      providers: ai!.s.providers.map((x) => ({
        provider: x.provider,
        calls: x.calls,
        uptimePct: x.uptime_pct === null ? null : Number(x.uptime_pct),
        avgLatencyMs: x.avg_latency_ms === null ? null : Number(x.avg_latency_ms),
        costCents: Number(x.cost_cents),
      })),
      lastIncident: lastFailure ? { provider: lastFailure.provider, at: new Date(lastFailure.last_failure_at!).toISOString() } : null,
      spentCents: Number(ai!.s.spent_cents),
      budgetCents: Number(ai!.s.budget_cents),
    },
    series: p.series,
  };
}

interface AiSummary {
  spent_cents: number | string;
  budget_cents: number | string;
  providers: {
    provider: string;
    calls: number;
    uptime_pct: number | string | null;
    avg_latency_ms: number | string | null;
    cost_cents: number | string;
    last_failure_at: string | null;
  }[];
}
