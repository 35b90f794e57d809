import { describe, expect, it } from 'vitest';
import type { ReconciliationRun, ReportMeta } from '../../../shared/api/reconciliation.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createReconciliationStore } from './store.ts';

const run = (over: Partial<ReconciliationRun> = {}): ReconciliationRun => ({
  reportId: 'r1',
  name: 'Payment_Reconciliation_2026-12-02',
  windowStart: '2026-11-25T00:00:00Z',
  windowEnd: '2026-12-02T00:00:00Z',
  ourTotalCents: 2200,
  stripeTotalCents: 4400,
  ourCount: 1,
  stripeCount: 2,
  matched: 1,
  discrepancies: [],
  csvSha256: 'a'.repeat(64),
  pdfSha256: 'b'.repeat(64),
  ...over,
});
const meta = { id: 'r1', name: 'Payment_Reconciliation_2026-12-02', discrepancies: 1 } as ReportMeta;

describe('reconciliation store', () => {
  it('runs, keeps the result and reloads the archive; the recover fix runs the sweep and then the comparison again', async () => {
    const fake = createFakeApi({
      runReconciliation: () => run(),
      reconciliationReports: () => [meta],
      recoverMissedPayments: () => ({ seen: 3, applied: 2, alreadyProcessed: 1 }),
    });
    const store = createReconciliationStore(fake.api);
    await store.getState().runNow();
    expect(store.getState()).toMatchObject({ running: false, run: { reportId: 'r1' }, reports: [meta], error: null });
    await store.getState().recover();
    expect(store.getState().fixed).toBe('The sweep applied 2 missed Stripe events; the comparison ran again below.');
    expect(fake.calls.map((c) => c.method)).toEqual([
      'runReconciliation',
      'reconciliationReports',
      'recoverMissedPayments',
      'runReconciliation',
      'reconciliationReports',
    ]);
  });

  it("offline it shows main's sentence and keeps the last result", async () => {
    let offline = false;
    const fake = createFakeApi({
      runReconciliation: () => {
        if (offline) throw new ConsoleError('offline', 'Running the reconciliation needs a connection to the server');
        return run();
      },
      reconciliationReports: () => [meta],
    });
    const store = createReconciliationStore(fake.api);
    await store.getState().runNow();
    offline = true;
    await store.getState().runNow();
    expect(store.getState()).toMatchObject({ running: false, run: { reportId: 'r1' }, error: 'Running the reconciliation needs a connection to the server' });
  });

  it("marks a payment failed only after the operator confirms, and shows the server's refusal in its words", async () => {
    let verdict: { commandId: string; status: 'applied' | 'rejected'; reason?: string } = {
      commandId: 'c1',
      status: 'rejected',
      reason: 'Stripe shows ch_1 succeeded ($22.00)',
    };
    const fake = createFakeApi({ markPaymentFailed: () => verdict, runReconciliation: () => run(), reconciliationReports: () => [meta] });
    const store = createReconciliationStore(fake.api);
    store.getState().askMarkFailed('p1');
    expect(store.getState().confirming).toBe('p1');
    await store.getState().markFailed('p1');
    expect(store.getState()).toMatchObject({ confirming: null, error: 'Not marked: Stripe shows ch_1 succeeded ($22.00)', running: false });
    verdict = { commandId: 'c1', status: 'applied' };
    await store.getState().markFailed('p1');
    expect(store.getState().fixed).toMatch(/^Stripe has no such charge: the payment is marked failed/);
    expect(fake.calls.filter((c) => c.method === 'runReconciliation')).toHaveLength(1);
  });

  it('says which file it saved, with the start of its SHA-256', async () => {
    const fake = createFakeApi({
      reconciliationReport: (_id, format) => ({ fileName: `${meta.name}.${format}`, mimeType: 'application/pdf', base64: 'JVBERg==', sha256: 'c'.repeat(64) }),
    });
    const store = createReconciliationStore(fake.api);
    const file = await store.getState().fetchFile('r1', 'pdf');
    expect(file?.fileName).toBe(`${meta.name}.pdf`);
    expect(store.getState().saved).toBe(`${meta.name}.pdf (SHA-256 cccccccccccc…)`);
  });
});
