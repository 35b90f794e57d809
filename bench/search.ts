// Bench: public search at 50 concurrent clients on loopback, through the
// gateway and Deno, against the same queries run straight through the
// Postgres client (the floor). Goal ≥ 1,000 req/s, p95 ≤ 30 ms, ratio ≤ 1.5×.
import type { Sql } from 'postgres';
import { rng } from '../e2e/malformed.ts';
import { formatLoad, runLoad } from './stats.ts';

interface Query {
  council?: string;
  ageSpecialties?: string[];
  behaviorIssues?: string[];
  q?: string;
  limit: number;
}

async function queryMix(sql: Sql, count: number): Promise<Query[]> {
  const councils = (await sql<{ id: string }[]>`select id from public.councils order by id`).map((r) => r.id);
  const ages = (await sql<{ v: string }[]>`select distinct unnest(age_specialties) as v from public.businesses limit 20`).map((r) => r.v);
  const issues = (await sql<{ v: string }[]>`select distinct unnest(behavior_issues) as v from public.businesses limit 30`).map((r) => r.v);
  const r = rng(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: count }, () => {
    const query: Query = { limit: 20 };
    const kind = r();
    if (kind < 0.85) query.council = pick(councils);
    if (r() < 0.5 && ages.length) query.ageSpecialties = [pick(ages)];
    if (r() < 0.4 && issues.length) query.behaviorIssues = [pick(issues)];
    if (r() < 0.1) query.q = pick(['puppy', 'reactive', 'calm', 'recall', 'melbourne']);
    return query;
  });
}

export async function benchSearch(sql: Sql, functionsUrl: string, requests = 10_000, clients = 50): Promise<string[]> {
  const queries = await queryMix(sql, requests);
  // Warm both paths (plans, connections) before measuring.
  await runLoad(
    500,
    clients,
    async (i) =>
      (await fetch(`${functionsUrl}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(queries[i]) })).ok,
  );
  const floor = await runLoad(requests, clients, async (i) => {
    const q = queries[i]!;
    await sql`select * from public.search_businesses(${q.council ?? null}, ${q.ageSpecialties ?? null}, ${q.behaviorIssues ?? null}, null, ${q.q ?? null}, null, null, null, ${q.limit})`;
    return true;
  });
  const fn = await runLoad(requests, clients, async (i) => {
    const res = await fetch(`${functionsUrl}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(queries[i]) });
    await res.arrayBuffer();
    return res.ok;
  });
  return [
    formatLoad('search: SQL straight through postgres (floor)', floor),
    formatLoad(`search: HTTP via gateway + Deno (${clients} clients)`, fn),
    `search ratio to floor: p95 ${(fn.p95 / floor.p95).toFixed(2)}×, throughput ${(floor.perSecond / fn.perSecond).toFixed(2)}× (goals: ≥ 1,000 req/s, p95 ≤ 30 ms, ≤ 1.5×)`,
  ];
}
