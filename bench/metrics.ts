// Bench: the metrics snapshot of spec 3.2 on the large seed (issue 12: ≤ 100 ms,
// and within 2× of the one aggregate it needs most). The floor, in the same
// run: metrics_series alone (25 months of rolled days plus today live). Also
// printed: the daily rollup the job runs (35 days again), and what the series
// would cost without the rollup (25 months scanned live), for scale.
import type { Sql } from 'postgres';
import { metricsSnapshot, readSeries } from '../server-functions/supabase/functions/_shared/metrics/snapshot.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');

export async function benchMetrics(sql: Sql, runs = 9): Promise<string[]> {
  const time = async (fn: () => Promise<unknown>, n = runs) => {
    await fn(); // warm
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await fn();
      out.push(performance.now() - t);
    }
    return out;
  };
  const now = new Date();
  // Interleaved, so both see the same machine.
  const snapshot: number[] = [];
  const series: number[] = [];
  for (let i = 0; i < runs; i++) {
    series.push(...(await time(() => readSeries(sql, now), 1)));
    snapshot.push(...(await time(() => metricsSnapshot(sql, now), 1)));
  }
  const rollup = await time(() => sql`select public.rollup_metrics(${now})`, 3);
  const live = await time(() => sql`select count(*) from public.metrics_days((now() - interval '25 months')::date, now())`, 1);
  const m = await metricsSnapshot(sql, now);
  return [
    `metrics snapshot (large): median ${median(snapshot).toFixed(0)} ms (runs ${list(snapshot)}), LTM ${Math.round(m.revenue.ltm.cents / 100).toLocaleString('en-AU')} AUD, ${m.backlog.total} queued (goal ≤ 100 ms)`,
    `metrics floor, metrics_series alone: median ${median(series).toFixed(0)} ms (runs ${list(series)}); ratio ${(median(snapshot) / median(series)).toFixed(2)}× (goal ≤ 2×)`,
    `metrics daily rollup (35 days again): median ${median(rollup).toFixed(0)} ms; the same 25 months without the rollup: ${median(live).toFixed(0)} ms`,
  ];
}
