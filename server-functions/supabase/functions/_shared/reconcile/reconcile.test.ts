// Reconciliation against the real database and the Stripe double (the real
// SDK listing its charges, every page): each discrepancy class planted on
// one side, the totals, the archived report with its SHA-256 in the audit
// log, the alert a mismatch opens and a clean run resolves, and an archive
// nobody can rewrite.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeDouble, type StripeDouble } from '../../../../local/doubles/stripe.ts';
import { freshDatabase, type TestDatabase } from '../../../../test/db.ts';
import { createBusiness, createCouncil, createPayment, createPerson } from '../../../../test/fixtures.ts';
import { createStripe } from '../stripe.ts';
import { compareCharges } from './classify.ts';
import { runReconciliation } from './reconcile.ts';

let db: TestDatabase;
let stripeDouble: StripeDouble;
let business: string;
const NOW = new Date();

beforeAll(async () => {
  db = await freshDatabase();
  stripeDouble = await startStripeDouble();
  await createCouncil(db.sql, 'banyule', 'Banyule');
  business = await createBusiness(db.sql, await createPerson(db.sql), 'banyule', { name: 'Banyule Barkers' });
});
afterAll(async () => {
  await stripeDouble?.close();
  await db?.drop();
});

const stripe = () => createStripe('sk_test_double', stripeDouble.url);
/** A charge Stripe took and we recorded, the same on both sides unless told otherwise. */
async function both(o: { stripeAmount?: number; ourAmount?: number; ourStatus?: 'succeeded' | 'refunded' } = {}) {
  const paid = stripeDouble.createPaidCharge({
    amount: o.stripeAmount ?? 2200,
    currency: 'aud',
    metadata: { business_id: business },
    emitEvents: false,
    created: new Date(NOW.getTime() - 3_600_000),
  });
  const payment = await createPayment(db.sql, business, 'banyule', {
    status: o.ourStatus ?? 'succeeded',
    paidAt: new Date(NOW.getTime() - 3_600_000),
    chargeId: paid.charge.id,
    paymentIntentId: paid.paymentIntent.id,
  });
  if (o.ourAmount) await db.sql`update public.payment_audit set amount_cents = ${o.ourAmount} where id = ${payment}`;
  return { payment, charge: paid.charge.id };
}

describe('payment reconciliation', () => {
  it('classes each planted discrepancy with its meaning and fix, totals both sides, archives the report and alerts', async () => {
    const matched = await both();
    const ghost = await createPayment(db.sql, business, 'banyule', { paidAt: new Date(NOW.getTime() - 7_200_000), chargeId: `ch_${randomUUID()}` });
    const missed = stripeDouble.createPaidCharge({
      amount: 2200,
      currency: 'aud',
      metadata: { business_id: business },
      emitEvents: false,
      created: new Date(NOW.getTime() - 60_000),
    });
    const differs = await both({ stripeAmount: 1100 });
    const refundedHere = await both({ ourStatus: 'refunded' });
    // Outside the window on our side: not compared.
    await createPayment(db.sql, business, 'banyule', { paidAt: new Date(NOW.getTime() - 8 * 86_400_000) });

    const run = await runReconciliation(db.sql, stripe(), { now: NOW, trigger: 'manual', operatorId: null });
    expect(run.matched).toBe(1);
    const byClass = Object.fromEntries(run.discrepancies.map((d) => [d.class, d]));
    expect(Object.keys(byClass).sort()).toEqual(['amount_mismatch', 'missing_here', 'missing_in_stripe', 'status_mismatch']);
    expect(byClass.missing_in_stripe).toMatchObject({
      paymentId: ghost,
      fix: 'mark_failed',
      meaning: expect.stringMatching(/charge failed but was recorded as succeeded/),
    });
    expect(byClass.missing_here).toMatchObject({
      chargeId: missed.charge.id,
      businessId: business,
      fix: 'recover',
      meaning: expect.stringMatching(/webhook was missed/),
    });
    expect(byClass.amount_mismatch).toMatchObject({ chargeId: differs.charge, ours: { amountCents: 2200 }, stripe: { amountCents: 1100 } });
    expect(byClass.status_mismatch).toMatchObject({ chargeId: refundedHere.charge, ours: { status: 'refunded' }, stripe: { status: 'succeeded' } });
    // Ours: matched + ghost + differs (2200 each; the refunded one does not count). Stripe: matched + missed + differs (1100) + refundedHere.
    expect(run.ourTotalCents).toBe(6600);
    expect(run.stripeTotalCents).toBe(2200 + 2200 + 1100 + 2200);
    expect(matched.payment).toBeTruthy();

    const [report] = await db.sql<{ name: string; csv: string; pdf: Buffer; csv_sha256: string; pdf_sha256: string; keep_until: Date }[]>`
      select name, csv, pdf, csv_sha256, pdf_sha256, keep_until from public.reconciliation_reports where id = ${run.reportId}`;
    expect(report!.name).toMatch(/^Payment_Reconciliation_\d{4}-\d{2}-\d{2}$/);
    expect(createHash('sha256').update(report!.csv, 'utf8').digest('hex')).toBe(report!.csv_sha256);
    expect(createHash('sha256').update(report!.pdf).digest('hex')).toBe(report!.pdf_sha256);
    expect(report!.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(report!.csv).toContain('missing_here');
    expect(report!.keep_until.getUTCFullYear()).toBe(NOW.getUTCFullYear() + 7);
    const [audit] = await db.sql`select details from public.audit_log where action = 'reconciliation.run' and subject_id = ${run.reportId}`;
    expect(audit!.details).toMatchObject({ csv_sha256: report!.csv_sha256, pdf_sha256: report!.pdf_sha256, discrepancies: 4 });
    const alerts = await db.sql`select severity, message from public.alerts where kind = 'reconciliation_mismatch' and resolved_at is null`;
    expect(alerts).toEqual([{ severity: 'YELLOW', message: expect.stringMatching(/4 discrepancies \(.*missing_in_stripe.*\)/) }]);

    // The archive cannot be rewritten.
    await expect(db.sql`update public.reconciliation_reports set matched = 99 where id = ${run.reportId}`).rejects.toThrow(/append-only/);
    await expect(db.sql`delete from public.reconciliation_reports where id = ${run.reportId}`).rejects.toThrow(/append-only/);
  });

  it('a clean week raises nothing and resolves the open alert; a second run that day is _2', async () => {
    const clean = await freshDatabase();
    const cleanDouble = await startStripeDouble();
    try {
      const owner = await createPerson(clean.sql);
      await createCouncil(clean.sql, 'banyule', 'Banyule');
      const b = await createBusiness(clean.sql, owner, 'banyule');
      for (let i = 0; i < 250; i++) {
        // Created before NOW, as the run sees them (the test's setup takes a while under load).
        const paid = cleanDouble.createPaidCharge({
          amount: 2200,
          currency: 'aud',
          metadata: { business_id: b },
          emitEvents: false,
          created: new Date(NOW.getTime() - 60_000),
        });
        await createPayment(clean.sql, b, 'banyule', {
          paidAt: new Date(NOW.getTime() - 60_000),
          chargeId: paid.charge.id,
          paymentIntentId: paid.paymentIntent.id,
        });
      }
      await clean.sql`select public.open_alert('YELLOW', 'reconciliation_mismatch', '', 'left from last week')`;
      const s = createStripe('sk_test_double', cleanDouble.url);
      const first = await runReconciliation(clean.sql, s, { now: NOW, trigger: 'schedule', operatorId: null });
      // 250 charges: three pages of Stripe's list, every one matched.
      expect(first).toMatchObject({ matched: 250, discrepancies: [], ourTotalCents: 550_000, stripeTotalCents: 550_000 });
      expect(await clean.sql`select 1 from public.alerts where kind = 'reconciliation_mismatch' and resolved_at is null`).toHaveLength(0);
      const second = await runReconciliation(clean.sql, s, { now: new Date(NOW.getTime() + 1000), trigger: 'manual', operatorId: randomUUID() });
      expect(second.name).toBe(`${first.name}_2`);
    } finally {
      await cleanDouble.close();
      await clean.drop();
    }
  });

  it('compares by payment intent when our record has no charge id yet', () => {
    const r = compareCharges(
      [{ paymentId: 'p', businessId: 'b', chargeId: null, paymentIntentId: 'pi_1', amountCents: 2200, currency: 'aud', status: 'succeeded', paidAt: '' }],
      [{ id: 'ch_1', paymentIntentId: 'pi_1', amountCents: 2200, currency: 'AUD', status: 'succeeded', refunded: false, created: '', businessId: 'b' }],
    );
    expect(r).toMatchObject({ matched: 1, discrepancies: [] });
  });
});
