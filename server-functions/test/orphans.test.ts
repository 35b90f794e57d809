// public.orphaned_payments read from public.unplaced_payments (migration
// 3500): the same answer as the old anti-join over every payment, in every
// way a payment can be written, so the RED alert and playbook 2 see exactly
// the orphans they saw before, without reading the history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './db.ts';
import { createBusiness, createCouncil, createPayment, createPerson, createPlacement, createQueueEntry } from './fixtures.ts';

let db: TestDatabase;
let business: string;
beforeAll(async () => {
  db = await freshDatabase();
  await createCouncil(db.sql, 'yarra');
  business = await createBusiness(db.sql, await createPerson(db.sql), 'yarra');
});
afterAll(async () => {
  await db?.drop();
});

/** The definition as migration 2400 wrote it: every payment, anti-joined. */
const byDefinition = async () =>
  (
    await db.sql<{ id: string }[]>`
      select pa.id from public.payment_audit pa
      where pa.status = 'succeeded' and pa.held_reason is null
        and not exists (select 1 from public.featured_placements fp where fp.payment_id = pa.id)
        and not exists (select 1 from public.featured_queue q where q.payment_id = pa.id)
      order by pa.id`
  ).map((r) => r.id);
const fromView = async () => (await db.sql<{ id: string }[]>`select payment_id as id from public.orphaned_payments order by payment_id`).map((r) => r.id);
const unplaced = async () => (await db.sql<{ id: string }[]>`select payment_id as id from public.unplaced_payments`).map((r) => r.id);

describe('orphaned payments, found among the unplaced', () => {
  it('answers what the anti-join over every payment answers, however the payment and its placement were written', async () => {
    // Paid, then placed or queued in a later statement (the promoter, the operator's activation).
    const placedLater = await createPayment(db.sql, business, 'yarra');
    await createPlacement(db.sql, business, 'yarra', placedLater);
    const queuedLater = await createPayment(db.sql, business, 'yarra');
    await createQueueEntry(db.sql, business, 'yarra', queuedLater);
    // Paid and queued in one statement, as the webhook writes them.
    const [oneStatement] = await db.sql<{ id: string }[]>`
      with p as (
        insert into public.payment_audit (business_id, council_id, stripe_payment_intent_id, stripe_charge_id, amount_cents, status, paid_at)
        values (${business}, 'yarra', 'pi_one_statement', 'ch_one_statement', 2200, 'succeeded', now()) returning id
      ), q as (
        insert into public.featured_queue (business_id, council_id, payment_id, paid_at) select ${business}, 'yarra', p.id, now() from p
      )
      select id from p`;
    // Paid and got nothing: the orphan. Then one pending that later succeeds without a placement.
    const orphan = await createPayment(db.sql, business, 'yarra');
    const pendingThenPaid = await createPayment(db.sql, business, 'yarra', { status: 'pending' });
    expect(await unplaced()).not.toContain(pendingThenPaid);
    await db.sql`update public.payment_audit set status = 'succeeded', paid_at = now() where id = ${pendingThenPaid}`;
    // An orphan refunded, and one held back (a second placement for one business): neither is an orphan.
    const refunded = await createPayment(db.sql, business, 'yarra');
    await db.sql`update public.payment_audit set status = 'refunded', refunded_at = now() where id = ${refunded}`;
    const held = await createPayment(db.sql, business, 'yarra');
    await db.sql`update public.payment_audit set held_reason = 'second placement for one business' where id = ${held}`;

    expect(await fromView()).toEqual(await byDefinition());
    expect(new Set(await fromView())).toEqual(new Set([orphan, pendingThenPaid]));
    // Only the payments that were ever unplaced are candidates: placed ones never are.
    expect(await unplaced()).not.toContain(placedLater);
    expect(await unplaced()).not.toContain(queuedLater);
    expect(await unplaced()).not.toContain(oneStatement!.id);

    // The orphan activated: its placement takes it off the candidates and out of the view.
    await createPlacement(db.sql, business, 'yarra', orphan);
    expect(await unplaced()).not.toContain(orphan);
    expect(await fromView()).toEqual([pendingThenPaid]);
    expect(await fromView()).toEqual(await byDefinition());
  });

  it('notes them again set-based after a load with triggers off (the large seed), and only the server may', async () => {
    await db.sql`delete from public.unplaced_payments`;
    expect(await fromView()).toEqual([]);
    const [noted] = await db.sql<{ n: number }[]>`select public.renote_unplaced_payments() as n`;
    expect(noted!.n).toBe((await byDefinition()).length);
    expect(await fromView()).toEqual(await byDefinition());
    // Again: nothing new to note.
    expect((await db.sql<{ n: number }[]>`select public.renote_unplaced_payments() as n`)[0]!.n).toBe(0);
  });
});
