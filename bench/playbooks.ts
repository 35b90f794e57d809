// Bench: the playbooks' evidence reads (issue 19: ≤ 150 ms each, and within
// 2× of its main query in the same run) on the large seed, with each
// playbook's condition planted as production would have it: a month of Z.AI
// calls and triage calls (one a minute) ending in 35 minutes of failures, a
// year of daily-job runs ending in one that failed all 5 attempts, and three
// orphaned charges among the 1,000,000 payments (Stripe asked about each,
// the stack's Stripe double answering). The floors, interleaved with the
// reads: the health records' failure streak (refresh_ai_alerts' definition),
// the orphaned_payments view, and the last failed run.
import type { Sql } from 'postgres';
import type { PlaybookRun } from '../shared/api/playbooks.ts';
import { DAILY_JOB } from '../shared/jobs/schedule.ts';
import { readRun } from '../server-functions/supabase/functions/_shared/incidents/run.ts';
import { readCronEvidence, readCronRow } from '../server-functions/supabase/functions/_shared/playbooks/cron.ts';
import { readSignal } from '../server-functions/supabase/functions/_shared/playbooks/signal.ts';
import { readOrphans, readWebhookEvidence } from '../server-functions/supabase/functions/_shared/playbooks/webhook.ts';
import { readZaiEvidence } from '../server-functions/supabase/functions/_shared/playbooks/zai.ts';
import { createStripe } from '../server-functions/supabase/functions/_shared/stripe.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
const ORPHANS = 3;

async function plant(sql: Sql): Promise<{ orphanIds: string[] }> {
  await sql`delete from public.ai_provider_health`;
  await sql`delete from public.triage_logs`;
  // A month of Z.AI calls, one a minute, good until 35 minutes ago, failing since.
  await sql`
    insert into public.ai_provider_health (provider, checked_at, ok, latency_ms, error, cost_cents)
    select 'z_ai', now() - make_interval(mins => m), m > 35, case when m > 35 then 800 end,
           case when m <= 35 then 'z_ai timeout: no answer within 3000 ms' end, case when m > 35 then 0.1 else 0 end
    from generate_series(1, 30 * 1440) m`;
  await sql`
    insert into public.triage_logs (occurred_at, provider, category, latency_ms, cost_cents, fell_back, error)
    select now() - make_interval(mins => m), case when m > 35 then 'z_ai' else 'deterministic' end, 'normal', 900,
           case when m > 35 then 0.1 else 0 end, false, null
    from generate_series(1, 30 * 1440) m`;
  // A year of daily runs, then today's failing all 5 attempts (a database timeout).
  await sql`
    insert into public.cron_jobs (job_name, run_id, attempt, max_attempts, trigger, started_at, finished_at, duration_ms, status, result)
    select ${DAILY_JOB}, gen_random_uuid(), 1, 5, 'schedule', now() - make_interval(days => d), now() - make_interval(days => d) + interval '2 seconds',
           2000, 'success', '{"expired": 3, "promoted": 3}'::jsonb
    from generate_series(1, 365) d`;
  await sql`
    with run as (select gen_random_uuid() as id)
    insert into public.cron_jobs (job_name, run_id, attempt, max_attempts, trigger, started_at, finished_at, duration_ms, status, error)
    select ${DAILY_JOB}, run.id, a, 5, 'schedule', now() - interval '2 hours' + make_interval(mins => a), now() - interval '2 hours' + make_interval(mins => a, secs => 30),
           30000, 'failure', 'canceling statement due to statement timeout'
    from run, generate_series(1, 5) a`;
  // Three charges the webhook missed: paid, no placement, no queue entry.
  const orphans = await sql<{ id: string }[]>`
    insert into public.payment_audit (business_id, council_id, stripe_charge_id, amount_cents, status, paid_at)
    select b.id, b.council_id, 'ch_bench_orphan_' || b.n, 2200, 'succeeded', now() - make_interval(hours => b.n * 10)
    from (select id, council_id, (row_number() over (order by id))::int as n from public.businesses where not deleted order by id limit ${ORPHANS}) b
    returning id`;
  await sql`analyze public.ai_provider_health, public.triage_logs, public.cron_jobs, public.payment_audit`;
  return { orphanIds: orphans.map((o) => o.id) };
}

async function openRun(sql: Sql, playbook: string): Promise<PlaybookRun> {
  await sql`delete from public.incidents where playbook = ${playbook} and status = 'draft'`;
  const [row] = await sql<{ id: string }[]>`
    insert into public.incidents (title, severity, kind, started_at, playbook, signal_kind, signal_id, status)
    values (${`Bench ${playbook}`}, 'RED', ${playbook}, now(), ${playbook}, 'palette', null, 'draft') returning id`;
  const run = await readRun(sql as never, row!.id, new Date());
  if (!run) throw new Error(`the ${playbook} run was not read back`);
  return run;
}

export async function benchPlaybooks(sql: Sql, stripeApiBase: string | undefined, runs = 9): Promise<string[]> {
  const timed = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const db = sql as never;
  const stripe = createStripe('sk_test_bench', stripeApiBase);
  const { orphanIds } = await plant(sql);
  const lines: string[] = [];
  try {
    const [zaiRun, webhookRun] = [await openRun(sql, 'zai_down'), await openRun(sql, 'webhook_failed')];
    await openRun(sql, 'cron_failed');
    const now = () => new Date();
    const zaiSignal = await readSignal(db, zaiRun);
    const reads = {
      zai: () => readZaiEvidence(db, zaiRun, zaiSignal, now()),
      webhook: () => readWebhookEvidence(db, stripe, webhookRun, now()),
      cron: () => readCronEvidence(db, now()),
    };
    // Each read's main query, alone.
    const floors = {
      zai: () => sql`
        with last_ok as (select max(checked_at) as at from public.ai_provider_health where provider = 'z_ai' and ok)
        select min(h.checked_at), count(*) from public.ai_provider_health h, last_ok
        where h.provider = 'z_ai' and not h.ok and (last_ok.at is null or h.checked_at > last_ok.at)`,
      // Playbook 2's irreducible work: its orphans query, and Stripe asked about each (the evidence asks in parallel, as here).
      webhook: async () => {
        const orphans = await readOrphans(db);
        await Promise.all(orphans.map((o) => (o.charge ? stripe.charges.retrieve(o.charge).catch(() => null) : null)));
      },
      // Playbook 3's read is one statement: the floor is that statement alone, without the words and advice around it.
      cron: () => readCronRow(db, now()),
    };
    const names = ['zai', 'webhook', 'cron'] as const;
    // Warm, and check each read found its planted condition: a bench that did no work must say so.
    const zai = await reads.zai();
    const webhook = await reads.webhook();
    const cron = await reads.cron();
    for (const n of names) await floors[n]();
    const found = {
      zai:
        zai.failedCalls > 0
          ? `failing ${zai.minutesFailing} min, ${zai.failedCalls} failed calls, ${zai.callsAvoided} calls avoided → ${zai.recommendation}`
          : null,
      webhook:
        webhook.orphans.length >= ORPHANS
          ? `${webhook.orphans.length} orphaned charges, Stripe asked about each (${webhook.orphans.filter((o) => o.stripeError).length} unknown to it)`
          : null,
      cron: cron.lastFailure ? `last failure ${cron.lastFailure.attempts} attempts, class ${cron.errorClass}, impact ${JSON.stringify(cron.impact)}` : null,
    };
    const times = { zai: [] as number[], webhook: [] as number[], cron: [] as number[] };
    const floorTimes = { zai: [] as number[], webhook: [] as number[], cron: [] as number[] };
    for (let i = 0; i < runs; i++) {
      for (const n of names) {
        floorTimes[n].push(await timed(floors[n]));
        times[n].push(await timed(reads[n]));
      }
    }
    for (const n of names) {
      if (!found[n]) {
        lines.push(`!!! playbook ${n} evidence: DID NO WORK (the planted condition was not found); its figures mean nothing`);
        continue;
      }
      const read = median(times[n]);
      const floor = median(floorTimes[n]);
      lines.push(`playbook ${n} evidence (large): median ${read.toFixed(0)} ms (runs ${list(times[n])}) — ${found[n]} (goal ≤ 150 ms)`);
      lines.push(`  floor, its main query alone: median ${floor.toFixed(1)} ms (runs ${list(floorTimes[n])}); ratio ${(read / floor).toFixed(2)}× (goal ≤ 2×)`);
    }
  } finally {
    await sql`delete from public.incidents where title like 'Bench %' and status = 'draft'`.catch(() => undefined);
    await sql`delete from public.payment_audit where id = any(${orphanIds}::uuid[])`.catch(() => undefined);
  }
  return lines;
}
