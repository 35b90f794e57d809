// What a sync costs the renderer, with every store made from one fake API and
// main's own clock out of the picture (the fake emits `synced` as main would):
// only the screen showing reloads, only what changed, and a screen not
// showing catches up once when it is next shown.
import { describe, expect, it } from 'vitest';
import type { OperatorPolicy } from '../../../shared/api/operator.ts';
import type { ChangedKind, MethodName, SyncReport, SyncStatus } from '../../../shared/ipc/contract.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { SCREENS, type Screen } from './nav.ts';
import { createStores } from './stores.ts';

const POLICY: OperatorPolicy = { bulkApproveMinConfidence: 0.9, aiBudgetSwitchRatio: 0.9, refreshMs: { normal: 60_000, red: 30_000 }, refundWindowHours: 72 };
const REPORT: SyncReport = { pushed: 0, applied: 0, rejected: 0, failed: 0, dead: 0, pulled: 0 };
const STATUS: SyncStatus = {
  online: true,
  syncing: false,
  pending: 0,
  oldestPendingAgeMs: 0,
  dead: 0,
  verdicts: 0,
  lastSyncAt: null,
  lastPullServerTime: null,
  lastError: null,
  nextAttemptAt: null,
  stalled: false,
  needsSignIn: false,
  outboxRevision: 0,
};

/** The console on one screen, with main answering every read with an empty cache. */
async function consoleOn(screen: Screen) {
  const fake = createFakeApi({
    overview: () => ({ level: 'GREEN', asOf: null }) as never,
    metrics: () => null,
    alerts: () => [],
    activity: () => [],
    status: () => STATUS,
    policy: () => POLICY,
    reviews: () => [],
    previewBulkApprove: (min) => ({ count: 0, minConfidence: min, sample: [] }),
    refunds: () => [],
    complaints: () => [],
    cronRuns: () => [],
    cronSchedule: () => null as never,
    accounts: () => [],
    incidents: () => [],
    emails: () => [],
    flags: () => [],
    outbox: () => [],
    previewUpload: () => ({ summary: 'Nothing to upload' }) as never,
    verdicts: () => [],
    metricsReport: () => null as never,
    reconciliationReports: () => [],
  });
  const stores = createStores(fake.api);
  stores.refresh.attach();
  stores.nav.getState().go(screen);
  await stores.refresh.settled();
  let seen = fake.calls.length;
  return {
    fake,
    stores,
    async go(next: Screen) {
      stores.nav.getState().go(next);
      await stores.refresh.settled();
    },
    async sync(changed: ChangedKind[], report: Partial<SyncReport> = {}) {
      fake.emit('synced', { changed, report: { ...REPORT, ...report } });
      await stores.refresh.settled();
    },
    /** The calls made since the last time this was asked. */
    calls(): MethodName[] {
      const since = fake.calls.slice(seen).map((c) => c.method);
      seen = fake.calls.length;
      return since;
    },
  };
}

describe('a sync, as the renderer pays for it', () => {
  it('an idle sync (nothing changed) costs at most 3 calls with the Dashboard showing, and at most 1 on any other screen', async () => {
    const dashboard = await consoleOn('dashboard');
    await dashboard.sync([]);
    expect(dashboard.calls()).toEqual(['overview']); // its "as of" moved
    for (const screen of SCREENS.filter((s) => s !== 'dashboard')) {
      const c = await consoleOn(screen);
      c.fake.emit('status', { ...STATUS, syncing: true });
      await c.sync([]);
      c.fake.emit('status', STATUS);
      await c.stores.refresh.settled();
      expect(c.calls().length, screen).toBeLessThanOrEqual(1);
    }
  });

  it('a sync that changed no review reloads no review list, also while the Reviews screen shows', async () => {
    const c = await consoleOn('reviews');
    await c.sync(['refunds', 'alerts', 'activity', 'metrics', 'outbox', 'cronRuns', 'emails', 'complaints', 'flags']);
    expect(c.calls()).toEqual([]);
    await c.sync(['reviews']);
    expect(c.calls().sort()).toEqual(['previewBulkApprove', 'reviews']);
  });

  it('reviews changed while their screen was hidden: no reload then, exactly one when it is next shown', async () => {
    const c = await consoleOn('dashboard');
    await c.sync(['reviews']);
    await c.sync(['reviews', 'refunds']);
    expect(c.calls().filter((m) => m === 'reviews' || m === 'previewBulkApprove')).toEqual([]);
    await c.go('reviews');
    expect(c.calls().sort()).toEqual(['escalations', 'policy', 'previewBulkApprove', 'reviews']); // once, for both syncs; the bulk line and the freezes with it, first shown here
    await c.go('dashboard');
    c.calls();
    await c.go('reviews');
    expect(c.calls()).toEqual([]); // nothing changed since
    await c.go('dashboard');
    await c.sync(['reviews']);
    c.calls();
    await c.go('reviews');
    expect(c.calls().sort()).toEqual(['previewBulkApprove', 'reviews']);
  });

  const unrelated = (...mine: ChangedKind[]) =>
    (['reviews', 'refunds', 'complaints', 'alerts', 'activity', 'cronRuns', 'emails', 'flags', 'accounts', 'incidents'] as ChangedKind[]).filter(
      (k) => !mine.includes(k),
    );
  it.each([
    ['refunds', 'refunds', 'refunds', unrelated('refunds')],
    ['refunds', 'verdicts', 'refunds', unrelated('refunds')],
    ['complaints', 'complaints', 'complaints', unrelated('complaints')],
    ['cron', 'cronRuns', 'cronRuns', unrelated('cronRuns')],
    ['alerts', 'alerts', 'alerts', unrelated('alerts', 'activity', 'accounts', 'incidents')],
    ['alerts', 'incidents', 'incidents', unrelated('alerts', 'activity', 'accounts', 'incidents')],
    ['emails', 'emails', 'emails', unrelated('emails')],
    ['settings', 'flags', 'flags', unrelated('flags')],
    ['settings', 'metrics', 'flags', unrelated('flags')],
    ['sync', 'outbox', 'outbox', unrelated()],
    ['sync', 'verdicts', 'outbox', unrelated()],
    ['dashboard', 'metrics', 'metrics', unrelated('activity')],
    ['dashboard', 'activity', 'activity', unrelated('activity')],
  ] as [Screen, ChangedKind, MethodName, ChangedKind[]][])(
    'on %s, a sync that changed %s reloads it (%s), and one that changed only other kinds does not',
    async (screen, kind, method, others) => {
      const c = await consoleOn(screen);
      await c.sync(others);
      expect(c.calls().filter((m) => m === method)).toEqual([]);
      await c.sync([kind]);
      expect(c.calls().filter((m) => m === method)).toEqual([method]);
    },
  );

  it('a decision queued on one screen makes the others that mark waiting decisions stale, not the one showing', async () => {
    const c = await consoleOn('reviews');
    await c.go('refunds');
    await c.go('dashboard');
    await c.go('reviews');
    c.calls();
    c.fake.emit('status', { ...STATUS, outboxRevision: 1 }); // the first status event: nothing to compare with
    c.fake.emit('status', { ...STATUS, pending: 1, outboxRevision: 2 }); // the operator approved a review here
    await c.stores.refresh.settled();
    expect(c.calls()).toEqual([]); // the Reviews screen marked its row from the call's own answer
    await c.go('refunds');
    expect(c.calls()).toEqual(['refunds']);
    await c.go('dashboard');
    expect(c.calls().sort()).toEqual(['alerts', 'overview']);
    await c.go('emails');
    expect(c.calls()).toEqual(['emails']); // first shown
  });

  it("reads the server's policy where a screen shows it, once, and again when a sync says it moved", async () => {
    const c = await consoleOn('dashboard');
    expect(c.fake.calls.filter((x) => x.method === 'policy')).toEqual([]); // the dashboard's first paint waits on its own calls only
    await c.go('metrics');
    expect(c.calls()).toEqual(['policy']);
    await c.sync(['policy']);
    expect(c.calls()).toEqual(['policy']);
    await c.go('dashboard');
    c.calls(); // its overview, which moved with the sync it missed
    await c.sync(['policy']);
    expect(c.calls()).toEqual(['overview']);
    await c.go('metrics');
    expect(c.calls()).toEqual(['policy']);
  });

  it('loads nothing before the console is on screen (signed out)', async () => {
    const fake = createFakeApi({ policy: () => POLICY });
    const stores = createStores(fake.api);
    fake.emit('synced', { changed: ['reviews'], report: REPORT });
    stores.nav.getState().go('reviews');
    await stores.refresh.settled();
    expect(fake.calls).toEqual([]);
  });
});
