// The payment-reconciliation function's answers (spec 2.3), as the console
// reads them: a run's comparison, the archived reports, one report's file.
// Checked with these schemas on arrival, like the operator API's answers.
import { z } from 'zod';

const money = z.number().int();
const side = z.object({ amountCents: money, currency: z.string(), status: z.string() }).nullable();

export const Discrepancy = z.object({
  class: z.enum(['missing_in_stripe', 'missing_here', 'amount_mismatch', 'status_mismatch']),
  meaning: z.string(),
  fix: z.enum(['mark_failed', 'recover', 'review']),
  fixLabel: z.string(),
  paymentId: z.string().nullable(),
  businessId: z.string().nullable(),
  chargeId: z.string().nullable(),
  ours: side,
  stripe: side,
});
export type Discrepancy = z.infer<typeof Discrepancy>;

export const ReconciliationRun = z.object({
  reportId: z.string(),
  name: z.string(),
  windowStart: z.string(),
  windowEnd: z.string(),
  ourTotalCents: money,
  stripeTotalCents: money,
  ourCount: z.number().int(),
  stripeCount: z.number().int(),
  matched: z.number().int(),
  discrepancies: z.array(Discrepancy),
  csvSha256: z.string(),
  pdfSha256: z.string(),
});
export type ReconciliationRun = z.infer<typeof ReconciliationRun>;

export const ReportMeta = z.object({
  id: z.string(),
  name: z.string(),
  runAt: z.string(),
  trigger: z.enum(['schedule', 'manual']),
  windowStart: z.string(),
  windowEnd: z.string(),
  ourTotalCents: money,
  stripeTotalCents: money,
  matched: z.number().int(),
  discrepancies: z.number().int(),
  csvSha256: z.string(),
  pdfSha256: z.string(),
  keepUntil: z.string(),
});
export type ReportMeta = z.infer<typeof ReportMeta>;
export const ReportList = z.object({ reports: z.array(ReportMeta) });

/** What the missed-webhook sweep did (the "recover" fix). */
export const SweepResult = z.object({ seen: z.number().int(), applied: z.number().int(), alreadyProcessed: z.number().int() });
export type SweepResult = z.infer<typeof SweepResult>;

/** One archived file, as the console hands it to the operator to save. */
export interface ReportFile {
  fileName: string;
  mimeType: string;
  /** The file's bytes, base64 (the IPC and the bridge carry text). */
  base64: string;
  sha256: string;
}
