// Playbook 5's condition: the 7-day refund rate past the 15 % line, one new
// trainer among the refunders having refunded every purchase (two in three
// days: the pattern step 2 looks for). Each refund is what an approved
// request leaves behind: the payment refunded and the request approved.
import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { openAlerts, refreshAlerts, type DemoStack, type OpenAlert } from './context.ts';
import { newTrainer } from './trainers.ts';

export interface RefundsPlant {
  /** The new trainer who refunded both purchases. */
  repeat: { ownerId: string; businessId: string; name: string };
  /** One-off refunders added to pass the line. */
  oneOffs: number;
  /** New refunded purchases in all. */
  refunds: number;
  rate: { ratePct: number; refunds: number; purchases: number };
  alerts: OpenAlert[];
}

const REASONS = ['No new clients', 'Changed my mind', 'Not worth it for me'];

/** A trainer listed `listedDaysAgo` days ago who bought `count` placements two days ago, each refunded yesterday after an approved request. */
async function refunder(sql: postgres.Sql, name: string, councilId: string, count: number, listedDaysAgo: number, reason: string) {
  const trainer = await newTrainer(sql, name, councilId, listedDaysAgo);
  for (let i = 0; i < count; i++) {
    const [p] = await sql<{ id: string }[]>`
      insert into public.payment_audit (business_id, council_id, stripe_payment_intent_id, stripe_charge_id, amount_cents, status, paid_at, refunded_at,
                                        stripe_refund_id)
      values (${trainer.businessId}, ${councilId}, ${`pi_${randomUUID().replaceAll('-', '')}`}, ${`ch_${randomUUID().replaceAll('-', '')}`}, 2200,
              'refunded', now() - interval '2 days' + make_interval(mins => ${i * 90}), now() - interval '1 day' + make_interval(mins => ${i * 90}),
              ${`re_${randomUUID().replaceAll('-', '')}`})
      returning id`;
    await sql`insert into public.refund_requests (payment_id, business_id, requested_by, reason, status, decided_at)
              values (${p!.id}, ${trainer.businessId}, ${trainer.ownerId}, ${reason}, 'approved', now() - interval '1 day' + make_interval(mins => ${i * 90}))`;
  }
  return trainer;
}

const rateNow = async (sql: postgres.Sql) =>
  (
    await sql<{ ratePct: number; refunds: number; purchases: number }[]>`
    select rate_pct::float8 as "ratePct", refunds, purchases from public.refund_rate_7d()`
  )[0]!;

export async function plantRefundRate(stack: DemoStack): Promise<RefundsPlant> {
  const { sql } = stack;
  const [council] = await sql<{ id: string }[]>`select id from public.councils order by id = 'yarra' desc, id limit 1`;
  const repeat = await refunder(sql, 'Riley Repeat', council!.id, 2, 3, 'No new clients');
  // One-off refunds until the rate is over 16 %, whatever the week already holds: each adds one refund and one purchase.
  const before = await rateNow(sql);
  const more = Math.max(1, Math.ceil((0.16 * before.purchases - before.refunds) / 0.84));
  for (let i = 0; i < more; i++) await refunder(sql, `One-off Refunder ${i + 1}`, council!.id, 1, 60, REASONS[i % REASONS.length]!);
  await refreshAlerts(stack);
  return {
    repeat: { ownerId: repeat.ownerId, businessId: repeat.businessId, name: repeat.name },
    oneOffs: more,
    refunds: 2 + more,
    rate: await rateNow(sql),
    alerts: await openAlerts(stack, ['refund_rate']),
  };
}
