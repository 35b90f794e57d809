// The featured slot rules in SQL, against the real database: FIFO queue,
// slot count, idempotent recording, refunds freeing slots, the daily job's
// concurrency and atomicity, orphaned charges and the refund-abuse guard.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { freshDatabase, type TestDatabase } from './db.ts';
import { createBusiness, createCouncil, createPayment, createPerson, createPlacement, createQueueEntry } from './fixtures.ts';

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

/** A purchase paid at paidAt whose webhook lands at arrives (by default at once). */
async function buy(sql: postgres.Sql, businessId: string, paidAt: Date, ids = { pi: `pi_${randomUUID()}`, ch: `ch_${randomUUID()}` }, arrives = paidAt) {
  const [row] = await sql<{ r: { outcome: string; payment_id: string; position?: number } }[]>`
    select public.record_payment_succeeded(${businessId}, 2200, 'aud', ${paidAt}, ${ids.pi}, ${ids.ch}, null, ${paidAt}, ${arrives}) as r`;
  return row!.r;
}
/** The promoter's run (every minute on the stack), at a given time. */
async function promote(now: Date) {
  const [row] = await db.sql<{ n: number }[]>`select public.promote_settled(${now}) as n`;
  return row!.n;
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
  it('20 concurrent purchases with 5 free slots: the 5 earliest payments active, 15 queued in payment order', async () => {
    const ids = await businesses(20);
    // Payment times in a shuffled order, delivered concurrently on separate connections.
    const order = ids.map((id, i) => ({ id, paidAt: at(((i * 7) % 20) + 1) }));
    const pool = postgres(db.url, { max: 20, onnotice: () => undefined });
    const outcomes = await Promise.all(order.map((o) => buy(pool, o.id, o.paidAt)));
    await pool.end();
    // The webhook only queues: whoever landed first took nothing.
    expect(outcomes.every((o) => o.outcome === 'queued')).toBe(true);
    expect((await state()).active).toEqual([]);
    // The queue has not settled (purchases joined it within 2 minutes): nobody placed.
    expect(await promote(at(21))).toBe(0);
    expect(await promote(at(30))).toBe(5);
    const { active, waiting } = await state();
    const byPayment = [...order].sort((a, b) => a.paidAt.getTime() - b.paidAt.getTime()).map((o) => o.id);
    expect([...active].sort()).toEqual(byPayment.slice(0, 5).sort());
    expect(waiting).toEqual(byPayment.slice(5));
  });

  it('a payment whose webhook lands late still goes ahead of a later payment, when it lands within the settle period', async () => {
    const [early, late] = await businesses(2);
    const fill = await businesses(4);
    for (let i = 0; i < 4; i++) await buy(db.sql, fill[i]!, at(i));
    await promote(at(10)); // four active, one slot free
    // The later payment's webhook lands first; the earlier one's 90 s after it.
    await buy(db.sql, late!, at(20.5), undefined, at(20.6));
    expect(await promote(at(22))).toBe(0); // the queue changed 84 s ago: not settled
    await buy(db.sql, early!, at(20), undefined, at(22.1));
    expect(await promote(at(23))).toBe(0);
    expect(await promote(at(24.2))).toBe(1);
    const { active, waiting } = await state();
    expect(active).toContain(early);
    expect(waiting).toEqual([late]);
  });

  it('records a purchase once however many events and deliveries report it', async () => {
    const [id] = await businesses(1);
    const ids = { pi: `pi_${randomUUID()}`, ch: `ch_${randomUUID()}` };
    const pool = postgres(db.url, { max: 5, onnotice: () => undefined });
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => buy(pool, id!, at(1), ids)));
    await pool.end();
    for (let i = 0; i < 5; i++) outcomes.push(await buy(db.sql, id!, at(1), ids));
    expect(outcomes.filter((o) => o.outcome === 'queued')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'already_recorded')).toHaveLength(9);
    expect(await db.sql`select 1 from public.payment_audit where stripe_payment_intent_id = ${ids.pi}`).toHaveLength(1);
    await promote(at(10));
    await promote(at(11));
    expect((await state()).active).toEqual([id]);
  });

  it('lets nobody skip the queue: a new purchase waits behind earlier ones even when a slot is free', async () => {
    const ids = await businesses(7);
    for (let i = 0; i < 7; i++) await buy(db.sql, ids[i]!, at(i));
    await promote(at(10));
    // Expire one placement without running the job: a slot is free, two wait.
    await db.sql`update public.featured_placements set featured_until = ${at(10)}, featured_from = ${at(0)} where business_id = ${ids[0]!}`;
    await db.sql`update public.featured_placements set status = 'expired' where business_id = ${ids[0]!}`;
    const late = await createBusiness(db.sql, owner, council, { name: 'Late' });
    const outcome = await buy(db.sql, late, at(30));
    expect(outcome.outcome).toBe('queued');
    await promote(at(40));
    const { active, waiting } = await state();
    expect(active).toContain(ids[5]);
    expect(waiting).toEqual([ids[6], late]);
  });

  it('a refund frees the slot and promotes the next in line; a refund before its purchase places nothing', async () => {
    const ids = await businesses(6);
    const payments = [];
    for (let i = 0; i < 6; i++) payments.push({ pi: `pi_${randomUUID()}`, ch: `ch_${randomUUID()}` });
    for (let i = 0; i < 6; i++) await buy(db.sql, ids[i]!, at(i), payments[i]);
    await promote(at(10));
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

  it('queues the trainer emails: activated for a placement, queued with the position and ETA for a wait', async () => {
    const ids = await businesses(6);
    const outcomes = [];
    for (let i = 0; i < 6; i++) outcomes.push(await buy(db.sql, ids[i]!, at(i)));
    // Five take the free slots (position 0: no wait), the sixth waits first in line.
    expect(outcomes.map((o) => o.position)).toEqual([0, 0, 0, 0, 0, 1]);
    await promote(at(10));
    const mails = await db.sql<{ template: string; subject: string; body_text: string }[]>`
      select template, subject, body_text from public.email_outbox
      where payload ->> 'council' = ${`Council ${council}`} order by created_at, template`;
    expect(mails.filter((m) => m.template === 'featured_activated')).toHaveLength(5);
    const queued = mails.find((m) => m.template === 'featured_queued')!;
    expect(queued.subject).toMatch(/#1 in the Council/);
    expect(queued.body_text).toMatch(/\$22\.00 AUD/);
    expect(queued.body_text).toMatch(/first-come, first-served/);
    // Its turn: when the first of the five about to start (at(5) + settle + the promoter's minute) ends, 30 days on.
    expect(queued.body_text).toMatch(/estimated to come up around 20 December 2026/);
  });
});

describe('queue position and ETA (playbook 4: "your turn is estimated around [DATE]")', () => {
  const position = async (paymentId: string, now: Date) =>
    (await db.sql<{ queue_position: number; eta: Date | null }[]>`select * from public.queue_position(${paymentId}, ${now})`)[0]!;
  const waitingPayments = async () =>
    (
      await db.sql<{ payment_id: string }[]>`
      select payment_id from public.featured_queue where council_id = ${council} and promoted_at is null and cancelled_at is null
      order by paid_at, payment_id`
    ).map((r) => r.payment_id);
  /** Five featured whose placements end at the given times. */
  const featuredUntil = async (ends: Date[]) => {
    for (const [i, end] of ends.entries()) {
      const b = await createBusiness(db.sql, owner, council, { name: `F${i}` });
      const placement = await createPlacement(db.sql, b, council, await createPayment(db.sql, b, council, { paidAt: at(-100 + i) }));
      await db.sql`update public.featured_placements set featured_from = ${at(-100)}, featured_until = ${end} where id = ${placement}`;
    }
  };
  const DAY = 24 * 60;

  it('a council with free slots: the first waiters get position 0 and start within minutes; the next wait for the first expiry', async () => {
    await featuredUntil([at(10 * DAY), at(12 * DAY), at(14 * DAY)]); // 3 of 5 slots taken
    const ids = await businesses(3);
    for (const [i, b] of ids.entries()) await buy(db.sql, b, at(i));
    const [p1, p2, p3] = await waitingPayments();
    const now = at(5);
    for (const p of [p1!, p2!]) {
      const r = await position(p, now);
      expect(r.queue_position).toBe(0);
      expect(r.eta!.getTime() - now.getTime()).toBeLessThanOrEqual(4 * 60_000); // settle (2 min) + the promoter's minute
    }
    expect(await position(p3!, now)).toEqual({ queue_position: 1, eta: at(10 * DAY) });
  });

  it('ties in payment time are ordered by payment id, the same order the promoter uses', async () => {
    await featuredUntil([at(3 * DAY), at(4 * DAY), at(5 * DAY), at(6 * DAY), at(7 * DAY)]);
    const ids = await businesses(3);
    for (const b of ids) await buy(db.sql, b, at(1)); // the same second
    const order = await waitingPayments();
    expect([...order].sort()).toEqual(order);
    const got = await Promise.all(order.map((p) => position(p, at(2))));
    expect(got).toEqual([
      { queue_position: 1, eta: at(3 * DAY) },
      { queue_position: 2, eta: at(4 * DAY) },
      { queue_position: 3, eta: at(5 * DAY) },
    ]);
  });

  it('several expiries on one day: each waiter takes the next of them, and past the last the cycle adds 30 days', async () => {
    const day = at(9 * DAY);
    await featuredUntil([
      new Date(day.getTime() + 3_600_000),
      new Date(day.getTime() + 7_200_000),
      new Date(day.getTime() + 10_800_000),
      at(20 * DAY),
      at(21 * DAY),
    ]);
    const ids = await businesses(7);
    for (const [i, b] of ids.entries()) await buy(db.sql, b, at(i));
    const got = await Promise.all((await waitingPayments()).map((p) => position(p, at(10))));
    expect(got.map((g) => g.queue_position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(got.slice(0, 3).map((g) => g.eta!.getTime() - day.getTime())).toEqual([3_600_000, 7_200_000, 10_800_000]);
    expect(got[3]!.eta).toEqual(at(20 * DAY));
    expect(got[5]!.eta!.getTime()).toBe(day.getTime() + 3_600_000 + 30 * DAY * 60_000); // #6 waits for #1's 30 days
  });
});

describe('the queue-integrity check (playbook 4)', () => {
  it('finds a queue in payment order; planted out of order, it writes the escalation naming who paid before whom, and resolves once right', async () => {
    const check = async () =>
      (await db.sql<{ r: { outcome: string; pairs?: unknown[] } }[]>`select public.check_queue_integrity(${council}, ${at(60)}) as r`)[0]!.r;
    const ids = await businesses(6);
    for (let i = 0; i < 6; i++) await buy(db.sql, ids[i]!, at(i));
    await promote(at(10));
    expect(await check()).toMatchObject({ outcome: 'in_order' });

    // Planted as corrupted data would look: B9 paid first (at 1 minute) waits, while five who paid later are featured.
    const early = await createBusiness(db.sql, owner, council, { name: 'B9' });
    const late = await createBusiness(db.sql, owner, council, { name: 'B8' });
    await db.sql`update public.featured_placements set status = 'expired' where council_id = ${council}`;
    await db.sql`update public.featured_queue set cancelled_at = now() where council_id = ${council} and promoted_at is null`;
    for (const [i, b] of [late, ...ids.slice(1, 5)].entries()) {
      await createPlacement(db.sql, b!, council, await createPayment(db.sql, b!, council, { paidAt: at(20 + i) }));
    }
    const entry = await createQueueEntry(db.sql, early, council, await createPayment(db.sql, early, council, { paidAt: at(15) }));
    await db.sql`update public.featured_queue set paid_at = ${at(15)} where id = ${entry}`;

    const broken = await check();
    expect(broken).toMatchObject({ outcome: 'out_of_order' });
    expect(broken.pairs).toHaveLength(5); // B9 is behind each of the five featured
    const [alert] =
      await db.sql`select severity, message from public.alerts where kind = 'queue_out_of_order' and subject = ${council} and resolved_at is null`;
    expect(alert!.severity).toBe('RED');
    expect(alert!.message).toMatch(
      /^Data integrity issue: Queue position out of order in Council \w+\. B9 paid 20 November 2026 11:15, before B8 \(paid 20 November 2026 11:20\), but B8 is featured while B9 waits \(5 such pairs in all\)\./,
    );
    expect(alert!.message).toContain('Request: fix the queue order, possibly refund if unfair. Urgency: high.');

    // Put right (here: B9's purchase leaves the queue, as a refund would take it): in order, the escalation resolved.
    await db.sql`update public.featured_queue set cancelled_at = now() where id = ${entry}`;
    expect(await check()).toMatchObject({ outcome: 'in_order' });
    expect(await db.sql`select 1 from public.alerts where kind = 'queue_out_of_order' and subject = ${council} and resolved_at is null`).toHaveLength(0);
  });
});

describe('the daily job (expire_and_promote)', () => {
  it('expires lapsed placements and promotes the queue; two runs at once equal one', async () => {
    const ids = await businesses(9);
    for (let i = 0; i < 9; i++) await buy(db.sql, ids[i]!, at(i));
    await promote(at(10));
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

  it('a second purchase that raced past checkout is held: not queued, not orphaned, its refund filed and the operator alerted', async () => {
    const [id] = await businesses(1);
    const first = { pi: `pi_${randomUUID()}`, ch: `ch_${randomUUID()}` };
    const second = { pi: `pi_${randomUUID()}`, ch: `ch_${randomUUID()}` };
    expect((await buy(db.sql, id!, at(1), first)).outcome).toBe('queued');
    const held = await buy(db.sql, id!, at(1.5), second);
    expect(held).toMatchObject({ outcome: 'held', reason: expect.stringMatching(/already holds 1 active or queued featured placement \(the limit is 1\)/) });
    // Redelivered later, even after the first placement is active: still held, nothing new.
    await promote(at(10));
    expect((await buy(db.sql, id!, at(1.5), second, at(11))).outcome).toBe('held');
    const { active, waiting } = await state();
    expect(active).toEqual([id]);
    expect(waiting).toEqual([]);
    expect(await db.sql`select 1 from public.orphaned_payments where payment_id = ${held.payment_id}`).toHaveLength(0);
    const requests = await db.sql`select status, reason from public.refund_requests where payment_id = ${held.payment_id}`;
    expect(requests).toEqual([{ status: 'pending', reason: expect.stringMatching(/^Filed by the server: /) }]);
    const [eligible] =
      await db.sql`select el.eligible from public.refund_requests rr cross join lateral public.refund_eligibility(rr.id) el where rr.payment_id = ${held.payment_id}`;
    expect(eligible!.eligible).toBe(true);
    const alerts = await db.sql`select severity, kind, message from public.alerts where subject = ${held.payment_id} and resolved_at is null`;
    expect(alerts).toEqual([
      { severity: 'YELLOW', kind: 'duplicate_purchase', message: expect.stringMatching(/\(\$22\.00 AUD\) for B0 was held back and its refund filed/) },
    ]);
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
