// An alert resolved by the operator, with the note of what was done.
import { resolveAlert } from '../../../../../shared/commands/alerts.ts';
import type { Handler, Handlers } from '../operator/command.ts';
import { Refusal, when } from '../operator/versioned.ts';

const alertResolve: Handler<typeof resolveAlert.type> = async (ctx, c) => {
  const [row] = await ctx.tx<{ resolved_at: Date | null; kind: string }[]>`
    select resolved_at, kind from public.alerts where id = ${c.payload.alertId} for update`;
  if (!row) throw new Refusal({ kind: 'not_found', reason: `alert ${c.payload.alertId} does not exist` });
  if (row.resolved_at) throw new Refusal({ kind: 'refused', reason: `alert was already resolved at ${when(row.resolved_at)}` });
  await ctx.tx`
    update public.alerts
    set resolved_at = greatest(${ctx.now}, opened_at), acknowledged_by = ${ctx.operatorId}, acknowledged_at = ${ctx.now},
        details = details || jsonb_build_object('resolution_note', ${c.payload.note ?? null}::text)
    where id = ${c.payload.alertId}`;
  return {
    subjectType: 'alert',
    subjectId: c.payload.alertId,
    before: { resolved: false, kind: row.kind },
    after: { resolved: true, note: c.payload.note ?? null },
  };
};

export const alertHandlers: Handlers<typeof resolveAlert.type> = { [resolveAlert.type]: alertResolve };
