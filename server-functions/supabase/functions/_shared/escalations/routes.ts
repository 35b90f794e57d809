// The escalations domain's operator route (spec Part 7):
//   POST /escalation/draft { situation, source } → EscalationDraft: where it goes, and the evidence read now
// A read: the escalation is sent by the audited escalation.open command of /push.
import { ageWords, DraftRequest, type EscalationDraft } from '../../../../../shared/api/escalations.ts';
import { readJsonBody } from '../body.ts';
import type { TransactionSql } from 'postgres';
import type { Sql } from '../db.ts';
import { errorResponse, json } from '../http.ts';
import type { OperatorRoutes } from '../operator/routes.ts';
import { readEvidence } from './draft.ts';

export interface Route {
  team: EscalationDraft['team'];
  urgency: EscalationDraft['urgency'];
  to_email: string;
  age_minutes: number;
}

/** Spec Part 7's matrix as the server's settings hold it today (escalation_route, migration 3600). */
export async function routeOf(db: Sql | TransactionSql, situation: string): Promise<Route> {
  const [r] = await db<Route[]>`
    select team, urgency, to_email, (extract(epoch from age) / 60)::float8 as age_minutes from public.escalation_route(${situation})`;
  return r!;
}

export const escalationRoutes: OperatorRoutes = async (deps, _operatorId, route, req) => {
  if (route !== '/escalation/draft' || req.method !== 'POST') return null;
  const body = await readJsonBody(req, DraftRequest);
  if (!body.ok) return body.response;
  const { situation, source } = body.value;
  const found = await readEvidence(deps, source);
  if (!found) return errorResponse(404, 'not_found', `no ${source.kind} ${source.id} to escalate from`, { field: 'source.id' });
  const r = await routeOf(deps.sql, situation);
  const draft: EscalationDraft = {
    situation,
    source,
    team: r.team,
    urgency: r.urgency,
    to: r.to_email,
    answerWithin: ageWords(r.age_minutes),
    businessId: found.businessId,
    businessName: found.businessName,
    subject: found.subject.slice(0, 200),
    evidence: found.evidence,
  };
  return json(draft);
};
