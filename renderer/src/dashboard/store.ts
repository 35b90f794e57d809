// The Monday check's data: the overview, the metrics the pull carries, the
// open alerts, the last five activity entries and the sync status. Refreshed
// when main says something changed, and on the spec's clock: main is asked to
// sync every minute, every 30 s while a RED alert is open (spec 6.1).
import { createStore } from 'zustand/vanilla';
import type { ActivityItem, MetricsSnapshot } from '../../../shared/api/operator.ts';
import type { AlertView, ConsoleApi, Overview, SyncStatus } from '../../../shared/ipc/contract.ts';
import { valueOr, type NoticesStore } from '../ui/notices.ts';

export const REFRESH_MS = 60_000;
export const RED_REFRESH_MS = 30_000;

export interface DashboardState {
  loaded: boolean;
  overview: Overview | null;
  metrics: MetricsSnapshot | null;
  alerts: AlertView[];
  activity: ActivityItem[];
  status: SyncStatus | null;
  load(): Promise<void>;
  /** How long until the next refresh, by the spec's clock. */
  refreshEveryMs(): number;
}

export function createDashboardStore(api: ConsoleApi, notices: NoticesStore) {
  const store = createStore<DashboardState>()((set, get) => ({
    loaded: false,
    overview: null,
    metrics: null,
    alerts: [],
    activity: [],
    status: null,
    async load() {
      const [overview, metrics, alerts, activity, status] = await Promise.all([api.overview(), api.metrics(), api.alerts(), api.activity(), api.status()]);
      set({
        loaded: true,
        overview: valueOr(notices, overview),
        metrics: valueOr(notices, metrics),
        alerts: valueOr(notices, alerts) ?? [],
        activity: (valueOr(notices, activity) ?? []).slice(0, 5),
        status: valueOr(notices, status),
      });
    },
    refreshEveryMs: () => ((get().overview?.openRed ?? 0) > 0 ? RED_REFRESH_MS : REFRESH_MS),
  }));
  api.on('synced', () => void store.getState().load());
  api.on('status', (status) => store.setState({ status }));
  return store;
}
export type DashboardStore = ReturnType<typeof createDashboardStore>;
