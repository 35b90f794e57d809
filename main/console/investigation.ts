// The console's reads of the live system: the investigation (spec 2.5,
// playbooks 2 and 4: the server reads the live records and asks Stripe) and
// the metrics snapshot of 3.2. Online only; offline each call says it needs
// a connection, and nothing is queued (the service keeps the last snapshot).
import { InvestigateAnswer, QueueCheckAnswer } from '../../shared/api/investigation.ts';
import { MetricsReport } from '../../shared/api/metrics.ts';
import { ConsoleError } from '../../shared/ipc/result.ts';
import { callFunction, TransportError, type HttpTransportOptions } from '../sync/transport.ts';

export interface InvestigationClient {
  investigate(query: string): Promise<InvestigateAnswer>;
  checkQueue(councilId: string): Promise<QueueCheckAnswer>;
  metrics(): Promise<MetricsReport>;
}

export function createInvestigationClient(opts: HttpTransportOptions): InvestigationClient {
  const online = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      if (err instanceof TransportError && err.kind === 'offline') {
        throw new ConsoleError('offline', `${what} needs a connection to the server (it reads the live records and asks Stripe), and you are offline.`);
      }
      if (err instanceof TransportError) throw new ConsoleError(err.kind === 'auth' ? 'not_signed_in' : 'server', `${what} failed: ${err.message}`);
      throw err;
    }
  };
  return {
    investigate: (query) =>
      online('Investigating', () => callFunction(opts, 'operator/investigate', { method: 'POST', body: { query } }, InvestigateAnswer, 'investigation')),
    checkQueue: (councilId) =>
      online('Checking the queue order', () =>
        callFunction(opts, 'operator/queue-check', { method: 'POST', body: { councilId } }, QueueCheckAnswer, 'queue check'),
      ),
    metrics: () => online('Fetching the metrics', () => callFunction(opts, 'operator/metrics', { method: 'POST', body: {} }, MetricsReport, 'metrics')),
  };
}
