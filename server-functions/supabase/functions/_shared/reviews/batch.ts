// The fast path for what a weekly batch mostly is: hundreds of review
// approvals and rejections. The decisions go through decideReviews (one
// locking read, one update), then one audit insert and one insert of the
// verdicts for the whole run, instead of a handful of round trips per
// command. If the verdicts cannot all be stored (a concurrent push of the same
// command ids) it throws BatchFallback and the caller rolls the run back and
// takes the one-by-one path.
import type { TransactionSql } from 'postgres';
import type { Command, CommandVerdict } from '../../../../../shared/api/operator.ts';
import { approveReview, rejectReview } from '../../../../../shared/commands/reviews.ts';
import { commandAuditDetails } from '../operator/command.ts';
import { Refusal } from '../operator/versioned.ts';
import { decideReviews } from './moderate.ts';

export class BatchFallback extends Error {}

type ReviewCommand = Command<typeof approveReview.type> | Command<typeof rejectReview.type>;

export function isBatchableReview(c: Command): c is ReviewCommand {
  return c.type === approveReview.type || c.type === rejectReview.type;
}

export async function applyReviewBatch(tx: TransactionSql, operatorId: string, cmds: ReviewCommand[], now: Date): Promise<CommandVerdict[]> {
  const outcomes = await decideReviews(
    tx,
    operatorId,
    now,
    cmds.map((c) => ({
      ...c.payload,
      baseVersion: c.baseVersion,
      status: c.type === approveReview.type ? ('approved' as const) : ('rejected' as const),
    })),
  );
  const verdicts = outcomes.map((o): CommandVerdict => (o instanceof Refusal ? { status: 'rejected', ...o.verdict } : { status: 'applied' }));
  const applied = cmds.flatMap((c, i) => {
    const o = outcomes[i]!;
    return o instanceof Refusal ? [] : [{ c, details: JSON.stringify(commandAuditDetails(c, now, o.before, o.after)) }];
  });
  if (applied.length) {
    await tx`
      select public.audit(${operatorId}, 'operator', 'command.' || a.type, 'review', a.subject, null, a.details::jsonb)
      from unnest(${applied.map((a) => a.c.type)}::text[], ${applied.map((a) => a.c.payload.reviewId)}::text[],
                  ${applied.map((a) => a.details)}::text[]) as a(type, subject, details)`;
  }
  const stored = await tx<{ id: string }[]>`
    insert into public.operator_commands (id, operator_id, type, payload, base_version, decided_at, status, result)
    select c.id, ${operatorId}, c.type, c.payload::jsonb, c.base_version, c.decided_at, c.status, c.result::jsonb
    from unnest(${cmds.map((c) => c.id)}::uuid[], ${cmds.map((c) => c.type)}::text[], ${cmds.map((c) => JSON.stringify(c.payload))}::text[],
                ${cmds.map((c) => c.baseVersion) as number[]}::int[], ${cmds.map((c) => c.decidedAt)}::timestamptz[],
                ${verdicts.map((v) => v.status)}::text[], ${verdicts.map((v) => JSON.stringify(v))}::text[])
      as c(id, type, payload, base_version, decided_at, status, result)
    on conflict (id) do nothing
    returning id`;
  if (stored.length !== cmds.length) throw new BatchFallback('a command of this run was stored by another push');
  return verdicts;
}
