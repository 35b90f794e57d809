import { describe, expect, it } from 'vitest';
import type { ActivityItem, AlertItem, MetricsSnapshot } from '../../../shared/api/operator.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import type { Overview, SyncStatus } from '../../../shared/ipc/contract.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createNoticesStore } from '../ui/notices.ts';
import { createDashboardStore, RED_REFRESH_MS, REFRESH_MS } from './store.ts';

const overview = (over: Partial<Overview> = {}): Overview => ({
  level: 'GREEN',
  openRed: 0,
  openYellow: 0,
  pendingReviews: 51,
  reviewsWaitingToSync: 0,
  pendingRefunds: 3,
  refundsWaitingToSync: 0,
  pendingComplaints: 1,
  complaintsWaitingToSync: 0,
  complaintMinutes: 15,
  asOf: '2026-12-01T10:00:00Z',
  ...over,
});
const status = (over: Partial<SyncStatus> = {}): SyncStatus => ({
  online: true,
  syncing: false,
  pending: 0,
  oldestPendingAgeMs: 0,
  dead: 0,
  verdicts: 0,
  lastSyncAt: '2026-12-01T10:00:00Z',
  lastPullServerTime: '2026-12-01T10:00:00Z',
  lastError: null,
  nextAttemptAt: null,
  stalled: false,
  needsSignIn: false,
  ...over,
});
const activity = (id: number): ActivityItem => ({
  id,
  occurredAt: '2026-12-01T09:00:00Z',
  actorId: null,
  actorKind: 'system',
  action: 'cron.run',
  subjectType: null,
  subjectId: null,
  amountCents: null,
  details: {},
});
const red: AlertItem = {
  id: 'a1',
  severity: 'RED',
  kind: 'webhook_failures',
  subject: 'stripe',
  message: '4 webhook failures in the last hour',
  details: {},
  openedAt: '2026-12-01T09:30:00Z',
  resolvedAt: null,
  updatedAt: '2026-12-01T09:30:00Z',
};
const metrics = { revenueThisMonthCents: 123_400, aiMode: 'ai' } as MetricsSnapshot;

const world = (extra: Parameters<typeof createFakeApi>[0] = {}) => {
  const fake = createFakeApi({
    overview: () => overview(),
    metrics: () => metrics,
    alerts: () => [],
    activity: () => [7, 6, 5, 4, 3, 2, 1].map(activity),
    status: () => status(),
    ...extra,
  });
  const notices = createNoticesStore();
  return { ...fake, notices, store: createDashboardStore(fake.api, notices) };
};

describe('dashboard store', () => {
  it('loads the overview, metrics, alerts, the last five activity entries and the sync status', async () => {
    const w = world();
    await w.store.getState().load();
    const s = w.store.getState();
    expect(s.loaded).toBe(true);
    expect(s.overview?.pendingReviews).toBe(51);
    expect(s.metrics?.revenueThisMonthCents).toBe(123_400);
    expect(s.activity.map((a) => a.id)).toEqual([7, 6, 5, 4, 3]);
    expect(s.status?.online).toBe(true);
    expect(w.notices.getState().notices).toEqual([]);
  });

  it('refreshes every minute, every 30 s while a RED alert is open', async () => {
    const w = world({ overview: () => overview({ level: 'RED', openRed: 1 }), alerts: () => [{ ...red, localDecision: null }] });
    expect(w.store.getState().refreshEveryMs()).toBe(REFRESH_MS);
    await w.store.getState().load();
    expect(w.store.getState().refreshEveryMs()).toBe(RED_REFRESH_MS);
    expect(REFRESH_MS).toBe(60_000);
    expect(RED_REFRESH_MS).toBe(30_000);
  });

  it('reloads when main says a sync changed something, and takes a status event as it comes', async () => {
    let pending = 51;
    const w = world({ overview: () => overview({ pendingReviews: pending }) });
    await w.store.getState().load();
    pending = 50;
    w.emit('synced', { changed: ['reviews'], report: { pushed: 1, applied: 1, rejected: 0, failed: 0, dead: 0, pulled: 1 } });
    await expect.poll(() => w.store.getState().overview?.pendingReviews).toBe(50);
    w.emit('status', status({ online: false, pending: 2 }));
    expect(w.store.getState().status).toMatchObject({ online: false, pending: 2 });
  });

  it('shows what it could read when one call fails, and says why for the other', async () => {
    const w = world({
      metrics: () => {
        throw new ConsoleError('server', 'metrics: the cache has none yet');
      },
    });
    await w.store.getState().load();
    expect(w.store.getState().overview?.pendingRefunds).toBe(3);
    expect(w.store.getState().metrics).toBeNull();
    expect(w.notices.getState().notices.map((n) => n.message)).toEqual(['metrics: the cache has none yet']);
  });
});
