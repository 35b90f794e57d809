// Playbook 5 (a high refund rate): the server's analysis of the last 7 days'
// refunds, the questions the playbook asks answered (the same trainer again
// and again? one council? new trainers?), with the refunds' own reasons and
// the findings in words, each naming its action. POST
// /operator/refund-pattern; online only, like the investigation.
import { z } from 'zod';

const num = z.number();
const str = z.string();

export const TENURE_BANDS = ['new', 'settling', 'established'] as const;

export const RefundPattern = z.object({
  asOf: str,
  days: num,
  /** refund_rate_7d: refunds made in the window against purchases made in it (the alert's and the dashboard's definition). */
  ratePct: num,
  refunds: num,
  purchases: num,
  level: z.enum(['ok', 'warning', 'investigate']),
  thresholds: z.object({ warnPct: num, investigatePct: num, abuseLimit: num }),
  /** Every owner with a refund in the window, most refunds first. */
  trainers: z.array(
    z.object({
      ownerId: str,
      ownerName: str.nullable(),
      email: str.nullable(),
      businesses: z.array(str),
      purchases: num,
      refunds: num,
      accountStatus: str,
      flaggedReason: str.nullable(),
    }),
  ),
  councils: z.array(z.object({ councilId: str, name: str, refunds: num, purchases: num })),
  /** How long each refunded business had been listed when it bought: new ≤ 7 days, settling ≤ 30, established beyond. */
  tenure: z.array(z.object({ band: z.enum(TENURE_BANDS), refunds: num })),
  /** The refund requests' reasons, as the trainers wrote them, most common first. */
  reasons: z.array(z.object({ reason: str, count: num })),
  findings: z.array(z.object({ tone: z.enum(['problem', 'info']), text: str })),
});
export type RefundPattern = z.infer<typeof RefundPattern>;
