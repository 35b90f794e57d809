// Payment reconciliation from the console (spec 2.3): online only, since it
// compares with Stripe on the server. Runs it, lists the archived reports and
// fetches one report's file for the operator to save; nothing is cached or
// queued, and offline each call says it needs a connection.
import { createHash } from 'node:crypto';
import { ReconciliationRun, ReportList, SweepResult, type ReportFile, type ReportMeta } from '../../shared/api/reconciliation.ts';
import { ConsoleError } from '../../shared/ipc/result.ts';
import { callFunction, onlineOnly, type HttpTransportOptions } from '../sync/transport.ts';

export interface ReconciliationClient {
  run(): Promise<ReconciliationRun>;
  reports(): Promise<ReportMeta[]>;
  file(reportId: string, format: 'csv' | 'pdf'): Promise<ReportFile>;
  /** The fix for "in Stripe, not recorded here": the missed-webhook sweep, now. */
  recover(): Promise<SweepResult>;
}

const PATH = 'payment-reconciliation';

export function createReconciliationClient(opts: HttpTransportOptions): ReconciliationClient {
  const online = <T>(what: string, call: () => Promise<T>) => onlineOnly(what, 'it compares with Stripe there', call);
  return {
    run: () => online('Running the reconciliation', () => callFunction(opts, PATH, { method: 'POST' }, ReconciliationRun, 'reconciliation')),
    reports: () =>
      online('Listing the reconciliation reports', async () => (await callFunction(opts, PATH, { method: 'GET' }, ReportList, 'report list')).reports),
    recover: () => online('Recovering missed payments', () => callFunction(opts, 'stripe-sweep', { method: 'POST', body: {} }, SweepResult, 'sweep')),
    async file(reportId, format) {
      const { bytes, headers } = await online('Fetching the report', () =>
        callFunction<{ bytes: Uint8Array; headers: Headers }>(
          opts,
          `${PATH}?id=${encodeURIComponent(reportId)}&format=${format}`,
          { method: 'GET' },
          null,
          'report',
        ),
      );
      const fileName = /filename="([^"]+)"/.exec(headers.get('content-disposition') ?? '')?.[1] ?? `report.${format}`;
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      // What the archive holds is what the operator saves: checked against the hash the server recorded (x-content-sha256).
      if (sha256 !== headers.get('x-content-sha256')) {
        throw new ConsoleError('server', `the ${format.toUpperCase()} of ${fileName.replace(/\.\w+$/, '')} does not match its archived SHA-256; not saved`);
      }
      return { fileName, mimeType: format === 'csv' ? 'text/csv' : 'application/pdf', base64: Buffer.from(bytes).toString('base64'), sha256 };
    },
  };
}
