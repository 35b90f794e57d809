// The playbook runs' reads of the live system (spec Part 4): a run's evidence
// read now, the live checks its steps run (the four triage cases through the
// emergency-triage function, a signed test event through our own webhook, a
// small call to Z.AI) and a final report's archived file. Online only, like
// the investigation: offline each call says it needs a connection, nothing
// is queued, and the screen keeps the last evidence it read.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PlaybookEvidence, TriageCheck, WebhookHealth, ZaiEvidence, ZaiProbeResult } from '../../shared/api/playbooks.ts';
import type { ReportFile } from '../../shared/api/reconciliation.ts';
import { ConsoleError } from '../../shared/ipc/result.ts';
import { callFunction, onlineOnly, type HttpTransportOptions } from '../sync/transport.ts';

/** One small call to Z.AI now: whether it answered well, and how fast (recorded in the AI health records by the server). */
export const ZaiProbe = ZaiEvidence.shape.lastCheck.unwrap();
export type ZaiProbe = z.infer<typeof ZaiProbe>;

const IncidentFile = z.object({ fileName: z.string(), mimeType: z.string(), base64: z.string(), sha256: z.string() });

export interface PlaybooksClient {
  evidence(incidentId: string): Promise<PlaybookEvidence>;
  triageCheck(incidentId: string): Promise<TriageCheck>;
  webhookHealth(incidentId: string): Promise<WebhookHealth>;
  probeZai(incidentId: string): Promise<ZaiProbe>;
  file(incidentId: string, format: 'txt' | 'pdf'): Promise<ReportFile>;
}

export function createPlaybooksClient(opts: HttpTransportOptions): PlaybooksClient {
  const post = <T>(what: string, why: string, route: string, body: unknown, schema: z.ZodType<T>, name: string) =>
    onlineOnly(what, why, () => callFunction(opts, `operator/${route}`, { method: 'POST', body }, schema, name));
  const live = 'it reads the live records';
  return {
    evidence: (incidentId) => post('Reading the playbook evidence', live, 'playbook', { incidentId }, PlaybookEvidence, 'playbook evidence'),
    // Right after a mode switch the server waits up to 30 s for every function instance to see it before sending the cases.
    triageCheck: (incidentId) =>
      onlineOnly('Running the four triage cases', 'it calls the emergency-triage function', () =>
        callFunction(
          { ...opts, timeoutMs: Math.max(opts.timeoutMs ?? 0, 75_000) },
          'operator/playbook/triage-check',
          { method: 'POST', body: { incidentId } },
          TriageCheck,
          'triage check',
        ),
      ),
    webhookHealth: (incidentId) =>
      post('Testing the webhook', 'it sends a signed test event to our endpoint', 'playbook/webhook-health', { incidentId }, WebhookHealth, 'webhook health'),
    // The server answers { probed, reason, lastCheck } (ZaiProbeResult), not the check itself: read that shape
    // (the e2e test found the check's shape expected here, so every re-test failed), and say why when no call was made.
    async probeZai(incidentId) {
      const r = await post('Re-testing Z.AI', 'it calls Z.AI from the server', 'playbook/probe-zai', { incidentId }, ZaiProbeResult, 'Z.AI probe');
      if (!r.probed || !r.lastCheck) throw new ConsoleError('server', `Z.AI was not re-tested: ${r.reason ?? 'the server made no call'}`);
      return r.lastCheck;
    },
    async file(incidentId, format) {
      const file = await post(
        'Fetching the incident report',
        'the report is archived there',
        'incident-file',
        { incidentId, format },
        IncidentFile,
        'incident file',
      );
      // What the operator saves is what was archived: the bytes checked against the SHA-256 the server recorded in the audit entry.
      const sha256 = createHash('sha256').update(Buffer.from(file.base64, 'base64')).digest('hex');
      if (sha256 !== file.sha256)
        throw new ConsoleError('server', `the ${format.toUpperCase()} of ${file.fileName} does not match its archived SHA-256; not saved`);
      return file;
    },
  };
}
