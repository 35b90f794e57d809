// The featured slot rules in SQL, against the real database: FIFO queue,
// slot count, idempotent recording, refunds freeing slots, the daily job's
// concurrency and atomicity, orphaned charges and the refund-abuse guard.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { freshDatabase, type TestDatabase } from './db.ts';
import { createBusiness, createCouncil, createPerson } from './fixtures.ts';

let db: TestDatabase;
let owner: string;
const T0 = new Date('2026-11-20T00:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

beforeAll(async () => {
  db = await freshDatabase();
  owner = await createPerson(db.sql, { email: 'trainer@example.test' });
});
afterAll(async () => {
  await db.drop();
});

let council: string;
beforeEach(async () => {
  council = `c${randomUUID().slice(0, 8)}`;
  await createCouncil(db.sql, council, `Council ${council}`);
});

async function buy(sql: postgres.Sql, businessId: string, paidAt: Date, ids = { pi: `pi_${randomUUID()}`, ch: `ch_${randomUUID()}` }) {
  const [row] = await sql<{ r: { outcome: string; payment_id: string; position?: number } }[]>`
    select public.record_payment_succeeded(${businessId}, 2200, 'aud', ${paidAt}, ${ids.pi}, ${ids.ch}, null, ${paidAt}, ${paidAt}) as r`;
  return row!.r;
}
async function state() {
  const active = await db.sql<{ business_id: string }[]>`
    select business_id from public.featured_placements where council_id = ${council} and status = 'active' order by featured_from, business_id`;
  const waiting = await db.sql<{ business_id: string; paid_at: Date }[]>`
    select business_id, paid_at from public.featured_queue
    where council_id = ${council} and promoted_at is null and cancelled_at is null order by paid_at, payment_id`;
  return { active: active.map((r) => r.business_id), waiting: waiting.map((r) => r.business_id) };
}
const businesses = async (n: number) => Promise.all(Array.from({ length: n }, (_, i) => createBusiness(db.sql, owner, council, { name: `B${i}` })));

describe('featured purchases', () => {
  it('20 concurrent purchases with 5 free slots: exactly 5 active, 15 queued in payment order', async () => {
    const ids = await businesses(20);
    // Payment times in a shuffled order, delivered concurrently on separate connections.
    const order = ids.map((id, i) => ({ id, paidAt: at(((i * 7) % 20) + 1) }));
    const pool = postgres(db.url, { max: 20, onnotice: () => undefined });
    await Promise.all(order.map((o) => buy(pool, o.id, o.paidAt)));
    await pool.end();
    const { active, waiting } = await state();
    expect(active).toHaveLength(5);
    expect(waiting).toHaveLength(15);
    const paidAt = new Map(order.map((o) => [o.id, o.paidAt.getTime()]));
    const waitingTimes = waiting.map((id) => paidAt.get(id)!);
    expect(waitingTimes).toEqual([...waitingTimes].sort((a, b) => a - b));
  });

  it('records a purchase once however many events and deliveries report it', async () => {
    const [id] = await businesses(1);
    const ids = { pi: `pi_${randomUUID()}`, ch: `ch_${randomUUID()}` };
    const pool = postgres(db.url, { max: 5, onnotice: () => undefined });
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => buy(pool, id!, at(1), ids)));
    await pool.end();
    for (let i = 0; i < 5; i++) outcomes.push(await buy(db.sql, id!, at(1), ids));
    expect(outcomes.filter((o) => o.outcome === 'placed')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'already_recorded')).toHaveLength(9);
    expect(await db.sql`select 1 from public.payment_audit where stripe_payment_intent_id = ${ids.pi}`).toHaveLength(1);
    expect((await state()).active).toEqual([id]);
  });

  it('lets nobody skip the queue: a new purchase waits behind earlier ones even when a slot is free', async () => {
    const ids = await businesses(7);
    for (let i = 0; i < 7; i++) await buy(db.sql, ids[i]!, at(i));
    // Expire one placement without running the job: a slot is free, two wait.
    await db.sql`update public.featured_placements set featured_until = ${at(10)}, featured_from = ${at(0)} where business_id = ${ids[0]!}`;
    await db.sql`update public.featured_placements set status = 'expired' where business_id = ${ids[0]!}`;
    const late = await createBusiness(db.sql, owner, council, { name: 'Late' });
    const outcome = await buy(db.sql, late, at(30));
    expect(outcome.outcome).toBe('queued');
    const { active, waiting } = await state();
    expect(active).toContain(ids[5]);
    expect(waiting).toEqual([ids[6], late]);
  });

  it('a refund frees the slot and promotes the next in line; a refund before its purchase places nothing', async () => {
    const ids = await businesses(6);
    const payments = [];
    for (let i = 0; i < 6; i++) payments.push({ pi: `pi_${randomUUID()}`, ch: `ch_${randomUUID()}` });
    for (let i = 0; i < 6; i++) await buy(db.sql, ids[i]!, at(i), payments[i]);
    await db.sql`select public.record_refund(${ids[2]!}, 2200, 'aud', ${at(2)}, ${at(60)}, ${payments[2]!.pi}, ${payments[2]!.ch}, ${`re_${randomUUID()}`}, ${at(60)}, ${at(60)})`;
    const { active, waiting } = await state();
    expect(active).not.toContain(ids[2]);
    expect(active).toContain(ids[5]);
    expect(waiting).toEqual([]);
    const [placement] = await db.sql`select status, refund_status from public.featured_placements where business_id = ${ids[2]!}`;
    expect(placement).toEqual({ status: 'refunded', refund_status: 'refunded' });

    const early = await createBusiness(db.sql, owner, council, { name: 'Early refund' });
    const ids2 = { pi: `pi_${randomUUID()}`, ch: `ch_${randomUUID()}` };
    await db.sql`select public.record_refund(${early}, 2200, 'aud', ${at(70)}, ${at(75)}, ${ids2.pi}, ${ids2.ch}, ${`re_${randomUUID()}`}, ${at(75)}, ${at(75)})`;
    expect((await buy(db.sql, early, at(70), ids2)).outcome).toBe('already_refunded');
    expect((await state()).active).not.toContain(early);
  });

  it('queues the trainer emails: activated for a placement, queued with the position for a wait', async () => {
    const ids = await businesses(6);
    for (let i = 0; i < 6; i++) await buy(db.sql, ids[i]!, at(i));
    const mails = await db.sql<{ template: string; subject: string; body_text: string }[]>`
      select template, subject, body_text from public.email_outbox
      where payload ->> 'council' = ${`Council ${council}`} order by created_at, template`;
    expect(mails.filter((m) => m.template === 'featured_activated')).toHaveLength(5);
    const queued = mails.find((m) => m.template === 'featured_queued')!;
    expect(queued.subject).toMatch(/#1 in the Council/);
    expect(queued.body_text).toMatch(/\$22\.00 AUD/);
    expect(queued.body_text).toMatch(/first-come, first-served/);
  });
});

describe('the daily job (expire_and_promote)', () => {
  it('expires lapsed placements and promotes the queue; two runs at once equal one', async () => {
    const ids = await businesses(9);
    for (let i = 0; i < 9; i++) await buy(db.sql, ids[i]!, at(i));
    const later = new Date(T0.getTime() + 31 * 86_400_000);
    const pool = postgres(db.url, { max: 2, onnotice: () => undefined });
    const results = await Promise.all([0, 1].map(() => pool`select public.expire_and_promote(${later}) as r`));
    await pool.end();
    // One run did the work (other test councils' queues included), the other found nothing to do.
    const promoted = results.map((r) => (r[0]!.r as { promoted: number }).promoted).sort((a, b) => a - b);
    expect(promoted[0]).toBe(0);
    expect(promoted[1]).toBeGreaterThanOrEqual(4);
    const { active, waiting } = await state();
    expect(active.sort()).toEqual(ids.slice(5).sort());
    expect(waiting).toEqual([]);
  });

  it('leaves nothing half-done when it fails mid-way', async () => {
    const ids = await businesses(6);
    for (let i = 0; i < 6; i++) await buy(db.sql, ids[i]!, at(i));
    const before = await state();
    // Make the promotion's email step fail after the expiry update ran.
    await db.sql.unsafe(`
      create or replace function pg_temp.fail() returns trigger language plpgsql as $$ begin raise exception 'mail store down'; end $$;
      create trigger fail_mail before insert on public.email_outbox for each row execute function pg_temp.fail();`);
    try {
      await expect(db.sql`select public.expire_and_promote(${new Date(T0.getTime() + 40 * 86_400_000)})`).rejects.toThrow(/mail store down/);
    } finally {
      await db.sql`drop trigger fail_mail on public.email_outbox`;
    }
    expect(await state()).toEqual(before);
  });
});

describe('orphaned charges and refund abuse', () => {
  it('raises RED for a paid charge with no placement or queue entry, and the operator activation clears it', async () => {
    const [id] = await businesses(1);
    const [payment] = await db.sql<{ id: string }[]>`
      insert into public.payment_audit (business_id, council_id, stripe_charge_id, amount_cents, status, paid_at)
      values (${id!}, ${council}, ${`ch_${randomUUID()}`}, 2200, 'succeeded', now()) returning id`;
    await db.sql`select public.refresh_money_alerts(now())`;
    const [alert] = await db.sql`select severity, kind from public.alerts where subject = ${payment!.id} and resolved_at is null`;
    expect(alert).toEqual({ severity: 'RED', kind: 'orphaned_charge' });
    const operator = randomUUID();
    const [first] = await db.sql<{ r: { outcome: string } }[]>`select public.activate_orphaned_payment(${payment!.id}, ${operator}) as r`;
    expect(first!.r.outcome).toBe('applied');
    expect((await state()).active).toEqual([id]);
    expect(await db.sql`select 1 from public.alerts where subject = ${payment!.id} and resolved_at is null`).toHaveLength(0);
    const [again] = await db.sql<{ r: { outcome: string } }[]>`select public.activate_orphaned_payment(${payment!.id}, ${operator}) as r`;
    expect(again!.r.outcome).toBe('rejected');
    const audit = await db.sql`select actor_id from public.audit_log where action = 'payment.orphan_activated' and subject_id = ${payment!.id}`;
    expect(audit).toEqual([{ actor_id: operator }]);
  });

  it('flags a trainer with 3 refunds in 7 days for review and alerts the operator', async () => {
    const abuser = await createPerson(db.sql, { email: 'trainer-a@example.test' });
    const biz = await createBusiness(db.sql, abuser, council, { name: 'Trainer A' });
    for (let i = 0; i < 3; i++) {
      const ids = { pi: `pi_${randomUUID()}`, ch: `ch_${randomUUID()}` };
      const paid = new Date(Date.now() - (3 - i) * 86_400_000);
      await buy(db.sql, biz, paid, ids);
      await db.sql`select public.record_refund(${biz}, 2200, 'aud', ${paid}, ${new Date(paid.getTime() + 3_600_000)}, ${ids.pi}, ${ids.ch}, ${`re_${randomUUID()}`}, now(), now())`;
    }
    const [profile] = await db.sql`select account_status, flagged_reason from public.profiles where id = ${abuser}`;
    expect(profile!.account_status).toBe('flagged_for_review');
    expect(profile!.flagged_reason).toMatch(/3 refunds in 7 days/);
    expect(await db.sql`select kind from public.alerts where subject = ${abuser} and resolved_at is null`).toEqual([{ kind: 'refund_abuse' }]);
  });
});
