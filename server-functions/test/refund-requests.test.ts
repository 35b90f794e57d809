// A trainer's refund request is judged against the 72-hour window by the
// time the server stamped when they asked, so that time must be the
// server's and nobody else's; and a trainer can only ask about their own
// payments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { anonClaims, asRole, failureOf, freshDatabase, operatorClaims, trainerClaims, type TestDatabase } from './db.ts';
import { createBusiness, createCouncil, createPayment, createPerson } from './fixtures.ts';

let db: TestDatabase;
let trainer = '';
let otherTrainer = '';
let business = '';
let payment = '';
let refundedPayment = '';
let othersPayment = '';

beforeAll(async () => {
  db = await freshDatabase();
  await createCouncil(db.sql, 'melbourne');
  trainer = await createPerson(db.sql);
  otherTrainer = await createPerson(db.sql);
  business = await createBusiness(db.sql, trainer, 'melbourne');
  const othersBusiness = await createBusiness(db.sql, otherTrainer, 'melbourne');
  payment = await createPayment(db.sql, business, 'melbourne', { paidAt: new Date(Date.now() - 3_600_000) });
  refundedPayment = await createPayment(db.sql, business, 'melbourne', { status: 'refunded' });
  othersPayment = await createPayment(db.sql, othersBusiness, 'melbourne');
});
afterAll(async () => {
  await db.drop();
});

const asTrainer = <T>(fn: Parameters<typeof asRole<T>>[2]) => asRole(db.sql, trainerClaims(trainer), fn);

describe('public.submit_refund_request', () => {
  it('records a pending request stamped with the server clock at the moment of asking', async () => {
    const { request, serverNow } = await asTrainer(async (tx) => {
      const [request] = await tx`select * from public.submit_refund_request(${payment}, 'No new clients')`;
      const [clock] = await tx`select now() as now`;
      return { request: request!, serverNow: clock!.now as Date };
    });
    expect(request).toMatchObject({
      payment_id: payment,
      business_id: business,
      requested_by: trainer,
      reason: 'No new clients',
      status: 'pending',
      version: 1,
    });
    expect((request.requested_at as Date).getTime()).toBe(serverNow.getTime());
  });

  it('has no way to pass a request time: an extra argument names no function', async () => {
    await asTrainer(async (tx) => {
      const positional = await failureOf(tx, (sp) => sp`select public.submit_refund_request(${payment}, 'late', ${'2020-01-01T00:00:00Z'}::timestamptz)`);
      const named = await failureOf(
        tx,
        (sp) =>
          sp`select public.submit_refund_request(payment_id => ${payment}, reason => 'late',
                                               requested_at => ${'2020-01-01T00:00:00Z'}::timestamptz)`,
      );
      expect(positional).toMatch(/function public\.submit_refund_request\(.*\) does not exist/);
      expect(named).toMatch(/function public\.submit_refund_request\(.*\) does not exist/);
    });
  });

  it('cannot be bypassed: trainers may not insert or back-date a request directly', async () => {
    await asTrainer(async (tx) => {
      expect(
        await failureOf(
          tx,
          (sp) => sp`
        insert into public.refund_requests (payment_id, business_id, requested_by, requested_at)
        values (${payment}, ${business}, ${trainer}, now() - interval '2 days')`,
        ),
      ).toMatch(/permission denied/);
      const [request] = await tx`select id from public.submit_refund_request(${payment}, null)`;
      expect(
        await failureOf(
          tx,
          (sp) => sp`
        update public.refund_requests set requested_at = now() - interval '2 days' where id = ${request!.id}`,
        ),
      ).toMatch(/permission denied/);
    });
  });

  it("refuses another trainer's payment with a message that says why", async () => {
    await expect(asTrainer((tx) => tx`select public.submit_refund_request(${othersPayment}, 'mine now')`)).rejects.toThrow(
      `refund request refused: payment ${othersPayment} is not one of your payments`,
    );
    const [count] = await db.sql`select count(*)::int as n from public.refund_requests where payment_id = ${othersPayment}`;
    expect(count!.n).toBe(0);
  });

  it("answers an unknown payment id exactly like someone else's, so ids cannot be probed", async () => {
    const unknown = randomUUID();
    await expect(asTrainer((tx) => tx`select public.submit_refund_request(${unknown}, null)`)).rejects.toThrow(
      `refund request refused: payment ${unknown} is not one of your payments`,
    );
  });

  it('refuses a payment that was already refunded', async () => {
    await expect(asTrainer((tx) => tx`select public.submit_refund_request(${refundedPayment}, null)`)).rejects.toThrow(
      /payment .* is refunded, only a succeeded payment can be refunded/,
    );
  });

  it('returns the pending request when asked twice, instead of queuing a second one', async () => {
    const { first, second, count } = await asTrainer(async (tx) => {
      const [first] = await tx`select id from public.submit_refund_request(${payment}, 'first')`;
      const [second] = await tx`select id, reason from public.submit_refund_request(${payment}, 'second')`;
      const [count] = await tx`select count(*)::int as n from public.refund_requests where payment_id = ${payment}`;
      return { first: first!, second: second!, count: count!.n };
    });
    expect(second).toEqual({ id: first.id, reason: 'first' });
    expect(count).toBe(1);
  });

  it('writes the request to the audit log as the trainer', async () => {
    const entry = await asTrainer(async (tx) => {
      const [request] = await tx`select id from public.submit_refund_request(${payment}, null)`;
      // The trainer may not read the audit log; look as the server does, in the same transaction.
      await tx`reset role`;
      const [entry] = await tx`select actor_id, actor_kind, action, subject_type, amount_cents, details
                               from public.audit_log where subject_id = ${request!.id}::text`;
      return entry;
    });
    expect(entry).toEqual({
      actor_id: trainer,
      actor_kind: 'trainer',
      action: 'refund_request.submitted',
      subject_type: 'refund_request',
      amount_cents: 2200,
      details: { payment_id: payment },
    });
  });

  it('is not callable by anon, and an operator (who owns no business) is refused', async () => {
    await expect(asRole(db.sql, anonClaims, (tx) => tx`select public.submit_refund_request(${payment}, null)`)).rejects.toThrow(
      /permission denied for function submit_refund_request/,
    );
    await expect(asRole(db.sql, operatorClaims(randomUUID()), (tx) => tx`select public.submit_refund_request(${payment}, null)`)).rejects.toThrow(
      /is not one of your payments/,
    );
  });

  it('allows only one pending request per payment, even for the server', async () => {
    await db.sql
      .begin(async (tx) => {
        await tx`insert into public.refund_requests (payment_id, business_id, requested_by) values (${payment}, ${business}, ${trainer})`;
        await expect(
          tx.savepoint(
            (sp) => sp`insert into public.refund_requests (payment_id, business_id, requested_by)
                                values (${payment}, ${business}, ${trainer})`,
          ),
        ).rejects.toThrow(/refund_requests_one_pending_per_payment/);
        throw new Error('roll back');
      })
      .catch((err: Error) => {
        if (err.message !== 'roll back') throw err;
      });
  });
});
