// The operator's side of a trainer complaint: closing it with what was done.
// Versioned like every decision, so a complaint closed from two consoles (or
// closed twice from one after a lost answer) is closed once, by the first.
import type { Command } from '../../../../../shared/api/operator.ts';
import { closeComplaint } from '../../../../../shared/commands/complaints.ts';
import type { Applied, CommandContext, Handlers } from '../operator/command.ts';
import { checkVersioned, type VersionedRow } from '../operator/versioned.ts';

async function close(ctx: CommandContext, c: Command<typeof closeComplaint.type>): Promise<Applied> {
  const { complaintId: id, businessId, resolution } = c.payload;
  const [row] = await ctx.tx<(VersionedRow & { kind: string })[]>`
    select c.id, c.business_id, c.status, c.version, c.kind, c.closed_by as decided_by, p.display_name as decided_by_name, c.closed_at as decided_at
    from public.complaints c left join public.profiles p on p.id = c.closed_by
    where c.id = ${id} for update of c`;
  const before = checkVersioned('complaint', row, id, businessId, c.baseVersion);
  await ctx.tx`
    update public.complaints set status = 'closed', resolution = ${resolution}, closed_by = ${ctx.operatorId}, closed_at = ${ctx.now}
    where id = ${id}`;
  return {
    subjectType: 'complaint',
    subjectId: id,
    before: { status: before.status, version: before.version },
    after: { status: 'closed', resolution },
    details: { kind: row!.kind },
  };
}

export const complaintHandlers: Handlers<typeof closeComplaint.type> = { [closeComplaint.type]: close };
