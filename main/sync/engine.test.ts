// The sync engine on its own clock, against a fake operator server and the
// real store: the spec's cadence (every minute, every 30 s while a RED alert
// is open, both from the server's policy) and a `synced` event that names a
// domain only when its data changed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertItem, MetricsSnapshot, OperatorPolicy, PullResponse, PushResponse, WireCommand } from '../../shared/api/operator.ts';
import { resolveAlert } from '../../shared/commands/alerts.ts';
import type { ChangedKind } from '../../shared/ipc/events.ts';
import { openLocalDatabase } from '../store/db.ts';
import { createStore, type Store } from '../store/store.ts';
import { createSyncEngine, type EngineOptions, type SyncEngine } from './engine.ts';
import type { OperatorTransport } from './transport.ts';
import { metricsSnapshot } from '../console/testing/world.ts';

const metrics = (over: Partial<MetricsSnapshot> = {}): MetricsSnapshot => metricsSnapshot({ aiBudgetCents: 25_000, ...over });
const POLICY: OperatorPolicy = { bulkApproveMinConfidence: 0.9, aiBudgetSwitchRatio: 0.9, refreshMs: { normal: 60_000, red: 30_000 }, refundWindowHours: 72 };
const redAlert = (resolvedAt: string | null = null): AlertItem => ({
  id: '0b6f3a52-4c1e-4a8e-9d6b-2f1e3c4d5a6b',
  severity: 'RED',
  kind: 'zai_down',
  subject: 'z_ai',
  message: 'Z.AI has been failing for 31 minutes',
  details: {},
  openedAt: '2026-11-27T00:00:00.000Z',
  resolvedAt,
  updatedAt: '2026-11-27T00:00:00.000Z',
});

interface FakeServer {
  /** When each pull came (the fake clock's time). */
  pulls: number[];
  /** What the next pull brings besides the snapshots (then nothing new). */
  next: Partial<PullResponse>;
  metrics: MetricsSnapshot;
  policy: OperatorPolicy;
  pushResults: (commands: WireCommand[]) => PushResponse;
  transport: OperatorTransport;
}

/** A fake operator server: each pull answers what the test put in `next` (then nothing new), and records when it was asked. */
function fakeServer(): FakeServer {
  let xid = 0;
  const server: FakeServer = {
    pulls: [] as number[],
    next: {} as Partial<PullResponse>,
    metrics: metrics(),
    policy: POLICY,
    pushResults: (commands: WireCommand[]): PushResponse => ({
      results: commands.map((c, index) => ({ index, id: c.id, status: 'applied' as const })),
    }),
    transport: {
      async pull(cursor): Promise<PullResponse> {
        server.pulls.push(Date.now());
        const next = server.next;
        server.next = {};
        return {
          cursor: `xid:${++xid}`,
          serverTime: new Date().toISOString(),
          full: cursor === null,
          reviews: [],
          refunds: [],
          alerts: [],
          cronRuns: [],
          activity: [],
          flags: [],
          accounts: [],
          incidents: [],
          emails: [],
          complaints: [],
          escalations: [],
          runs: [],
          metrics: structuredClone(server.metrics),
          policy: structuredClone(server.policy),
          ...next,
        };
      },
      async push(commands) {
        return server.pushResults(commands);
      },
    },
  };
  return server;
}

let dir: string;
let store: Store;
let server: ReturnType<typeof fakeServer>;
let engine: SyncEngine;
let synced: ChangedKind[][];

const open = (opts: EngineOptions = {}) => {
  engine = createSyncEngine(store, server.transport, { random: () => 1, ...opts });
  engine.on((e) => {
    if (e.type === 'synced') synced.push(e.changed);
  });
  return engine;
};
/** Lets the clock run for `ms`, letting each sync it starts finish. */
const run = async (ms: number) => {
  await vi.advanceTimersByTimeAsync(ms);
};
/** The gaps between the pulls after the first, in seconds. */
const gaps = () => server.pulls.slice(1).map((t, i) => (t - server.pulls[i]!) / 1000);

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-27T00:00:00.000Z') });
  dir = mkdtempSync(join(tmpdir(), 'dtd-engine-'));
  store = createStore(openLocalDatabase(join(dir, 'console.sqlite')));
  server = fakeServer();
  synced = [];
});
afterEach(async () => {
  await engine?.stop();
  store.db.close();
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

describe('the sync clock', () => {
  it('syncs every minute while no RED alert is open', async () => {
    open().start();
    await run(0);
    expect(server.pulls).toHaveLength(1);
    await run(59_999);
    expect(server.pulls).toHaveLength(1);
    await run(1);
    expect(server.pulls).toHaveLength(2);
    await run(3 * 60_000);
    expect(gaps()).toEqual([60, 60, 60, 60]);
  });

  it('syncs every 30 s while a RED alert is open in the cache, and every minute again once it resolved', async () => {
    server.next = { alerts: [redAlert()] };
    open().start();
    await run(0);
    expect(store.openRedAlerts()).toBe(1);
    await run(90_000);
    expect(gaps()).toEqual([30, 30, 30]);
    server.next = { alerts: [redAlert('2026-11-27T00:01:30.000Z')] };
    await run(30_000); // this sync brings the resolution: the next one is a minute away
    await run(120_000);
    expect(gaps()).toEqual([30, 30, 30, 30, 60, 60]);
  });

  it("takes its two durations from the server's policy, the spec's 60 s / 30 s until the first pull", async () => {
    expect(open().cadenceMs()).toBe(60_000);
    server.policy = { ...POLICY, refreshMs: { normal: 45_000, red: 15_000 } };
    server.next = { alerts: [redAlert()] };
    engine.start();
    await run(0);
    expect(engine.cadenceMs()).toBe(15_000);
    await run(30_000);
    expect(gaps()).toEqual([15, 15]);
  });

  it('still backs off after a failure, and a fixed interval (tests) replaces the cadence', async () => {
    let down = true;
    const pull = server.transport.pull;
    server.transport.pull = async (cursor) => {
      if (down) throw new Error('the server answered 500');
      return pull(cursor);
    };
    open({ baseDelayMs: 1_000, intervalMs: 600_000 }).start();
    await run(0);
    expect(engine.status().nextAttemptAt).toBe('2026-11-27T00:00:01.000Z'); // 1 s (jitter off), not a minute
    down = false;
    await run(1_000);
    expect(synced).toHaveLength(1);
    expect(engine.cadenceMs()).toBe(600_000);
    await run(599_999);
    expect(synced).toHaveLength(1);
  });
});

describe('what a sync says changed', () => {
  it('names the metrics only when the snapshot differs from the one cached, and the policy only when it moved', async () => {
    open({ intervalMs: 600_000 });
    await engine.syncOnce();
    expect(synced[0]).toEqual(['metrics', 'policy']); // the first pull: nothing was cached
    await engine.syncOnce();
    expect(synced[1]).toEqual([]); // an idle sync
    server.metrics = metrics({ searchesLast24h: 1 });
    await engine.syncOnce();
    expect(synced[2]).toEqual(['metrics']);
    server.policy = { ...POLICY, bulkApproveMinConfidence: 0.95 };
    await engine.syncOnce();
    expect(synced[3]).toEqual(['policy']);
    expect(store.policy()?.bulkApproveMinConfidence).toBe(0.95);
  });

  it('names the outbox when something was sent, and the verdicts only when the server refused something', async () => {
    open({ intervalMs: 600_000 });
    await engine.syncOnce();
    const queue = () => store.enqueue({ type: resolveAlert.type, payload: { alertId: redAlert().id }, baseVersion: null });
    queue();
    await engine.syncOnce();
    expect(synced[1]).toEqual(['outbox']);
    server.pushResults = (commands) => ({
      results: commands.map((c, index) => ({ index, id: c.id, status: 'rejected' as const, kind: 'refused' as const, reason: 'no' })),
    });
    queue();
    await engine.syncOnce();
    expect(synced[2]).toEqual(['outbox', 'verdicts']);
  });
});
