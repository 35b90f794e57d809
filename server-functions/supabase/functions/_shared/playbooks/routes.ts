// The playbooks domain's operator routes (spec Part 4):
//   POST /playbook { incidentId }              → PlaybookEvidence: the run and its facts read now
//   POST /playbook/triage-check { incidentId } → TriageCheck: the four cases through emergency-triage
//   POST /playbook/webhook-health { incidentId } → WebhookHealth: a signed test event through stripe-webhook
//   POST /playbook/probe-zai { incidentId }    → ZaiProbeResult: one small Z.AI call now
// Each reads the live system; nothing here changes a payment, a placement or
// a setting (the steps' actions are the audited commands of /push).
import { PlaybookCheckRequest, type PlaybookEvidence, PlaybookRequest, type PlaybookRun, type ZaiProbeResult } from '../../../../../shared/api/playbooks.ts';
import { lastZaiCheck, probeZai } from '../ai/probe.ts';
import { readJsonBody } from '../body.ts';
import { errorResponse, json } from '../http.ts';
import { readRun, runExists } from '../incidents/run.ts';
import type { OperatorRoutes, RouteDeps } from '../operator/routes.ts';
import { readCronEvidence } from './cron.ts';
import { readSignal } from './signal.ts';
import { runTriageCheck } from './triage.ts';
import { checkWebhookHealth, readWebhookEvidence } from './webhook.ts';
import { readZaiEvidence } from './zai.ts';

export async function readFacts(deps: RouteDeps, run: PlaybookRun, now: Date): Promise<PlaybookEvidence['facts']> {
  const signal = await readSignal(deps.sql, run);
  switch (run.playbook) {
    case 'zai_down':
      return readZaiEvidence(deps.sql, run, signal, now);
    case 'webhook_failed':
      return readWebhookEvidence(deps.sql, deps.stripe, run, now);
    case 'cron_failed':
      return readCronEvidence(deps.sql, now);
    case 'queue_dispute':
    case 'refund_rate':
      // The console reads the dossier, the queue check and the refund pattern through their own calls; this names what they are about.
      return { playbook: run.playbook, councilId: signal.councilId, businessId: signal.businessId };
  }
}

const ROUTES = ['/playbook', '/playbook/triage-check', '/playbook/webhook-health', '/playbook/probe-zai'];

export const playbookRoutes: OperatorRoutes = async (deps, _operatorId, route, req) => {
  if (!ROUTES.includes(route) || req.method !== 'POST') return null;
  const body = await readJsonBody(req, route === '/playbook' ? PlaybookRequest : PlaybookCheckRequest);
  if (!body.ok) return body.response;
  const now = deps.now();
  const missing = () => errorResponse(404, 'not_found', `no playbook run for incident ${body.value.incidentId}`, { field: 'incidentId' });
  if (route === '/playbook') {
    const run = await readRun(deps.sql, body.value.incidentId, now);
    if (!run) return missing();
    const evidence: PlaybookEvidence = { readAt: now.toISOString(), run, facts: await readFacts(deps, run, now) };
    return json(evidence);
  }
  // The live checks only need the run to exist: its timeline and report are not read for them.
  if (!(await runExists(deps.sql, body.value.incidentId))) return missing();
  switch (route) {
    case '/playbook/triage-check':
      return json(await runTriageCheck(deps));
    case '/playbook/webhook-health':
      return json(await checkWebhookHealth(deps, now));
    default: {
      const outcome = await probeZai({ sql: deps.sql, zai: deps.zai ?? null, now: deps.now }, { scheduled: false });
      const result: ZaiProbeResult = {
        probed: outcome.probed,
        reason: outcome.probed ? null : outcome.reason,
        lastCheck: outcome.probed ? outcome.check : await lastZaiCheck(deps.sql),
      };
      return json(result);
    }
  }
};
