// Payment reconciliation (spec 2.3): run the server's comparison with Stripe,
// read its discrepancies by class, and save any archived report. Online only:
// main says so when there is no connection, and nothing is queued.
import { createStore } from 'zustand/vanilla';
import type { ReconciliationRun, ReportFile, ReportMeta } from '../../../shared/api/reconciliation.ts';
import type { ConsoleApi } from '../../../shared/ipc/contract.ts';

export interface ReconciliationState {
  running: boolean;
  run: ReconciliationRun | null;
  reports: ReportMeta[];
  /** Why the last call failed (offline, server), in main's words. */
  error: string | null;
  /** The last file saved, for the status line. */
  saved: string | null;
  load(): Promise<void>;
  runNow(): Promise<void>;
  fetchFile(reportId: string, format: 'csv' | 'pdf'): Promise<ReportFile | null>;
  /** The "recover" fix: the sweep applies what the webhook missed, then the comparison runs again. */
  recover(): Promise<void>;
  /** What the last fix did, in words. */
  fixed: string | null;
  /** The payment whose "mark failed" waits for the operator's confirmation. */
  confirming: string | null;
  askMarkFailed(paymentId: string | null): void;
  /** The fix for "recorded here, not in Stripe", once confirmed: the server asks Stripe, then marks it. */
  markFailed(paymentId: string): Promise<void>;
}

export function createReconciliationStore(api: ConsoleApi) {
  return createStore<ReconciliationState>()((set, get) => ({
    running: false,
    run: null,
    reports: [],
    error: null,
    saved: null,
    fixed: null,
    confirming: null,
    askMarkFailed: (paymentId) => set({ confirming: paymentId }),
    async markFailed(paymentId) {
      set({ running: true, error: null, fixed: null, confirming: null });
      const r = await api.markPaymentFailed(paymentId);
      if (!r.ok || r.value.status === 'rejected') {
        set({ running: false, error: r.ok ? `Not marked: ${r.value.reason ?? 'the server refused'}` : r.error.message });
        return;
      }
      set({ fixed: 'Stripe has no such charge: the payment is marked failed and its placement ended; the comparison ran again below.' });
      await get().runNow();
    },
    async recover() {
      set({ running: true, error: null, fixed: null });
      const r = await api.recoverMissedPayments();
      if (!r.ok) {
        set({ running: false, error: r.error.message });
        return;
      }
      set({ fixed: `The sweep applied ${r.value.applied} missed Stripe event${r.value.applied === 1 ? '' : 's'}; the comparison ran again below.` });
      await get().runNow();
    },
    async load() {
      const r = await api.reconciliationReports();
      set(r.ok ? { reports: r.value, error: null } : { error: r.error.message });
    },
    async runNow() {
      set({ running: true, error: null });
      const r = await api.runReconciliation();
      set(r.ok ? { running: false, run: r.value } : { running: false, error: r.error.message });
      if (r.ok) await get().load();
    },
    async fetchFile(reportId, format) {
      const r = await api.reconciliationReport(reportId, format);
      if (!r.ok) {
        set({ error: r.error.message });
        return null;
      }
      set({ saved: `${r.value.fileName} (SHA-256 ${r.value.sha256.slice(0, 12)}…)`, error: null });
      return r.value;
    },
  }));
}
export type ReconciliationStore = ReturnType<typeof createReconciliationStore>;
