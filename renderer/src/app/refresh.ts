// The one listener that keeps the screens current (as Actual's
// sync-events.ts does): when main says a sync changed some kinds of data, the
// stores that show those kinds are reloaded if their screen is the one
// showing; the others are marked stale and reloaded once, when their screen
// is next shown. A screen's store is loaded the first time it is shown. A
// decision queued, changed or undone elsewhere moves the outbox's revision
// (the status event): the screens not showing that mark waiting decisions
// are then stale too (the screen showing updates itself from its own call).
// There is no timer here: main's sync engine is the only clock.
import type { ChangedKind, ConsoleApi } from '../../../shared/ipc/contract.ts';
import type { NavStore, Screen } from './nav.ts';

/** A store as the refresher sees it. */
export interface Refreshable {
  /** The changed kinds it shows; 'every' when something it shows moves with every sync (the dashboard's "as of"). */
  kinds: readonly ChangedKind[] | 'every';
  /** It marks decisions waiting here: stale when the outbox moved while its screen was not showing. */
  local?: boolean;
  /** Reloads what changed since it was last loaded; null: everything (the first time). */
  reload(changed: ReadonlySet<ChangedKind> | null): Promise<unknown>;
}

export interface RefreshTargets {
  /** Per screen, the stores it shows. */
  screens: Partial<Record<Screen, Refreshable[]>>;
  /** Stores every screen shows (the server's policy). */
  everywhere?: Refreshable[];
}

export function createRefresher(api: ConsoleApi, nav: NavStore, targets: RefreshTargets) {
  const everywhere = targets.everywhere ?? [];
  const all = [...new Set([...Object.values(targets.screens).flat(), ...everywhere])];
  /** What each store has missed: 'all' until its first load. */
  const stale = new Map<Refreshable, Set<ChangedKind> | 'all'>(all.map((r) => [r, 'all']));
  let active = false;
  let revision: number | null = null;

  const showing = (): Refreshable[] => (active ? [...(targets.screens[nav.getState().screen] ?? []), ...everywhere] : []);
  const mark = (r: Refreshable, kinds: readonly ChangedKind[]) => {
    const missed = stale.get(r);
    if (missed === 'all') return;
    stale.set(r, new Set([...(missed ?? []), ...kinds]));
  };
  const loading = new Set<Promise<unknown>>();
  const flush = () => {
    for (const r of showing()) {
      const missed = stale.get(r);
      if (!missed) continue;
      stale.delete(r);
      // Calls answer failures as values (shown as notices); a throw here is a bug, reported, not left unhandled.
      const load: Promise<unknown> = r
        .reload(missed === 'all' ? null : missed)
        .catch((err: unknown) => console.error('refresh failed', err))
        .finally(() => loading.delete(load));
      loading.add(load);
    }
  };

  api.on('synced', ({ changed }) => {
    for (const r of all) {
      const mine = r.kinds === 'every' ? changed : changed.filter((k) => (r.kinds as readonly ChangedKind[]).includes(k));
      if (r.kinds === 'every' || mine.length) mark(r, mine);
    }
    flush();
  });
  api.on('status', ({ outboxRevision }) => {
    if (revision !== null && outboxRevision !== revision) {
      const shown = new Set(showing());
      for (const r of all) if (r.local && !shown.has(r)) mark(r, ['outbox']);
    }
    revision = outboxRevision;
  });
  nav.subscribe((s, prev) => {
    if (s.screen !== prev.screen) flush();
  });

  return {
    /** The console is on screen (signed in): loads what the current screen shows, and keeps it current. Returns the detach. */
    attach() {
      active = true;
      flush();
      return () => {
        active = false;
      };
    },
    /** Waits for the loads a change of screen or a sync started. */
    async settled() {
      while (loading.size) await Promise.allSettled([...loading]);
    },
  };
}
export type Refresher = ReturnType<typeof createRefresher>;
