// The daily job's history and schedule, and "Run now" (online only: main
// answers kind 'offline' and queues nothing when there is no connection).
import { createStore } from 'zustand/vanilla';
import type { CronRunItem } from '../../../shared/api/operator.ts';
import type { ConsoleApi, CronSchedule, CommandOutcome } from '../../../shared/ipc/contract.ts';
import { valueOr, type NoticesStore } from '../ui/notices.ts';

export interface CronState {
  runs: CronRunItem[];
  schedule: CronSchedule | null;
  running: boolean;
  /** The last Run now's outcome, shown in place. */
  lastRun: { result: CommandOutcome } | { error: string } | null;
  load(): Promise<void>;
  runNow(): Promise<void>;
}

export function createCronStore(api: ConsoleApi, notices: NoticesStore) {
  const store = createStore<CronState>()((set) => ({
    runs: [],
    schedule: null,
    running: false,
    lastRun: null,
    async load() {
      const [runs, schedule] = await Promise.all([api.cronRuns(), api.cronSchedule()]);
      set({ runs: valueOr(notices, runs) ?? [], schedule: valueOr(notices, schedule) });
    },
    async runNow() {
      set({ running: true, lastRun: null });
      const r = await api.runJobNow();
      set({ running: false, lastRun: r.ok ? { result: r.value } : { error: r.error.message } });
    },
  }));
  return store;
}
export type CronStore = ReturnType<typeof createCronStore>;
