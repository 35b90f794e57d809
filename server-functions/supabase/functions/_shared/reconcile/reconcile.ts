// Payment reconciliation (spec 2.3), run by the server: the last 7 days of
// charges in the database against Stripe's (every page of the charges list),
// compared (classify.ts), archived as a report (CSV and PDF, each with its
// SHA-256 in the audit log) in the append-only reconciliation_reports, and
// an alert opened when the sides disagree (resolved by the next clean run).
// Nothing is changed by a run: each discrepancy's fix is an operator command.
import type { Sql } from '../db.ts';
import type { Stripe } from '../stripe.ts';
import { compareCharges, type Comparison, type OurCharge, type StripeCharge } from './classify.ts';
import { reportCsv, reportPdf, type ReportHeader } from './report.ts';

export const RECONCILE_WINDOW_DAYS = 7;

export interface ReconciliationRun extends Comparison {
  reportId: string;
  name: string;
  windowStart: string;
  windowEnd: string;
  csvSha256: string;
  pdfSha256: string;
}

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (data: Uint8Array) => hex(await crypto.subtle.digest('SHA-256', new Uint8Array(data)));
const melbourneDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Melbourne', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Every charge Stripe created in [start, end] (Stripe counts in whole seconds), all pages. */
async function stripeCharges(stripe: Stripe, start: Date, end: Date): Promise<StripeCharge[]> {
  const out: StripeCharge[] = [];
  const list = stripe.charges.list({ created: { gte: Math.floor(start.getTime() / 1000), lte: Math.ceil(end.getTime() / 1000) }, limit: 100 });
  for await (const c of list) {
    out.push({
      id: c.id,
      paymentIntentId: typeof c.payment_intent === 'string' ? c.payment_intent : (c.payment_intent?.id ?? null),
      amountCents: c.amount,
      currency: c.currency,
      status: c.status,
      refunded: c.refunded || c.amount_refunded >= c.amount,
      created: new Date(c.created * 1000).toISOString(),
      businessId: typeof c.metadata?.business_id === 'string' ? c.metadata.business_id : null,
    });
  }
  return out;
}

export async function runReconciliation(
  sql: Sql,
  stripe: Stripe,
  opts: { now: Date; trigger: 'schedule' | 'manual'; operatorId: string | null },
): Promise<ReconciliationRun> {
  const end = opts.now;
  const start = new Date(end.getTime() - RECONCILE_WINDOW_DAYS * 86_400_000);
  const ours = await sql<OurCharge[]>`
    select id as "paymentId", business_id as "businessId", stripe_charge_id as "chargeId", stripe_payment_intent_id as "paymentIntentId",
           amount_cents as "amountCents", currency, status, paid_at as "paidAt"
    from public.payment_audit
    where paid_at >= ${start} and paid_at <= ${end} and status in ('succeeded', 'refunded')`;
  const theirs = await stripeCharges(stripe, start, end);
  const comparison = compareCharges(ours, theirs);

  const day = melbourneDay.format(end);
  return sql.begin(async (tx) => {
    // One report name per Melbourne day; a second run that day is _2, _3…
    await tx`select pg_advisory_xact_lock(hashtextextended('reconciliation-report', 0))`;
    const [today] = await tx<{ n: number }[]>`
      select count(*)::int as n from public.reconciliation_reports where name like ${`Payment_Reconciliation_${day}%`}`;
    const n = today!.n;
    const name = `Payment_Reconciliation_${day}${n ? `_${n + 1}` : ''}`;
    const header: ReportHeader = { name, windowStart: start.toISOString(), windowEnd: end.toISOString(), runAt: end.toISOString(), trigger: opts.trigger };
    const csv = new TextEncoder().encode(reportCsv(header, comparison));
    const pdf = await reportPdf(header, comparison);
    const [csvSha256, pdfSha256] = await Promise.all([sha256(csv), sha256(pdf)]);
    const [row] = await tx<{ id: string }[]>`
      insert into public.reconciliation_reports
        (name, window_start, window_end, run_at, trigger, run_by, our_total_cents, stripe_total_cents, our_count, stripe_count,
         matched, discrepancies, csv, csv_sha256, pdf, pdf_sha256)
      values (${name}, ${start}, ${end}, ${end}, ${opts.trigger}, ${opts.operatorId}, ${comparison.ourTotalCents}, ${comparison.stripeTotalCents},
              ${comparison.ourCount}, ${comparison.stripeCount}, ${comparison.matched}, ${tx.json(comparison.discrepancies as never)},
              ${new TextDecoder().decode(csv)}, ${csvSha256}, ${pdf}, ${pdfSha256})
      returning id`;
    await tx`select public.audit(${opts.operatorId}, ${opts.operatorId ? 'operator' : 'system'}, 'reconciliation.run', 'reconciliation_report', ${row!.id},
                                 ${comparison.ourTotalCents - comparison.stripeTotalCents},
                                 ${tx.json({ name, csv_sha256: csvSha256, pdf_sha256: pdfSha256, discrepancies: comparison.discrepancies.length } as never)})`;
    if (comparison.discrepancies.length) {
      const classes = [...new Set(comparison.discrepancies.map((d) => d.class))].join(', ');
      await tx`select public.open_alert('YELLOW', 'reconciliation_mismatch', '',
        ${`Payment reconciliation ${name}: ${comparison.discrepancies.length} discrepanc${comparison.discrepancies.length === 1 ? 'y' : 'ies'} (${classes}); ours ${comparison.ourTotalCents / 100} AUD, Stripe ${comparison.stripeTotalCents / 100} AUD`},
        ${tx.json({ report_id: row!.id, name } as never)}, ${end})`;
    } else {
      await tx`select public.resolve_alert('reconciliation_mismatch', '', ${end})`;
    }
    return { ...comparison, reportId: row!.id, name, windowStart: header.windowStart, windowEnd: header.windowEnd, csvSha256, pdfSha256 };
  });
}
