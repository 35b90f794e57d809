// The week's store: starting takes the operator to the session the run is at;
// a run that moves on (a session done, or one completing itself after a sync)
// takes them to the next session's screen, while opening the app on another
// screen moves nobody; skip sends its reason; finishing shows the log the
// server wrote; the Monday check's choice updates its alert.
import { describe, expect, it } from 'vitest';
import { ConsoleError, type SessionView, type WeekView } from '../../../shared/ipc/contract.ts';
import { createNavStore } from '../app/nav.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createNoticesStore } from '../ui/notices.ts';
import { createWeekStore } from './store.ts';

const session = (id: SessionView['id'], status: SessionView['status']): SessionView => ({
  id,
  title: id,
  section: '2.x',
  budget: '15–30 min',
  status,
  left: 1,
  leftWords: '1 to do',
  spentMs: 0,
  note: null,
});
const view = (current: SessionView['id'] | null, over: Partial<WeekView> = {}): WeekView => ({
  run: current
    ? {
        id: 'run-1',
        startedAt: '2026-12-03T03:00:00Z',
        current,
        sessions: (['reviews', 'refunds', 'reconciliation', 'cron', 'complaints'] as const).map((s) => session(s, s === current ? 'current' : 'todo')),
        carried: [],
        complete: false,
      }
    : null,
  lastLog: null,
  monday: { alerts: [{ id: 'a1', message: 'Z.AI failing', openedAt: '2026-12-03T00:00:00Z', decision: null }] },
  online: true,
  ...over,
});

describe('week store', () => {
  it('opening the console with a run open, or starting it, goes to the session the run is at; moving on goes to the next one', async () => {
    let current: WeekView = view('refunds');
    const fake = createFakeApi({ week: () => current, startWeek: () => view('reviews'), finishSession: () => view('refunds') });
    const nav = createNavStore();
    const store = createWeekStore(fake.api, createNoticesStore(), nav);
    // The console opened with a run open: back at the session it was at.
    await store.getState().load();
    expect(nav.getState().screen).toBe('refunds');
    nav.getState().go('dashboard');
    await store.getState().start();
    expect(nav.getState().screen).toBe('reviews');
    await store.getState().finishSession('done');
    expect(nav.getState().screen).toBe('refunds');
    // A sync completes refunds by itself: the next load moves on to reconciliation.
    current = view('reconciliation');
    await store.getState().load();
    expect(nav.getState().screen).toBe('reconciliation');
  });

  it('sends a skip with its reason, and keeps the refusal in view', async () => {
    const fake = createFakeApi({
      finishSession: (_outcome, note) => {
        if (!note) throw new ConsoleError('invalid', 'Say why the session is skipped');
        return view('refunds');
      },
    });
    const store = createWeekStore(fake.api, createNoticesStore(), createNavStore());
    expect(await store.getState().finishSession('skipped', '')).toBe(false);
    expect(store.getState().error).toBe('Say why the session is skipped');
    expect(await store.getState().finishSession('skipped', 'Out of time')).toBe(true);
    expect(fake.calls.at(-1)!.args).toEqual(['skipped', 'Out of time']);
  });

  it('finishing shows the log the server wrote', async () => {
    const fake = createFakeApi({
      finishWeek: () => ({
        commandId: 'c',
        status: 'applied',
        details: { log: 'WEEKLY LOG\nReviews: Approved 50 reviews, rejected 1', logSha256: 'f'.repeat(64) },
      }),
      week: () => view(null),
    });
    const store = createWeekStore(fake.api, createNoticesStore(), createNavStore());
    await store.getState().finish();
    expect(store.getState()).toMatchObject({ done: 'The weekly log is written', log: { text: expect.stringContaining('Approved 50 reviews, rejected 1') } });
  });

  it('records the Monday choice on its alert', async () => {
    const fake = createFakeApi({
      week: () => view(null),
      decideAlert: () => ({ alerts: [{ id: 'a1', message: 'Z.AI failing', openedAt: '2026-12-03T00:00:00Z', decision: 'deferred' as const }] }),
    });
    const store = createWeekStore(fake.api, createNoticesStore(), createNavStore());
    await store.getState().load();
    await store.getState().decideAlert('a1', 'deferred');
    expect(fake.calls.at(-1)).toEqual({ method: 'decideAlert', args: ['a1', 'deferred', undefined] });
    expect(store.getState().view!.monday.alerts[0]!.decision).toBe('deferred');
  });
});
