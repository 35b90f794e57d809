// Escalations (spec Part 7) from the cache, each with its age against its
// urgency now; drafted and sent online (the server reads the evidence,
// stores the packet and emails the team), answered and closed like any
// decision (queued, sent at once when online). The legal freeze as the
// cache knows it: which businesses an open legal escalation holds.
import { randomUUID } from 'node:crypto';
import { type EscalationItem, legalFreezes } from '../../../shared/api/escalations.ts';
import { answerEscalation, closeEscalation, openEscalation } from '../../../shared/commands/escalations.ts';
import type { escalationsMethods } from '../../../shared/ipc/methods.ts';
import type { EscalationView, Freeze } from '../../../shared/ipc/views.ts';
import { parseRows, withDecisions, type HandlerContext, type HandlersFor } from './context.ts';

const newestFirst = (a: EscalationItem, b: EscalationItem) => (a.openedAt < b.openedAt ? 1 : -1);

/** Every cached escalation with its age against its urgency at `now`. */
export function escalationViews(ctx: HandlerContext): EscalationView[] {
  const now = new Date(ctx.clock()).toISOString();
  const items = parseRows<EscalationItem>(ctx.store.items('escalation')).sort(newestFirst);
  return withDecisions(ctx, items).map((e) => ({ ...e, overdue: e.status === 'open' && e.dueAt < now }));
}

/** The businesses an open legal escalation freezes, as the last pull brought them. */
export const freezesByBusiness = (ctx: HandlerContext): Map<string, Freeze> => legalFreezes(parseRows<EscalationItem>(ctx.store.items('escalation')));

export function createEscalationsHandlers(ctx: HandlerContext) {
  const { desk } = ctx;
  return {
    escalations: () => escalationViews(ctx),
    escalationDraft: (situation, source) => ctx.investigation.escalationDraft(situation, source),
    openEscalation: (situation, source, subject, note, evidence) =>
      desk.online(openEscalation, { escalationId: randomUUID(), situation, source, subject, note, evidence }),
    answerEscalation: (escalationId, version, answer) => desk.send(answerEscalation, { escalationId, answer }, version),
    closeEscalation: (escalationId, version, note) => desk.send(closeEscalation, { escalationId, note }, version),
  } satisfies HandlersFor<typeof escalationsMethods>;
}
