// Reconciliation's "recorded here, never taken by Stripe" fix in SQL
// (mark_payment_failed, migration 3200), against the real database: the
// payment marked failed with the note saying what Stripe said, its placement
// ended and the next purchase in the queue placed, or its queue entry
// cancelled; refusals change nothing; only the server may call it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asRole, failureOf, freshDatabase, operatorClaims, type TestDatabase } from './db.ts';
import { createBusiness, createCouncil, createPayment, createPerson, createPlacement, createQueueEntry } from './fixtures.ts';

let db: TestDatabase;
let owner: string;
beforeAll(async () => {
  db = await freshDatabase();
  owner = await createPerson(db.sql, { email: 'trainer@example.test' });
});
afterAll(async () => {
  await db?.drop();
});

interface Answer {
  outcome: 'applied' | 'refused' | 'not_found';
  reason?: string;
  payment_id?: string;
  council_id?: string;
  amount_cents?: number;
  stripe?: string;
  placement_ended?: boolean;
  left_queue?: boolean;
  promoted?: number;
}

// An hour on: the fixtures' queue entries joined "now", so the queue has settled by then.
const later = () => new Date(Date.now() + 3600_000);

async function markFailed(paymentId: string, stripeStatus: string | null, now: Date): Promise<Answer> {
  const [row] = await db.sql<{ r: Answer }[]>`select public.mark_payment_failed(${paymentId}, ${stripeStatus}, ${now}) as r`;
  return row!.r;
}

async function payment(id: string) {
  const [row] = await db.sql<{ status: string; notes: string | null }[]>`select status, notes from public.payment_audit where id = ${id}`;
  return row!;
}

let council: string;
/** A business in this test's council with a paid placement (active) or a paid queue entry (waiting). */
async function purchase(kind: 'active' | 'waiting', name: string) {
  const business = await createBusiness(db.sql, owner, council, { name });
  const paymentId = await createPayment(db.sql, business, council);
  if (kind === 'active') await createPlacement(db.sql, business, council, paymentId);
  else await createQueueEntry(db.sql, business, council, paymentId);
  return { business, paymentId };
}

beforeEach(async () => {
  council = `c${randomUUID().slice(0, 8)}`;
  await createCouncil(db.sql, council, `Council ${council}`);
});

describe('mark_payment_failed', () => {
  it('ends the placement of a payment Stripe has no charge for, and the next purchase in the queue takes the slot', async () => {
    const failed = await purchase('active', 'Never Paid');
    for (let i = 0; i < 4; i++) await purchase('active', `Full ${i}`);
    const next = await purchase('waiting', 'Next In Line');
    await db.sql`update public.payment_audit set notes = 'charge missing from the Stripe export' where id = ${failed.paymentId}`;
    const now = later();

    expect(await markFailed(failed.paymentId, null, now)).toEqual({
      outcome: 'applied',
      payment_id: failed.paymentId,
      council_id: council,
      amount_cents: 2200,
      stripe: 'no such charge',
      placement_ended: true,
      left_queue: false,
      promoted: 1,
    });
    expect(await payment(failed.paymentId)).toEqual({
      status: 'failed',
      notes: 'charge missing from the Stripe export; marked failed after reconciliation: Stripe has no such charge',
    });
    const [ended] = await db.sql<{ status: string; featured_until: Date }[]>`
      select status, featured_until from public.featured_placements where payment_id = ${failed.paymentId}`;
    expect(ended).toEqual({ status: 'expired', featured_until: now });
    const [promoted] = await db.sql<{ promoted_at: Date | null; status: string | null }[]>`
      select q.promoted_at, fp.status from public.featured_queue q
      left join public.featured_placements fp on fp.id = q.placement_id where q.payment_id = ${next.paymentId}`;
    expect(promoted).toEqual({ promoted_at: now, status: 'active' });
    const [slots] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from public.featured_placements where council_id = ${council} and status = 'active'`;
    expect(slots!.n).toBe(5);
  });

  it('takes a waiting payment Stripe has as failed out of the queue, and places nobody in a full council', async () => {
    for (let i = 0; i < 5; i++) await purchase('active', `Full ${i}`);
    const failed = await purchase('waiting', 'Card Declined');
    const behind = await purchase('waiting', 'Behind It');
    const now = later();

    const answer = await markFailed(failed.paymentId, 'failed', now);
    expect(answer).toMatchObject({ outcome: 'applied', stripe: 'failed', placement_ended: false, left_queue: true, promoted: 0 });
    expect(await payment(failed.paymentId)).toEqual({ status: 'failed', notes: 'marked failed after reconciliation: Stripe has it as failed' });
    const queue = await db.sql<{ payment_id: string; cancelled_at: Date | null; promoted_at: Date | null }[]>`
      select payment_id, cancelled_at, promoted_at from public.featured_queue where council_id = ${council} order by paid_at, payment_id`;
    expect(queue).toEqual([
      { payment_id: failed.paymentId, cancelled_at: now, promoted_at: null },
      { payment_id: behind.paymentId, cancelled_at: null, promoted_at: null },
    ]);
  });

  it.each([
    ['refunded', 'the payment is refunded; only a succeeded payment can be marked failed'],
    ['pending', 'the payment is pending; only a succeeded payment can be marked failed'],
    ['failed', 'the payment is failed; only a succeeded payment can be marked failed'],
  ] as const)('refuses a %s payment and changes nothing', async (status, reason) => {
    const business = await createBusiness(db.sql, owner, council);
    const paymentId = await createPayment(db.sql, business, council, { status });
    expect(await markFailed(paymentId, null, later())).toEqual({ outcome: 'refused', reason });
    expect(await payment(paymentId)).toEqual({ status, notes: null });
  });

  it('refuses a payment Stripe shows as succeeded, keeping its placement', async () => {
    const taken = await purchase('active', 'Really Paid');
    const [ids] = await db.sql<{ charge: string }[]>`select stripe_charge_id as charge from public.payment_audit where id = ${taken.paymentId}`;
    expect(await markFailed(taken.paymentId, 'succeeded', later())).toEqual({
      outcome: 'refused',
      reason: `Stripe shows ${ids!.charge} succeeded ($22.00 AUD): the payment did not fail, so it is not marked`,
    });
    expect(await payment(taken.paymentId)).toEqual({ status: 'succeeded', notes: null });
    const [placement] = await db.sql<{ status: string }[]>`select status from public.featured_placements where payment_id = ${taken.paymentId}`;
    expect(placement!.status).toBe('active');
  });

  it('answers not_found for an unknown payment id', async () => {
    const ghost = randomUUID();
    expect(await markFailed(ghost, null, later())).toEqual({ outcome: 'not_found', reason: `payment ${ghost} does not exist` });
  });

  it('is the server only: the service role may call it, a signed-in operator may not', async () => {
    const failed = await purchase('active', 'Role Check');
    const operator = await createPerson(db.sql, { profileRole: 'operator' });
    await asRole(db.sql, operatorClaims(operator), async (tx) => {
      expect(await failureOf(tx, (sp) => sp`select public.mark_payment_failed(${failed.paymentId}, null, now())`)).toMatch(/permission denied/);
    });
    await asRole(db.sql, { role: 'service_role' }, async (tx) => {
      const [row] = await tx<{ r: Answer }[]>`select public.mark_payment_failed(${failed.paymentId}, null, ${later()}) as r`;
      expect(row!.r.outcome).toBe('applied');
    });
    // asRole rolled the service role's call back.
    expect((await payment(failed.paymentId)).status).toBe('succeeded');
  });
});
