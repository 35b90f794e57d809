// Spec Part 7's legal freeze, checked before the operator's command runs:
// while a legal/compliance escalation about the business a command acts on
// is open, the command is refused with the escalation named. Only operator
// commands pass here (their declarations say which: frozenBy), so the daily
// job, the webhook and the sweep keep running for a frozen business.
import type { TransactionSql } from 'postgres';
import type { FreezeTarget } from '../../../../../shared/commands/define.ts';
import { Refusal, when } from '../operator/versioned.ts';

interface Freeze {
  escalation_id: string;
  subject: string;
  business_id: string;
  business_name: string;
  opened_at: Date;
  opened_by_name: string | null;
}

/** The businesses a command acts on: the one it names, the trainer's (an account flag), or the payment's. */
const businessesOf = (tx: TransactionSql, t: FreezeTarget) =>
  'businessId' in t
    ? tx`select ${t.businessId}::uuid`
    : 'profileId' in t
      ? tx`select b.id from public.businesses b where b.owner_id = ${t.profileId}`
      : tx`select pa.business_id from public.payment_audit pa where pa.id = ${t.paymentId}`;

/** Refuses (kind frozen) when an open legal escalation holds any business the command acts on. */
export async function refuseIfFrozen(tx: TransactionSql, target: FreezeTarget, doing: string): Promise<void> {
  const [f] = await tx<Freeze[]>`select * from public.legal_freeze(array(${businessesOf(tx, target)}))`;
  if (!f) return;
  throw new Refusal({
    kind: 'frozen',
    reason:
      `Frozen by the legal escalation "${f.subject}" about ${f.business_name} (opened ${when(f.opened_at)}` +
      `${f.opened_by_name ? ` by ${f.opened_by_name}` : ''}): the operator's refund decisions, activations, flags and trainer emails ` +
      `for ${f.business_name} wait for legal guidance, so this (${doing}) was not done. Close the escalation to lift the freeze.`,
    current: { escalationId: f.escalation_id, businessId: f.business_id },
  });
}
