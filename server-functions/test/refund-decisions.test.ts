// The 72-hour refund rule and the decision's effects, in SQL. Time is moved
// by placing the purchase in the past relative to the server clock that
// stamps the request, never by waiting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { freshDatabase, trainerClaims, type TestDatabase } from './db.ts';
import { createBusiness, createCouncil, createPerson } from './fixtures.ts';

let db: TestDatabase;
let trainer: string;
let business: string;
let purchases = 0;

beforeAll(async () => {
  db = await freshDatabase();
  await createCouncil(db.sql, 'monash', 'Monash');
  trainer = await createPerson(db.sql, { email: 'sam@example.test' });
});
afterAll(async () => {
  await db.drop();
});

/** A purchase made `ago` before the server's now, and the trainer's refund request made now (server-stamped). */
async function requestAfter(agoSql: string): Promise<{ request: string; payment: string }> {
  const ids = { pi: `pi_${randomUUID()}`, ch: `ch_${randomUUID()}` };
  // A business holds one placement at a time: each purchase is another of
  // Sam's businesses. Its webhook landed when it was paid, so the promoter
  // (run here) places it now.
  business = await createBusiness(db.sql, trainer, 'monash', { name: `Sam Trains Dogs ${++purchases}` });
  const [row] = await db.sql<{ r: { payment_id: string } }[]>`
    select public.record_payment_succeeded(${business}, 2200, 'aud', now() - ${agoSql}::interval, ${ids.pi}, ${ids.ch}, null, now(), now() - ${agoSql}::interval) as r`;
  const payment = row!.r.payment_id;
  await db.sql`select public.promote_settled()`;
  const request = await db.sql.begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${JSON.stringify(trainerClaims(trainer))}, true)`;
    await tx`set local role authenticated`;
    const [r] = await tx<{ id: string }[]>`select id from public.submit_refund_request(${payment}, 'No leads')`;
    return r!.id;
  });
  return { request, payment };
}
const decide = async (request: string, decision: string, refundId: string | null = `re_${randomUUID()}`, decisionId = randomUUID()) => {
  const [row] = await db.sql<{ r: Record<string, unknown> }[]>`
    select public.apply_refund_decision(${request}, ${decision}, ${randomUUID()}, ${decisionId}, ${refundId}) as r`;
  return row!.r;
};

describe('refund decisions', () => {
  it('a request made 71:59:59 after purchase is eligible; 72:00:01 is not', async () => {
    const inside = await requestAfter('71 hours 59 minutes 59 seconds');
    const outside = await requestAfter('72 hours 1 second');
    const [a] = await db.sql`select eligible from public.refund_eligibility(${inside.request})`;
    const [b] = await db.sql`select eligible from public.refund_eligibility(${outside.request})`;
    expect(a!.eligible).toBe(true);
    expect(b!.eligible).toBe(false);
    // Deciding a week later changes nothing: the request time decides.
    await db.sql`update public.payment_audit set paid_at = paid_at - interval '7 days' where id = ${inside.payment}`;
    await db.sql`update public.refund_requests set requested_at = requested_at - interval '7 days' where id = ${inside.request}`;
    const [c] = await db.sql`select eligible from public.refund_eligibility(${inside.request})`;
    expect(c!.eligible).toBe(true);
  });

  it('approve: payment and placement refunded, slot freed, trainer emailed, audited; a second decision finds it decided', async () => {
    const { request, payment } = await requestAfter('2 hours');
    const result = await decide(request, 'approve');
    expect(result).toMatchObject({ outcome: 'applied', status: 'approved' });
    const [pay] = await db.sql`select status from public.payment_audit where id = ${payment}`;
    const [placement] = await db.sql`select status from public.featured_placements where payment_id = ${payment}`;
    expect(pay!.status).toBe('refunded');
    expect(placement!.status).toBe('refunded');
    const [mail] = await db.sql`select subject, body_text from public.email_outbox where dedupe_key = ${'refund_approved:' + request}`;
    expect(mail!.body_text).toMatch(/Refund processed: \$22\.00 AUD .* Look for it in 3–5 business days\./s);
    expect(await decide(request, 'approve')).toMatchObject({ outcome: 'already_decided', status: 'approved' });
    expect(await decide(request, 'deny')).toMatchObject({ outcome: 'already_decided' });
    const audits = await db.sql`select amount_cents from public.audit_log where action = 'refund.approved' and subject_id = ${request}`;
    expect(audits).toEqual([{ amount_cents: -2200 }]);
  });

  it('refuses to approve outside the window (no override), and deny emails the purchase date and days elapsed', async () => {
    const { request } = await requestAfter('5 days 3 hours');
    const refused = await decide(request, 'approve');
    expect(refused).toMatchObject({ outcome: 'rejected' });
    expect(refused.reason).toBe('Requested 123 h 0 min 0 s after purchase; the refund window is 72 h, so it can only be denied.');
    expect(await decide(request, 'deny', null)).toMatchObject({ outcome: 'applied', status: 'denied' });
    const [mail] = await db.sql`select body_text from public.email_outbox where dedupe_key = ${'refund_denied:' + request}`;
    expect(mail!.body_text).toMatch(/refunds are only available within 3 days of purchase\. Your purchase was on \d{1,2} \w+ \d{4}, which is 5 days ago\./);
  });

  it('refuses to deny inside the window (the policy holds both ways), writing nothing', async () => {
    const { request } = await requestAfter('71 hours 59 minutes 59 seconds');
    const refused = await decide(request, 'deny', null);
    expect(refused).toEqual({
      outcome: 'rejected',
      reason: 'Requested 71 h 59 min 59 s after purchase, inside the 72 h refund window: the policy is to refund it, so it can only be approved.',
    });
    const [rr] = await db.sql`select status, decided_by from public.refund_requests where id = ${request}`;
    expect(rr).toEqual({ status: 'pending', decided_by: null });
    expect(await db.sql`select 1 from public.email_outbox where dedupe_key = ${'refund_denied:' + request}`).toHaveLength(0);
    expect(await db.sql`select 1 from public.audit_log where subject_id = ${request} and action like 'refund.%'`).toHaveLength(0);
    expect(await decide(request, 'approve')).toMatchObject({ outcome: 'applied', status: 'approved' });
  });

  it('states the time exactly: one second past the window reads as past it', async () => {
    const { request } = await requestAfter('72 hours 1 second');
    expect((await decide(request, 'approve')).reason).toBe('Requested 72 h 0 min 1 s after purchase; the refund window is 72 h, so it can only be denied.');
    const [row] = await db.sql<{ d: string }[]>`select public.exact_duration(interval '3 days 4 minutes 5.9 seconds') as d`;
    expect(row!.d).toBe('72 h 4 min 5 s');
  });
});
