// The Monday check's data: the overview, the metrics the pull carries, the
// open alerts, the last five activity entries and the sync status. After a
// sync (app/refresh.ts) it reads again the overview, whose "as of" moves with
// every sync, and only those other parts whose data changed; the status comes
// with main's status event. Main's sync engine keeps the spec's clock.
import { createStore } from 'zustand/vanilla';
import type { ActivityItem, MetricsSnapshot } from '../../../shared/api/operator.ts';
import type { AlertView, ChangedKind, ConsoleApi, Overview, SyncStatus } from '../../../shared/ipc/contract.ts';
import { valueOr, type NoticesStore } from '../ui/notices.ts';

export interface DashboardState {
  loaded: boolean;
  overview: Overview | null;
  metrics: MetricsSnapshot | null;
  alerts: AlertView[];
  activity: ActivityItem[];
  status: SyncStatus | null;
  load(): Promise<void>;
  /** After a sync: the overview, and the parts whose kinds changed (alerts also when decisions moved). */
  refresh(changed: ReadonlySet<ChangedKind>): Promise<void>;
}

const ALERT_KINDS: ChangedKind[] = ['alerts', 'outbox', 'verdicts'];

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
    async refresh(changed) {
      const has = (kinds: ChangedKind[]) => kinds.some((k) => changed.has(k));
      const [overview, metrics, alerts, activity] = await Promise.all([
        api.overview(),
        has(['metrics']) ? api.metrics() : null,
        has(ALERT_KINDS) ? api.alerts() : null,
        has(['activity']) ? api.activity() : null,
      ]);
      const s = get();
      set({
        overview: valueOr(notices, overview) ?? s.overview,
        metrics: metrics ? valueOr(notices, metrics) : s.metrics,
        alerts: alerts ? (valueOr(notices, alerts) ?? s.alerts) : s.alerts,
        activity: activity ? (valueOr(notices, activity) ?? s.activity).slice(0, 5) : s.activity,
      });
    },
  }));
  api.on('status', (status) => store.setState({ status }));
  return store;
}
export type DashboardStore = ReturnType<typeof createDashboardStore>;
