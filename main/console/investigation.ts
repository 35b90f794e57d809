// The console's reads of the live system: the investigation (spec 2.5,
// playbooks 2 and 4: the server reads the live records and asks Stripe),
// the metrics snapshot of 3.2, the refund pattern of playbook 5 and an
// escalation's draft (Part 7: the evidence read from its source). Online only; offline each call says it needs
// a connection, and nothing is queued (the service keeps the last snapshot).
import { EscalationDraft, type EscalationSource, type Situation } from '../../shared/api/escalations.ts';
import { InvestigateAnswer, QueueCheckAnswer } from '../../shared/api/investigation.ts';
import { MetricsReport } from '../../shared/api/metrics.ts';
import { RefundPattern } from '../../shared/api/refund-pattern.ts';
import { callFunction, onlineOnly, type HttpTransportOptions } from '../sync/transport.ts';

export interface InvestigationClient {
  investigate(query: string): Promise<InvestigateAnswer>;
  checkQueue(councilId: string): Promise<QueueCheckAnswer>;
  metrics(): Promise<MetricsReport>;
  refundPattern(): Promise<RefundPattern>;
  escalationDraft(situation: Situation, source: EscalationSource): Promise<EscalationDraft>;
}

export function createInvestigationClient(opts: HttpTransportOptions): InvestigationClient {
  const online = <T>(what: string, call: () => Promise<T>) => onlineOnly(what, 'it reads the live records and asks Stripe', call);
  return {
    investigate: (query) =>
      online('Investigating', () => callFunction(opts, 'operator/investigate', { method: 'POST', body: { query } }, InvestigateAnswer, 'investigation')),
    checkQueue: (councilId) =>
      online('Checking the queue order', () =>
        callFunction(opts, 'operator/queue-check', { method: 'POST', body: { councilId } }, QueueCheckAnswer, 'queue check'),
      ),
    metrics: () => online('Fetching the metrics', () => callFunction(opts, 'operator/metrics', { method: 'POST', body: {} }, MetricsReport, 'metrics')),
    refundPattern: () =>
      onlineOnly('Analyzing the refund pattern', 'it reads the live refunds', () =>
        callFunction(opts, 'operator/refund-pattern', { method: 'POST', body: {} }, RefundPattern, 'refund pattern'),
      ),
    escalationDraft: (situation, source) =>
      onlineOnly('Preparing the escalation', 'it reads the evidence from the live records', () =>
        callFunction(opts, 'operator/escalation/draft', { method: 'POST', body: { situation, source } }, EscalationDraft, 'escalation draft'),
      ),
  };
}
