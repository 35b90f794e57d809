import { describe, expect, it } from 'vitest';
import type { ActivityItem, AlertItem, MetricsSnapshot } from '../../../shared/api/operator.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import type { Overview, SyncStatus } from '../../../shared/ipc/contract.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createNoticesStore } from '../ui/notices.ts';
import { createDashboardStore } from './store.ts';

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
  overdueEscalations: [],
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
  outboxRevision: 0,
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

  it('after a sync reads the overview again (its "as of" moved) and only the parts whose data changed', async () => {
    let pending = 51;
    let alerts = [] as AlertItem[];
    const w = world({ overview: () => overview({ pendingReviews: pending }), alerts: () => alerts.map((a) => ({ ...a, localDecision: null })) });
    await w.store.getState().load();
    const before = w.calls.length;
    pending = 50;
    await w.store.getState().refresh(new Set());
    expect(w.calls.slice(before).map((c) => c.method)).toEqual(['overview']);
    expect(w.store.getState().overview?.pendingReviews).toBe(50);
    expect(w.store.getState().activity).toHaveLength(5);
    alerts = [red];
    await w.store.getState().refresh(new Set(['alerts', 'metrics']));
    expect(w.calls.slice(before + 1).map((c) => c.method)).toEqual(['overview', 'metrics', 'alerts']);
    expect(w.store.getState().alerts.map((a) => a.id)).toEqual(['a1']);
  });

  it('takes a status event as it comes, without a call', async () => {
    const w = world();
    w.emit('status', status({ online: false, pending: 2 }));
    expect(w.store.getState().status).toMatchObject({ online: false, pending: 2 });
    expect(w.calls).toEqual([]);
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
