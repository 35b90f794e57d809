// The playbook runs (spec Part 4). Opening one and finishing its report act
// on the live system (online only); a step recorded and a draft saved are
// queued like any decision and sent at once, so the run goes on offline and
// the server's verdict is answered when there is a connection. The evidence
// and the live checks are reads of the server (main/console/playbooks.ts).
import { randomUUID } from 'node:crypto';
import { finishIncident, openPlaybook, recordStep, updateIncident } from '../../../shared/commands/incidents.ts';
import type { playbooksMethods } from '../../../shared/ipc/methods.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import type { HandlerContext, HandlersFor } from './context.ts';

export function createPlaybooksHandlers(ctx: HandlerContext) {
  const { desk, playbooks } = ctx;
  return {
    async openPlaybook(playbook, signal) {
      // A fresh id for a new run; when one is open for that playbook the server resumes it and answers its id instead.
      const proposed = randomUUID();
      const outcome = await desk.online(openPlaybook, { incidentId: proposed, playbook, signal });
      const answered = outcome.details?.incidentId;
      const incidentId = outcome.status === 'applied' ? (typeof answered === 'string' ? answered : proposed) : null;
      return { outcome, incidentId };
    },
    playbook: (incidentId) => playbooks.evidence(incidentId),
    triageCheck: (incidentId) => playbooks.triageCheck(incidentId),
    webhookHealth: (incidentId) => playbooks.webhookHealth(incidentId),
    probeZai: (incidentId) => playbooks.probeZai(incidentId),
    recordStep(incidentId, step, outcome, note, commandId) {
      // The declaration refines this too, but the outbox takes payloads as given: refused here, not as a verdict later.
      if (outcome === 'skipped' && !note?.trim()) throw new ConsoleError('invalid', 'A skipped step needs a reason: say why it was skipped.');
      return desk.send(recordStep, { incidentId, step, outcome, ...(note?.trim() ? { note: note.trim() } : {}), ...(commandId ? { commandId } : {}) });
    },
    saveReport: (incidentId, version, fields) => desk.send(updateIncident, { incidentId, fields }, version),
    finishReport: (incidentId, version, fields) => desk.online(finishIncident, { incidentId, fields }, version),
    incidentFile: (incidentId, format) => playbooks.file(incidentId, format),
  } satisfies HandlersFor<typeof playbooksMethods>;
}
