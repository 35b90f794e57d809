// Escalations as commands (spec Part 7). Sending one routes it by its
// situation (escalation_route: the team, the urgency, the address, the age
// an answer may take), composes the packet from the operator's note and the
// evidence they read (shared/api/escalations.ts: the console's preview is
// the same text), keeps it with its SHA-256 (also in the audit entry) and
// queues the email to the team. The business it is about is read from the
// source here, never taken from the console: a legal escalation freezes it.
import { composePacket, SITUATION, TEAM_NAME, URGENCY_WORDS, ageWords } from '../../../../../shared/api/escalations.ts';
import { answerEscalation, closeEscalation, openEscalation } from '../../../../../shared/commands/escalations.ts';
import { sha256 } from '../incidents/report.ts';
import type { Handler, Handlers } from '../operator/command.ts';
import { Refusal, when } from '../operator/versioned.ts';
import { sourceBusiness } from './draft.ts';
import { routeOf } from './routes.ts';

const escalationOpen: Handler<typeof openEscalation.type> = async (ctx, c) => {
  const p = c.payload;
  const [taken] = await ctx.tx<{ opened_at: Date }[]>`select opened_at from public.escalations where id = ${p.escalationId}`;
  if (taken) throw new Refusal({ kind: 'refused', reason: `escalation ${p.escalationId} was already sent (${when(taken.opened_at)}); send a new one` });
  const business = await sourceBusiness(ctx.tx, p.source);
  if (!business.found) throw new Refusal({ kind: 'not_found', reason: `no ${p.source.kind} ${p.source.id} to escalate from` });
  const r = await routeOf(ctx.tx, p.situation);
  const packet = composePacket({
    situation: p.situation,
    team: r.team,
    urgency: r.urgency,
    to: r.to_email,
    answerWithin: ageWords(r.age_minutes),
    businessName: business.businessName,
    source: p.source,
    subject: p.subject,
    note: p.note,
    evidence: p.evidence,
  });
  const packetSha256 = await sha256(new TextEncoder().encode(packet));
  const dueAt = new Date(ctx.now.getTime() + r.age_minutes * 60_000);
  const payload = {
    team: TEAM_NAME[r.team],
    urgency: URGENCY_WORDS[r.urgency].toLowerCase(),
    situation: SITUATION[p.situation].title,
    subject: p.subject,
    packet,
  };
  const [email] = await ctx.tx<{ id: string | null }[]>`
    select public.queue_email(${r.to_email}, 'escalation', ${ctx.tx.json(payload)}, ${`escalation:${p.escalationId}`}) as id`;
  await ctx.tx`
    insert into public.escalations (id, situation, team, urgency, source_kind, source_id, business_id, subject, note, packet, packet_sha256,
                                    to_email, email_id, opened_by, opened_at, due_at)
    values (${p.escalationId}, ${p.situation}, ${r.team}, ${r.urgency}, ${p.source.kind}, ${p.source.id}, ${business.businessId}, ${p.subject},
            ${p.note.trim() || null}, ${packet}, ${packetSha256}, ${r.to_email}, ${email!.id}, ${ctx.operatorId}, ${ctx.now}, ${dueAt})`;
  const frozen = p.situation === 'legal_compliance' && business.businessName ? business.businessName : null;
  return {
    subjectType: 'escalation',
    subjectId: p.escalationId,
    before: null,
    after: { situation: p.situation, team: r.team, urgency: r.urgency, to: r.to_email, business_id: business.businessId, packet_sha256: packetSha256 },
    details: {
      escalationId: p.escalationId,
      team: r.team,
      urgency: r.urgency,
      to: r.to_email,
      dueAt: dueAt.toISOString(),
      packetSha256,
      emailId: email!.id,
      frozen,
    },
  };
};

interface Row {
  status: 'open' | 'answered' | 'closed';
  version: number;
  subject: string;
  closed_at: Date | null;
}

/** The escalation at the version the operator saw, not closed. */
async function current(ctx: Parameters<Handler<typeof closeEscalation.type>>[0], id: string, baseVersion: number | null): Promise<Row> {
  const [row] = await ctx.tx<Row[]>`select status, version, subject, closed_at from public.escalations where id = ${id} for update`;
  if (!row) throw new Refusal({ kind: 'not_found', reason: `escalation ${id} does not exist` });
  if (row.status === 'closed')
    throw new Refusal({
      kind: 'refused',
      reason: `escalation "${row.subject}" was closed ${when(row.closed_at)}`,
      current: { status: row.status, version: row.version },
    });
  if (row.version !== baseVersion) {
    throw new Refusal({
      kind: 'stale',
      reason: `escalation "${row.subject}" changed since you saw it (you saw version ${baseVersion}, it is now ${row.version}); look again`,
      current: { status: row.status, version: row.version },
    });
  }
  return row;
}

const escalationAnswer: Handler<typeof answerEscalation.type> = async (ctx, c) => {
  const row = await current(ctx, c.payload.escalationId, c.baseVersion);
  await ctx.tx`
    update public.escalations set status = 'answered', answer = ${c.payload.answer}, answered_by = ${ctx.operatorId}, answered_at = ${ctx.now}
    where id = ${c.payload.escalationId}`;
  return { subjectType: 'escalation', subjectId: c.payload.escalationId, before: { status: row.status, version: row.version }, after: { status: 'answered' } };
};

const escalationClose: Handler<typeof closeEscalation.type> = async (ctx, c) => {
  const row = await current(ctx, c.payload.escalationId, c.baseVersion);
  await ctx.tx`
    update public.escalations set status = 'closed', close_note = ${c.payload.note}, closed_by = ${ctx.operatorId}, closed_at = ${ctx.now}
    where id = ${c.payload.escalationId}`;
  return { subjectType: 'escalation', subjectId: c.payload.escalationId, before: { status: row.status, version: row.version }, after: { status: 'closed' } };
};

export const escalationHandlers: Handlers<(typeof openEscalation | typeof answerEscalation | typeof closeEscalation)['type']> = {
  [openEscalation.type]: escalationOpen,
  [answerEscalation.type]: escalationAnswer,
  [closeEscalation.type]: escalationClose,
};
