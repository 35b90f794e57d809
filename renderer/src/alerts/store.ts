// Open alerts (RED first, as main sorts them), the activity log with its
// filter, flagged accounts and incidents. Resolving an alert is a queued
// command: the alert stays open here, marked "waiting to sync", until the
// server has resolved it and a pull says so.
import { createStore } from 'zustand/vanilla';
import type { ActivityItem, FlaggedAccount, IncidentItem } from '../../../shared/api/operator.ts';
import type { AlertView, ConsoleApi } from '../../../shared/ipc/contract.ts';
import { valueOr, type NoticesStore } from '../ui/notices.ts';

export interface AlertsState {
  loaded: boolean;
  alerts: AlertView[];
  /** alert id → the queued resolve command's id. */
  resolving: Record<string, string>;
  activity: ActivityItem[];
  search: string;
  accounts: FlaggedAccount[];
  incidents: IncidentItem[];
  /** The resolve dialog's alert. */
  resolveId: string | null;
  busy: boolean;
  load(): Promise<void>;
  loadActivity(): Promise<void>;
  setSearch(search: string): Promise<void>;
  openResolve(alertId: string): void;
  closeResolve(): void;
  resolve(note: string): Promise<boolean>;
  undo(commandId: string): Promise<void>;
}

export function createAlertsStore(api: ConsoleApi, notices: NoticesStore) {
  const store = createStore<AlertsState>()((set, get) => ({
    loaded: false,
    alerts: [],
    resolving: {},
    activity: [],
    search: '',
    accounts: [],
    incidents: [],
    resolveId: null,
    busy: false,
    async load() {
      const [alerts, accounts, incidents] = await Promise.all([api.alerts(), api.accounts(), api.incidents()]);
      const resolving: Record<string, string> = {};
      // Main marks each cached alert's waiting resolution; the alert's id is the command's subject.
      for (const a of valueOr(notices, alerts) ?? []) if (a.localDecision) resolving[a.id] = a.localDecision.commandId;
      set({
        loaded: true,
        alerts: valueOr(notices, alerts) ?? get().alerts,
        resolving,
        accounts: valueOr(notices, accounts) ?? get().accounts,
        incidents: valueOr(notices, incidents) ?? get().incidents,
      });
      await get().loadActivity();
    },
    async loadActivity() {
      const search = get().search.trim();
      const r = await api.activity(search ? { search } : {});
      // A slower answer for an older filter must not replace a newer one.
      if (get().search.trim() === search) set({ activity: valueOr(notices, r) ?? get().activity });
    },
    async setSearch(search) {
      set({ search });
      await get().loadActivity();
    },
    openResolve: (alertId) => set({ resolveId: alertId }),
    closeResolve: () => set({ resolveId: null }),
    async resolve(note) {
      const id = get().resolveId;
      if (!id) return false;
      set({ busy: true });
      const trimmed = note.trim();
      const queued = valueOr(notices, await api.resolveAlert(id, trimmed || undefined)) !== null;
      set({ busy: false, ...(queued ? { resolveId: null } : {}) });
      await get().load();
      return queued;
    },
    async undo(commandId) {
      valueOr(notices, await api.cancelCommand(commandId));
      await get().load();
    },
  }));
  return store;
}
export type AlertsStore = ReturnType<typeof createAlertsStore>;
