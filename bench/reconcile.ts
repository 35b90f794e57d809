// Bench: payment reconciliation over 7 days with 2,000 charges in the Stripe
// double (issue 12: ≤ 2 s), in a scratch database on the bench's server so
// the charges are exactly those. Floor, in the same run: listing the 2,000
// charges alone (20 pages through the SDK), the part no implementation avoids.
import { randomUUID } from 'node:crypto';
import postgres, { type Sql } from 'postgres';
import { startStripeDouble } from '../server-functions/local/doubles/stripe.ts';
import { prepareDatabase } from '../server-functions/local/stack/database.ts';
import { runReconciliation } from '../server-functions/supabase/functions/_shared/reconcile/reconcile.ts';
import { createStripe } from '../server-functions/supabase/functions/_shared/stripe.ts';
import { createBusiness, createCouncil, createPerson } from '../server-functions/test/fixtures.ts';

export async function benchReconcile(adminUrl: string, charges = 2000, runs = 5): Promise<string[]> {
  const name = `bench_reconcile_${randomUUID().slice(0, 8)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  const url = adminUrl.replace(/\/[^/]+$/, `/${name}`);
  const double = await startStripeDouble();
  let sql: Sql | null = null;
  try {
    await prepareDatabase(url);
    sql = postgres(url, { max: 4, onnotice: () => undefined });
    await createCouncil(sql, 'bench', 'Bench');
    const b = { id: await createBusiness(sql, await createPerson(sql), 'bench', { name: 'Bench Dogs' }) };
    const now = Date.now();
    const rows = Array.from({ length: charges }, (_, i) => {
      const created = new Date(now - Math.floor(((i + 1) / (charges + 1)) * 7 * 86_400_000));
      const paid = double.createPaidCharge({ amount: 2200, currency: 'aud', created, emitEvents: false, metadata: { business_id: b.id } });
      return {
        business_id: b.id,
        council_id: 'bench',
        stripe_charge_id: paid.charge.id,
        stripe_payment_intent_id: paid.paymentIntent.id,
        amount_cents: 2200,
        currency: 'aud',
        status: 'succeeded',
        paid_at: created,
      };
    });
    for (let i = 0; i < rows.length; i += 500) await sql`insert into public.payment_audit ${sql(rows.slice(i, i + 500) as never)}`;
    await sql`analyze public.payment_audit`;
    const stripe = createStripe('sk_test_bench', double.url);

    const floor: number[] = [];
    const full: number[] = [];
    let matched = 0;
    for (let r = 0; r < runs; r++) {
      let t = performance.now();
      let n = 0;
      for await (const _ of stripe.charges.list({ created: { gte: Math.floor((Date.now() - 7 * 86_400_000) / 1000) }, limit: 100 })) n++;
      floor.push(performance.now() - t);
      t = performance.now();
      const run = await runReconciliation(sql, stripe, { now: new Date(), trigger: 'manual', operatorId: null });
      full.push(performance.now() - t);
      matched = run.matched;
      if (n !== charges) throw new Error(`bench: listed ${n} charges, expected ${charges}`);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return [
      `reconciliation, 7 days, ${charges} charges in the Stripe double: median ${median(full).toFixed(0)} ms (runs ${full.map((x) => x.toFixed(0)).join(', ')} ms), ${matched} matched (goal ≤ 2 s)`,
      `reconciliation floor, listing the ${charges} charges alone: median ${median(floor).toFixed(0)} ms; ratio ${(median(full) / median(floor)).toFixed(2)}×`,
    ];
  } finally {
    await sql?.end();
    await double.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
