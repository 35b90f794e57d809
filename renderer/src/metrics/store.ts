// Spec 3.2's metrics page: one snapshot from the server (online), or the
// last one kept by main, marked stale, when offline.
import { createStore } from 'zustand/vanilla';
import type { ConsoleApi, MetricsView } from '../../../shared/ipc/contract.ts';

export interface MetricsState {
  loading: boolean;
  view: MetricsView | null;
  error: string | null;
  load(): Promise<void>;
}

export function createMetricsStore(api: ConsoleApi) {
  return createStore<MetricsState>()((set) => ({
    loading: false,
    view: null,
    error: null,
    async load() {
      set({ loading: true });
      const r = await api.metricsReport();
      set(r.ok ? { loading: false, view: r.value, error: null } : { loading: false, error: r.error.message });
    },
  }));
}
export type MetricsStore = ReturnType<typeof createMetricsStore>;
