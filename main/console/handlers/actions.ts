// The operator's other actions: feature flags (the AI mode, online only),
// flagged accounts, incident reports, trainer emails and activating a paid
// charge's placement. An action taken on a live view (a dossier, the refund
// pattern) is sent at once and answers its verdict.
import { randomUUID } from 'node:crypto';
import type { EmailItem, FlagItem, FlaggedAccount, IncidentItem } from '../../../shared/api/operator.ts';
import { setAiMode } from '../../../shared/commands/ai.ts';
import { flagAccount } from '../../../shared/commands/accounts.ts';
import { emailTrainer } from '../../../shared/commands/emails.ts';
import { writeIncident } from '../../../shared/commands/incidents.ts';
import { activateOrphanedPayment } from '../../../shared/commands/payments.ts';
import type { actionsMethods } from '../../../shared/ipc/methods.ts';
import { parseRows, type HandlerContext, type HandlersFor } from './context.ts';

const newestFirst = (a: { createdAt: string }, b: { createdAt: string }) => (a.createdAt < b.createdAt ? 1 : -1);

export function createActionsHandlers(ctx: HandlerContext) {
  const { store, desk } = ctx;
  return {
    flags: () => parseRows<FlagItem>(store.items('flag')),
    accounts: () => parseRows<FlaggedAccount>(store.items('account')).filter((a) => a.accountStatus === 'flagged_for_review'),
    incidents: () => parseRows<IncidentItem>(store.items('incident')).sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1)),
    emails: () => parseRows<EmailItem>(store.items('email')).sort(newestFirst),
    setAiMode: (mode) => desk.online(setAiMode, { mode }),
    flagAccount: (profileId, reason) => desk.send(flagAccount, { profileId, reason }),
    writeIncident: (input) => desk.queue(writeIncident, { incidentId: randomUUID(), ...input }),
    emailTrainer: (businessId, template) => desk.send(emailTrainer, { businessId, template }),
    activateOrphan: (paymentId) => desk.send(activateOrphanedPayment, { paymentId }),
  } satisfies HandlersFor<typeof actionsMethods>;
}
