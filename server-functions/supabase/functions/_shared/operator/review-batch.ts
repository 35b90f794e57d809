// The fast path for what a weekly batch mostly is: hundreds of review
// approvals and rejections. One locking read, one update, one audit insert and
// one insert of the verdicts for the whole run, instead of a handful of round
// trips per command; the same checks (owner, version, pending) and the same
// verdicts as the one-by-one path. If anything is unusual (a concurrent push
// of the same command ids) it throws BatchFallback and the caller rolls the
// run back and takes the one-by-one path.
import type { TransactionSql } from 'postgres';
import type { Command, CommandVerdict } from '../../../../../shared/api/operator.ts';
import { checkVersioned, Refusal, type VersionedRow } from './commands.ts';

export class BatchFallback extends Error {}

type ReviewCommand = Command<'review.approve'> | Command<'review.reject'>;

export function isBatchableReview(c: Command): c is ReviewCommand {
  return c.type === 'review.approve' || c.type === 'review.reject';
}

export async function applyReviewBatch(tx: TransactionSql, operatorId: string, cmds: ReviewCommand[], now: Date): Promise<CommandVerdict[]> {
  const ids = cmds.map((c) => c.payload.reviewId);
  const rows = await tx<VersionedRow[]>`
    select r.id, r.business_id, r.status, r.version, r.moderated_by as decided_by, p.display_name as decided_by_name,
           r.moderated_at as decided_at
    from public.reviews r left join public.profiles p on p.id = r.moderated_by
    where r.id = any(${ids}::uuid[])
    order by r.id
    for update of r`;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const verdicts: CommandVerdict[] = [];
  const fresh: { cmd: ReviewCommand; before: VersionedRow; status: 'approved' | 'rejected'; reason: string | null; note: string | null }[] = [];
  for (const cmd of cmds) {
    try {
      const before = checkVersioned('review', byId.get(cmd.payload.reviewId), cmd.payload.reviewId, cmd.payload.businessId, cmd.baseVersion);
      const reject = cmd.type === 'review.reject' ? (cmd as Command<'review.reject'>).payload : null;
      fresh.push({ cmd, before, status: reject ? 'rejected' : 'approved', reason: reject?.reason ?? null, note: reject?.note ?? null });
      verdicts.push({ status: 'applied' });
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      verdicts.push({ status: 'rejected', ...err.verdict });
    }
  }
  if (fresh.length) {
    const updated = await tx<{ id: string; version: number }[]>`
      update public.reviews r
      set status = v.status, rejection_reason = v.reason, rejection_note = v.note, moderated_by = ${operatorId}, moderated_at = ${now}
      from unnest(${fresh.map((f) => f.cmd.payload.reviewId)}::uuid[], ${fresh.map((f) => f.status)}::text[],
                  ${fresh.map((f) => f.reason) as string[]}::text[], ${fresh.map((f) => f.note) as string[]}::text[]) as v(id, status, reason, note)
      where r.id = v.id
      returning r.id, r.version`;
    const version = new Map(updated.map((u) => [u.id, u.version]));
    const details = fresh.map((f) => JSON.stringify({
      command_id: f.cmd.id, decided_at: f.cmd.decidedAt, applied_at: now.toISOString(), base_version: f.cmd.baseVersion,
      before: { status: f.before.status, version: f.before.version },
      after: { status: f.status, version: version.get(f.cmd.payload.reviewId), ...(f.reason ? { rejection_reason: f.reason, rejection_note: f.note } : {}) },
    }));
    await tx`
      select public.audit(${operatorId}, 'operator', 'command.' || a.type, 'review', a.subject, null, a.details::jsonb)
      from unnest(${fresh.map((f) => f.cmd.type)}::text[], ${fresh.map((f) => f.cmd.payload.reviewId)}::text[], ${details}::text[])
        as a(type, subject, details)`;
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
