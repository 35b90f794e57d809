// The operator's week (spec Parts 1–2): the Thursday batch as one guided run
// and the Monday check. Main keeps the run (it survives closing the app) and
// settles it on every read; this store shows it, takes the operator to the
// screen of the session the run is at, and sends the operator's few
// decisions: start, done or skip, finish (the weekly log), act now or defer.
import { createStore } from 'zustand/vanilla';
import type { SessionId } from '../../../shared/api/week.ts';
import type { ConsoleApi, WeekView } from '../../../shared/ipc/contract.ts';
import type { NavStore, Screen } from '../app/nav.ts';
import { valueOr, type NoticesStore } from '../ui/notices.ts';
import { saveText, melbourneDay } from '../ui/save-file.ts';
import { sentWords } from '../ui/send-now.ts';

/** Where each session is worked. */
export const SESSION_SCREEN: Record<SessionId, Screen> = {
  reviews: 'reviews',
  refunds: 'refunds',
  reconciliation: 'reconciliation',
  cron: 'cron',
  complaints: 'complaints',
};

export interface WeekState {
  loaded: boolean;
  view: WeekView | null;
  busy: boolean;
  error: string | null;
  done: string | null;
  /** The log the server just wrote (shown until the next run starts). */
  log: { text: string; sha256: string } | null;
  load(): Promise<void>;
  start(): Promise<void>;
  finishSession(outcome: 'done' | 'skipped', note?: string): Promise<boolean>;
  finish(): Promise<void>;
  decideAlert(alertId: string, decision: 'act_now' | 'deferred', note?: string): Promise<void>;
}

export function createWeekStore(api: ConsoleApi, notices: NoticesStore, nav: NavStore) {
  /** When the run moves to another session, the console goes to its screen (the operator does not navigate). */
  const follow = (before: WeekView | null, after: WeekView | null) => {
    const was = before?.run?.current ?? null;
    const next = after?.run?.current ?? null;
    if (next && next !== was) nav.getState().go(SESSION_SCREEN[next]);
    // The last session just completed: the run's page, where the log is written.
    else if (!next && was && after?.run?.complete) nav.getState().go('week');
  };
  const store = createStore<WeekState>()((set, get) => ({
    loaded: false,
    view: null,
    busy: false,
    error: null,
    done: null,
    log: null,
    async load() {
      const v = valueOr(notices, await api.week());
      if (!v) return;
      const before = get().view;
      const first = !get().loaded;
      set({ loaded: true, view: v });
      // The console opened again with a run open: back where the operator was (the resume point survives closing the app).
      if (first && v.run?.current && nav.getState().screen === 'dashboard') nav.getState().go(SESSION_SCREEN[v.run.current]);
      else if (before?.run) follow(before, v);
    },
    async start() {
      set({ busy: true, error: null, done: null, log: null });
      const v = valueOr(notices, await api.startWeek());
      set({ busy: false, ...(v ? { view: v, loaded: true } : {}) });
      if (v?.run?.current) nav.getState().go(SESSION_SCREEN[v.run.current]);
      else if (v?.run) nav.getState().go('week');
    },
    async finishSession(outcome, note) {
      set({ busy: true, error: null });
      const before = get().view;
      const r = await api.finishSession(outcome, note);
      set({ busy: false, ...(r.ok ? { view: r.value } : { error: r.error.message }) });
      if (!r.ok) return false;
      follow(before, r.value);
      return true;
    },
    async finish() {
      set({ busy: true, error: null, done: null });
      const r = await api.finishWeek();
      const words = sentWords(r, 'The weekly log is written');
      const details = r.ok ? r.value.details : undefined;
      set({
        busy: false,
        ...words,
        ...(r.ok && r.value.status === 'applied' && details ? { log: { text: String(details.log), sha256: String(details.logSha256) } } : {}),
      });
      await get().load();
    },
    async decideAlert(alertId, decision, note) {
      const m = valueOr(notices, await api.decideAlert(alertId, decision, note));
      const v = get().view;
      if (m && v) set({ view: { ...v, monday: m } });
    },
  }));
  // A decision queued on the session's own screen (the last review decided) moves the outbox, not a sync: the run settles again.
  let revision: number | null = null;
  api.on('status', ({ outboxRevision }) => {
    if (revision !== null && outboxRevision !== revision && store.getState().view?.run) void store.getState().load();
    revision = outboxRevision;
  });
  return store;
}
export type WeekStore = ReturnType<typeof createWeekStore>;

/** Saves a weekly log as weekly_log_YYYY-MM-DD.txt (the Melbourne day it was finished). */
export const exportLog = (text: string, finishedAt: string) => saveText(text, `weekly_log_${melbourneDay(finishedAt)}.txt`);
