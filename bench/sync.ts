// Bench: the console's sync against the stack (gateway + Deno operator
// function + Postgres) on the large seed.
//   cold pull of 10,000 pending reviews + 1,000 refund requests into a new SQLite file
//     (goal ≤ 600 ms and ≤ 2× the floor: the same rows read straight from
//     Postgres and inserted into SQLite in one transaction, in this run)
//   incremental pull of 100 changes (goal ≤ 100 ms)
//   push of 1,000 commands, applied exactly once (goal ≤ 1 s)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sql } from 'postgres';
import { openConsole } from '../main/console/open.ts';
import { openLocalDatabase } from '../main/store/db.ts';
import { operatorToken } from '../e2e/stack.ts';

const REVIEWS = 10_000;
const REFUNDS = 1_000;
const ms = (t: number) => `${t.toFixed(0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Exactly 10,000 pending reviews and 1,000 pending refund requests, whatever the seed left pending. */
export async function prepare(sql: Sql) {
  const [{ n: businesses }] = await sql<[{ n: number }]>`select count(*)::int as n from public.businesses`;
  await sql`update public.reviews set status = 'approved' where status = 'pending'`;
  await sql`update public.refund_requests set status = 'denied', decided_at = now() where status = 'pending'`;
  await sql`
    insert into public.reviews (business_id, rating, body, display_name, status, ai_confidence, ai_flags)
    select b.id, 1 + (g % 5), 'Bench review number ' || g || ': clear, kind and patient with our reactive rescue dog.',
           'Owner ' || g, 'pending', round((random() * 0.5 + 0.5)::numeric, 3), '{}'
    from generate_series(1, ${REVIEWS}) g
    join lateral (select id from public.businesses offset (g * 7) % ${businesses} limit 1) b on true`;
  await sql`
    insert into public.refund_requests (payment_id, business_id, requested_by, requested_at, reason)
    select pa.id, pa.business_id, b.owner_id, pa.paid_at + interval '1 hour', 'Bench refund request'
    from public.payment_audit pa join public.businesses b on b.id = pa.business_id
    where pa.status = 'succeeded'
      and not exists (select 1 from public.refund_requests rr where rr.payment_id = pa.id and rr.status = 'pending')
    limit ${REFUNDS}`;
  await sql`analyze public.reviews`;
  await sql`analyze public.refund_requests`;
}

/** The floor: the same rows straight from Postgres into SQLite, one transaction. */
async function floor(sql: Sql, path: string): Promise<number> {
  const db = openLocalDatabase(path);
  const t = performance.now();
  const reviews = await sql`
    select r.*, b.name as business_name from public.reviews r join public.businesses b on b.id = r.business_id where r.status = 'pending'`;
  const refunds = await sql`
    select rr.*, pa.amount_cents, pa.paid_at, b.name as business_name from public.refund_requests rr
    join public.payment_audit pa on pa.id = rr.payment_id join public.businesses b on b.id = rr.business_id where rr.status = 'pending'`;
  const insert = db.prepare('insert into items (kind, id, business_id, status, version, data, fetched_at) values (?, ?, ?, ?, ?, ?, ?)');
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const r of reviews) insert.run('review', r.id, r.business_id, r.status, r.version, JSON.stringify(r), now);
    for (const r of refunds) insert.run('refund', r.id, r.business_id, r.status, r.version, JSON.stringify(r), now);
  })();
  const elapsed = performance.now() - t;
  db.close();
  return elapsed;
}

export async function benchSync(sql: Sql, info: { API_URL: string; ANON_KEY: string; OPERATOR_EMAIL: string; OPERATOR_PASSWORD: string }): Promise<string[]> {
  await prepare(sql);
  const token = await operatorToken(info);
  const dir = await mkdtemp(join(tmpdir(), 'dtd-bench-sync-'));
  const open = (name: string, batchSize = 1000) =>
    openConsole({
      dbPath: join(dir, name),
      apiUrl: info.API_URL,
      anonKey: info.ANON_KEY,
      getAccessToken: async () => token,
      engine: { batchSize },
    });
  try {
    // Warm the function and the database once, then measure three cold pulls and three floors.
    const warm = open('warm.sqlite');
    await warm.api.syncNow();
    await warm.close();
    const cold: number[] = [];
    const floors: number[] = [];
    let pulledReviews = 0;
    let pulledRefunds = 0;
    for (let i = 0; i < 3; i++) {
      floors.push(await floor(sql, join(dir, `floor${i}.sqlite`)));
      const c = open(`cold${i}.sqlite`);
      const t = performance.now();
      await c.api.syncNow();
      cold.push(performance.now() - t);
      pulledReviews = (await c.api.reviews()).length;
      pulledRefunds = (await c.api.refunds()).length;
      await c.close();
    }

    const app = open('main.sqlite');
    await app.api.syncNow();
    const incremental: number[] = [];
    for (let i = 0; i < 5; i++) {
      await sql`update public.reviews set ai_flags = '{spam}' where id in (
                  select id from public.reviews where status = 'pending' order by created_at, id offset ${i * 100} limit 100)`;
      const t = performance.now();
      const report = await app.api.syncNow();
      incremental.push(performance.now() - t);
      if (report.pulled < 100) throw new Error(`incremental pull brought ${report.pulled} items, expected ≥ 100`);
    }

    const pending = (await app.api.reviews()).slice(0, 1000);
    for (const r of pending) await app.api.decideReview(r.id, { kind: 'approve' });
    const before = (await sql<{ n: number }[]>`select count(*)::int as n from public.operator_commands`)[0]!.n;
    const t = performance.now();
    const batch = app.store.claimBatch(1000);
    const answer = await app.transport.push(batch);
    const pushMs = performance.now() - t;
    app.store.settle(answer.results, () => 0);
    const applied = answer.results.filter((r) => r.status === 'applied').length;
    const replay = await app.transport.push(batch);
    const after = (await sql<{ n: number }[]>`select count(*)::int as n from public.operator_commands`)[0]!.n;
    await app.close();

    const coldMs = median(cold);
    const floorMs = median(floors);
    return [
      `sync: cold pull of ${pulledReviews.toLocaleString('en-AU')} reviews + ${pulledRefunds.toLocaleString('en-AU')} refund requests into SQLite: median ${ms(coldMs)} (runs ${cold.map(ms).join(', ')}; goal ≤ 600 ms)`,
      `sync: floor (same rows straight from Postgres into SQLite, one transaction): median ${ms(floorMs)}; ratio ${(coldMs / floorMs).toFixed(2)}× (goal ≤ 2×)`,
      `sync: incremental pull of 100 changes: median ${ms(median(incremental))} (runs ${incremental.map(ms).join(', ')}; goal ≤ 100 ms)`,
      `sync: push of ${batch.length} commands: ${ms(pushMs)}, ${applied} applied, ${after - before} stored; replay → ${replay.results.filter((r) => r.status === 'duplicate').length} duplicates (goal ≤ 1 s, exactly once)`,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
