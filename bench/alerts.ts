// Bench: the alerts refresh on the large seed (1,000,000 payments), as the
// scheduler runs it: the RED rules every 30 s, all of them every minute.
// Its cost is background load on every other function, so it is printed as
// a share of one core at the production schedule.
import type { Sql } from 'postgres';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchAlerts(sql: Sql): Promise<string[]> {
  const time = async (scope: 'red' | 'all') => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await sql`select public.refresh_alerts(${scope})`;
      runs.push(performance.now() - t);
    }
    return runs;
  };
  await sql`select public.refresh_alerts('all')`; // warm
  const red = await time('red');
  const all = await time('all');
  // Per minute: two RED refreshes and one refresh of all the rules.
  const perMinute = 2 * median(red) + median(all);
  return [
    `alerts refresh, RED rules: median ${median(red).toFixed(0)} ms (${red.map((x) => x.toFixed(0)).join(', ')})`,
    `alerts refresh, all rules: median ${median(all).toFixed(0)} ms (${all.map((x) => x.toFixed(0)).join(', ')})`,
    `  at the production schedule: ${perMinute.toFixed(0)} ms of database time a minute, ${((perMinute / 60_000) * 100).toFixed(2)} % of one core`,
  ];
}
