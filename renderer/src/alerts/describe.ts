// An audit entry in words for the activity log ("operator: review approved",
// "system: payment succeeded, $22.00").
import type { ActivityItem } from '../../../shared/api/operator.ts';
import { bulkApproveReviews, declarationOf } from '../../../shared/commands/index.ts';
import { formatAud } from '../ui/format.ts';

/** The command an audit entry records, when it is one (its action is "command." and the type). */
const commandOf = (action: string) => (action.startsWith('command.') ? declarationOf(action.slice('command.'.length)) : null);

export function describeActivity(a: ActivityItem): string {
  const command = commandOf(a.action);
  const what = command?.words.activity ?? a.action.replace(/^command\./, '').replace(/[._]/g, ' ');
  const approved = command === bulkApproveReviews ? (a.details.after as { approved?: unknown[] } | undefined)?.approved?.length : undefined;
  const amount = a.amountCents !== null && a.amountCents !== undefined ? `, ${formatAud(Math.abs(a.amountCents))}` : '';
  return `${a.actorKind}: ${what}${approved !== undefined ? ` (${approved})` : ''}${amount}`;
}
