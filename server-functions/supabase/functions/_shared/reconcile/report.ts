// The archived reconciliation report, for the tax office (7 years): a CSV a
// spreadsheet opens (papaparse writes it) and a one-page PDF a person reads
// (pdf-lib draws it), both from the same comparison.
import Papa from 'papaparse';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import type { Comparison } from './classify.ts';

export interface ReportHeader {
  name: string;
  windowStart: string;
  windowEnd: string;
  runAt: string;
  trigger: 'schedule' | 'manual';
}

const aud = (cents: number) => `$${(cents / 100).toFixed(2)} AUD`;
const melbourne = new Intl.DateTimeFormat('en-AU', { timeZone: 'Australia/Melbourne', dateStyle: 'medium', timeStyle: 'short' });
const when = (iso: string) => `${melbourne.format(new Date(iso))} Melbourne`;
const CLASS_WORDS: Record<string, string> = {
  missing_in_stripe: 'Recorded here, not in Stripe',
  missing_here: 'In Stripe, not recorded here',
  amount_mismatch: 'Amount or currency differs',
  status_mismatch: 'Refunded on one side only',
};

export function reportCsv(h: ReportHeader, c: Comparison): string {
  const rows = [
    ['report', h.name],
    ['window', `${h.windowStart} to ${h.windowEnd}`],
    ['run at', h.runAt],
    ['trigger', h.trigger],
    ['our total (AUD)', (c.ourTotalCents / 100).toFixed(2)],
    ['Stripe total (AUD)', (c.stripeTotalCents / 100).toFixed(2)],
    ['our charges', String(c.ourCount)],
    ['Stripe charges', String(c.stripeCount)],
    ['matched', String(c.matched)],
    ['discrepancies', String(c.discrepancies.length)],
    [],
    ['class', 'meaning', 'charge', 'payment', 'business', 'ours (AUD)', 'ours status', 'Stripe (AUD)', 'Stripe status', 'fix'],
    ...c.discrepancies.map((d) => [
      d.class,
      d.meaning,
      d.chargeId ?? '',
      d.paymentId ?? '',
      d.businessId ?? '',
      d.ours ? `${(d.ours.amountCents / 100).toFixed(2)} ${d.ours.currency}` : '',
      d.ours?.status ?? '',
      d.stripe ? `${(d.stripe.amountCents / 100).toFixed(2)} ${d.stripe.currency}` : '',
      d.stripe?.status ?? '',
      d.fixLabel,
    ]),
  ];
  // Cells a spreadsheet would run as formulas (=, +, -, @) are quoted as text.
  return Papa.unparse(rows, { escapeFormulae: true, newline: '\r\n' });
}

/** Standard PDF fonts draw WinAnsi only: anything else is shown as "?" rather than failing the report. */
const ansi = (s: string) => s.replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, '?');

export async function reportPdf(h: ReportHeader, c: Comparison): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(h.name);
  doc.setCreator('DTD Operator Console');
  doc.setCreationDate(new Date(h.runAt));
  doc.setModificationDate(new Date(h.runAt));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page = doc.addPage([595, 842]); // A4
  let y = 790;
  const line = (text: string, o: { size?: number; f?: typeof font; color?: ReturnType<typeof rgb> } = {}) => {
    if (y < 60) {
      page = doc.addPage([595, 842]);
      y = 790;
    }
    page.drawText(ansi(text), { x: 50, y, size: o.size ?? 10, font: o.f ?? font, color: o.color ?? rgb(0.1, 0.1, 0.1), maxWidth: 495 });
    y -= (o.size ?? 10) + 6;
  };
  line('Dog Trainers Directory: payment reconciliation', { size: 16, f: bold });
  line(h.name, { size: 12 });
  y -= 6;
  line(`Window: ${when(h.windowStart)} to ${when(h.windowEnd)} (7 days)`);
  line(`Run: ${when(h.runAt)} (${h.trigger === 'schedule' ? 'daily schedule' : 'by the operator'})`);
  y -= 6;
  line(`Our records: ${aud(c.ourTotalCents)} in ${c.ourCount} charges`, { f: bold });
  line(`Stripe:      ${aud(c.stripeTotalCents)} in ${c.stripeCount} charges`, { f: bold });
  const same = c.discrepancies.length === 0;
  line(same ? 'Result: the totals match, every charge matched.' : `Result: ${c.discrepancies.length} discrepancies (${c.matched} charges matched).`, {
    f: bold,
    color: same ? rgb(0.1, 0.45, 0.2) : rgb(0.7, 0.1, 0.1),
  });
  for (const d of c.discrepancies) {
    y -= 4;
    line(`${CLASS_WORDS[d.class] ?? d.class}: charge ${d.chargeId ?? '-'}`, { f: bold });
    line(d.meaning);
    line(
      `Ours: ${d.ours ? `${aud(d.ours.amountCents)} ${d.ours.status}` : 'no record'}   Stripe: ${d.stripe ? `${aud(d.stripe.amountCents)} ${d.stripe.status}` : 'no charge'}`,
    );
    line(`Fix offered: ${d.fixLabel}`);
  }
  return doc.save({ useObjectStreams: false });
}
