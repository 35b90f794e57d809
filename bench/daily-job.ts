// Bench: the daily job (public.expire_and_promote) over 10,000 expiring
// placements in 500 councils, each with a queue to promote. Goal ≤ 1 s
// (issue 22). The queue entries joined days ago, as they have in production
// by 2 AM: the promoter skips a council whose queue something joined within
// the settle period (promotion_settle_seconds), so entries made "now" would
// measure expiry alone. It prints what it expired and promoted, and says so
// loudly when either is 0.
import type { Sql } from 'postgres';

export async function benchDailyJob(sql: Sql): Promise<string[]> {
  await sql.begin(async (tx) => {
    await tx`insert into auth.users (id, email) select gen_random_uuid(), 'bench-job-owner@example.test' on conflict do nothing`;
    const [owner] = await tx<{ id: string }[]>`select id from auth.users where email = 'bench-job-owner@example.test'`;
    await tx`insert into public.profiles (id, role, email) values (${owner!.id}, 'trainer', 'bench-job-owner@example.test') on conflict do nothing`;
    await tx`insert into public.councils (id, name) select 'bench-' || g, 'Bench council ' || g from generate_series(1, 500) g on conflict do nothing`;
    // 30 businesses per council: 20 with an expiring placement, 10 queued.
    await tx`
      insert into public.businesses (owner_id, council_id, name, age_specialties, behavior_issues)
      select ${owner!.id}, 'bench-' || c, 'Bench business ' || c || '-' || b, '{adult}', '{pulling}'
      from generate_series(1, 500) c, generate_series(1, 30) b`;
    await tx`
      insert into public.payment_audit (business_id, council_id, stripe_charge_id, amount_cents, status, paid_at)
      select b.id, b.council_id, 'ch_bench_' || b.id, 2200, 'succeeded', now() - interval '40 days' + (row_number() over ()) * interval '1 second'
      from public.businesses b where b.council_id like 'bench-%'`;
    await tx`
      with ranked as (
        select pa.id as payment_id, pa.business_id, pa.council_id, pa.paid_at,
               row_number() over (partition by pa.council_id order by pa.paid_at) as n
        from public.payment_audit pa where pa.council_id like 'bench-%')
      insert into public.featured_placements (business_id, council_id, payment_id, featured_from, featured_until)
      select business_id, council_id, payment_id, now() - interval '31 days', now() - interval '1 hour' from ranked where n <= 20`;
    await tx`
      with ranked as (
        select pa.id as payment_id, pa.business_id, pa.council_id, pa.paid_at,
               row_number() over (partition by pa.council_id order by pa.paid_at) as n
        from public.payment_audit pa where pa.council_id like 'bench-%')
      insert into public.featured_queue (business_id, council_id, payment_id, paid_at, created_at)
      select business_id, council_id, payment_id, paid_at, paid_at from ranked where n > 20`;
  });
  await sql`analyze`;
  const started = performance.now();
  const [row] = await sql<{ r: { expired: number; promoted: number; councils: number } }[]>`select public.expire_and_promote(now()) as r`;
  const seconds = (performance.now() - started) / 1000;
  const r = row!.r;
  const lines = [`daily job: expired ${r.expired}, promoted ${r.promoted} across ${r.councils} councils in ${seconds.toFixed(2)} s  (goal ≤ 1 s)`];
  if (r.expired === 0 || r.promoted === 0) lines.push(`DAILY JOB BENCH DID NO ${r.expired === 0 ? 'EXPIRY' : 'PROMOTION'}: the figure above measures nothing`);
  return lines;
}
