// The outbox and what it will upload, the verdicts the server sent back, the
// dead-letter lane and the sync status. The upload summary and the labels are
// main's words; this store only holds them. Reloaded after a sync that moved
// the outbox or the verdicts (app/refresh.ts), and, while the Sync screen is
// open, whenever the outbox moved here (a decision queued, changed or undone).
import { createStore } from 'zustand/vanilla';
import type { ConsoleApi, ConsoleEvents, OutboxEntry, ReviewDecision, SyncStatus, UploadPreview, Verdict } from '../../../shared/ipc/contract.ts';
import type { Result } from '../../../shared/ipc/result.ts';
import { valueOr, type NoticesStore } from '../ui/notices.ts';

export interface SyncState {
  loaded: boolean;
  status: SyncStatus | null;
  outbox: OutboxEntry[];
  preview: UploadPreview | null;
  verdicts: Verdict[];
  progress: ConsoleEvents['progress'] | null;
  syncing: boolean;
  load(): Promise<void>;
  /** While the Sync screen is open: reload its lists whenever the outbox moved here. Returns the unsubscribe. */
  follow(): () => void;
  syncNow(): Promise<void>;
  cancel(commandId: string): Promise<void>;
  change(commandId: string, decision: ReviewDecision): Promise<boolean>;
  retry(commandId: string): Promise<void>;
  dismissVerdict(commandId: string): Promise<void>;
}

export function createSyncStore(api: ConsoleApi, notices: NoticesStore) {
  const store = createStore<SyncState>()((set, get) => {
    const after = async <T>(call: Promise<Result<T>>) => {
      const ok = valueOr(notices, await call) !== null;
      await get().load();
      return ok;
    };
    return {
      loaded: false,
      status: null,
      outbox: [],
      preview: null,
      verdicts: [],
      progress: null,
      syncing: false,
      async load() {
        const [status, outbox, preview, verdicts] = await Promise.all([api.status(), api.outbox(), api.previewUpload(), api.verdicts()]);
        set({
          loaded: true,
          status: valueOr(notices, status) ?? get().status,
          outbox: valueOr(notices, outbox) ?? get().outbox,
          preview: valueOr(notices, preview) ?? get().preview,
          verdicts: valueOr(notices, verdicts) ?? get().verdicts,
        });
      },
      // Only while someone looks: each decision moves the outbox, and reloading four lists per key press would crowd main.
      // A status event that moved nothing (a sync starting or ending idle) reloads nothing.
      follow() {
        let seen = get().status?.outboxRevision;
        return api.on('status', ({ outboxRevision }) => {
          if (outboxRevision === seen) return;
          seen = outboxRevision;
          void get().load();
        });
      },
      async syncNow() {
        set({ syncing: true });
        const r = await api.syncNow();
        set({ syncing: false });
        valueOr(notices, r);
        await get().load();
      },
      cancel: async (id) => void (await after(api.cancelCommand(id))),
      change: (id, decision) => after(api.changeReviewDecision(id, decision)),
      retry: async (id) => void (await after(api.retryCommand(id))),
      dismissVerdict: async (id) => void (await after(api.dismissVerdict(id))),
    };
  });
  api.on('synced', () => store.setState({ progress: null }));
  api.on('status', (status) => {
    store.setState({ status, ...(status.syncing ? {} : { progress: null }) });
  });
  api.on('progress', (progress) => store.setState({ progress }));
  return store;
}
export type SyncStore = ReturnType<typeof createSyncStore>;
