// Incident reports written by the operator.
import { writeIncident } from '../../../../../shared/commands/incidents.ts';
import type { Handler, Handlers } from '../operator/command.ts';

const incidentWrite: Handler<typeof writeIncident.type> = async (ctx, c) => {
  const p = c.payload;
  const [before] = await ctx.tx`select title, severity, resolved_at from public.incidents where id = ${p.incidentId} for update`;
  await ctx.tx`
    insert into public.incidents (id, title, severity, kind, started_at, resolved_at, root_cause, response, resolution, user_impact, created_by)
    values (${p.incidentId}, ${p.title}, ${p.severity}, ${p.kind}, ${p.startedAt}, ${p.resolvedAt ?? null}, ${p.rootCause ?? null},
            ${p.response ?? null}, ${p.resolution ?? null}, ${p.userImpact ?? null}, ${ctx.operatorId})
    on conflict (id) do update set title = excluded.title, severity = excluded.severity, kind = excluded.kind,
        started_at = excluded.started_at, resolved_at = excluded.resolved_at, root_cause = excluded.root_cause,
        response = excluded.response, resolution = excluded.resolution, user_impact = excluded.user_impact`;
  return {
    subjectType: 'incident',
    subjectId: p.incidentId,
    before: before ?? null,
    after: { title: p.title, severity: p.severity, resolvedAt: p.resolvedAt ?? null },
  };
};

export const incidentHandlers: Handlers<typeof writeIncident.type> = { [writeIncident.type]: incidentWrite };
