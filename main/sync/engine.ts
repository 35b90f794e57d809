// The sync engine: push the outbox, then pull what changed. Exponential
// back-off with jitter after a failure, online/offline from what the network
// actually does (plus the OS's hint), crash recovery (commands marked as
// being sent go back in line; the server dedupes by id), and a watchdog that
// reports an outbox that has stopped moving. Never imports Electron: main's
// shell wires its events to the tray and the window.
//
// This is the console's only sync clock: the spec's cadence (every minute,
// every 30 s while a RED alert is open, spec 6.1) with the two durations the
// server's policy gives in the pull. The renderer never asks on a timer.
import { EventEmitter } from 'node:events';
import { TransportError, type OperatorTransport } from './transport.ts';
import type { Store } from '../store/store.ts';
import type { SyncReport, SyncStatus } from '../../shared/ipc/sync-types.ts';
import type { ChangedKind } from '../../shared/ipc/events.ts';

const PULLED_KINDS = [
  'reviews',
  'refunds',
  'alerts',
  'cronRuns',
  'activity',
  'flags',
  'accounts',
  'incidents',
  'emails',
  'complaints',
  'escalations',
  'runs',
] as const;

export interface EngineOptions {
  batchSize?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A fixed cadence instead of the policy's (tests and benchmarks that sync by hand set it long). */
  intervalMs?: number;
  /** An outbox that has not shrunk for this long while online is reported as stalled. */
  watchdogMs?: number;
  clock?: () => number;
  random?: () => number;
}

export type { SyncReport, SyncStatus };

/** The spec's clock until the first pull brings the server's policy. */
export const DEFAULT_REFRESH_MS = { normal: 60_000, red: 30_000 };

export type SyncEvent =
  | { type: 'progress'; phase: 'push' | 'pull'; done: number; total: number }
  | { type: 'synced'; report: SyncReport; changed: ChangedKind[] }
  /** Something status() reports moved (syncing started or ended, online or offline). */
  | { type: 'status' }
  | { type: 'failed'; error: string; retryInMs: number }
  | { type: 'stalled'; oldestPendingAgeMs: number };

export function createSyncEngine(store: Store, transport: OperatorTransport, opts: EngineOptions = {}) {
  const batchSize = opts.batchSize ?? 500;
  const base = opts.baseDelayMs ?? 1_000;
  const max = opts.maxDelayMs ?? 5 * 60_000;
  const clock = opts.clock ?? Date.now;
  const random = opts.random ?? Math.random;
  const watchdogMs = opts.watchdogMs ?? 10 * 60_000;
  const events = new EventEmitter();
  let online: boolean | null = null;
  let networkHint = true;
  let failures = 0;
  let nextAttemptAt = 0;
  let lastError: string | null = null;
  let needsSignIn = false;
  let lastProgressAt = clock();
  let running: Promise<SyncReport> | null = null;
  let followUp: Promise<SyncReport> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = true;

  /** Full jitter on an exponential curve, so many consoles never retry in step. */
  const backoff = (attempt: number) => Math.round(Math.min(max, base * 2 ** (attempt - 1)) * (0.5 + random() / 2));
  const emit = (e: SyncEvent) => events.emit('event', e);

  async function run(): Promise<SyncReport> {
    const report: SyncReport = { pushed: 0, applied: 0, rejected: 0, failed: 0, dead: 0, pulled: 0 };
    store.releaseSending(); // after a crash mid-push; harmless otherwise
    emit({ type: 'status' });
    try {
      const total = store.pendingCount();
      for (;;) {
        const batch = store.claimBatch(batchSize);
        if (batch.length === 0) break;
        let answer: Awaited<ReturnType<typeof transport.push>>;
        try {
          answer = await transport.push(batch);
        } catch (err) {
          store.releaseSending();
          throw err;
        }
        const counts = store.settle(answer.results, backoff);
        report.pushed += batch.length;
        report.applied += counts.applied;
        report.rejected += counts.rejected;
        report.failed += counts.failed;
        report.dead += counts.dead;
        if (counts.applied + counts.rejected + counts.dead > 0) lastProgressAt = clock();
        emit({ type: 'progress', phase: 'push', done: report.pushed, total });
        // A short batch was everything due; what failed waits for its back-off, not this loop.
        if (batch.length < batchSize) break;
      }
      const res = await transport.pull(store.meta('cursor'));
      const before = { metrics: store.meta('metrics'), policy: store.meta('policy') };
      store.applyPull(res);
      report.pulled = res.reviews.length + res.refunds.length + res.alerts.length + res.cronRuns.length + res.activity.length;
      emit({ type: 'progress', phase: 'pull', done: 1, total: 1 });
      online = true;
      failures = 0;
      nextAttemptAt = 0;
      lastError = null;
      needsSignIn = false;
      if (store.pendingCount() === 0) lastProgressAt = clock();
      store.setMeta('last_sync_at', new Date(clock()).toISOString());
      // A domain is named only when its data moved: the snapshots by content,
      // the outbox when anything was sent, the verdicts when one was added.
      const changed: ChangedKind[] = PULLED_KINDS.filter((k) => res[k].length > 0);
      if (JSON.stringify(res.metrics) !== before.metrics) changed.push('metrics');
      if (JSON.stringify(res.policy) !== before.policy) changed.push('policy');
      if (report.pushed > 0) changed.push('outbox');
      if (report.rejected + report.dead > 0) changed.push('verdicts');
      emit({ type: 'synced', report, changed });
      return report;
    } catch (err) {
      failures++;
      const wait = backoff(failures);
      nextAttemptAt = clock() + wait;
      lastError = (err as Error).message;
      if (err instanceof TransportError) {
        if (err.kind === 'offline') online = false;
        if (err.kind === 'auth') needsSignIn = true;
      }
      emit({ type: 'failed', error: lastError, retryInMs: wait });
      throw err;
    }
  }

  /**
   * One push-then-pull that includes everything queued before the call. A run
   * already in progress may have claimed its batches before the caller queued
   * a command (the background tick, then the operator's "send now"), so the
   * caller waits for one more run after it; callers arriving meanwhile share
   * that follow-up. When the run in progress fails, its failure is the answer
   * (the follow-up would only hit the same wall, ignoring the back-off).
   */
  function syncOnce(): Promise<SyncReport> {
    if (!running) {
      running = run().finally(() => {
        running = null;
        emit({ type: 'status' });
      });
      return running;
    }
    followUp ??= running.then(
      () => {
        followUp = null;
        return syncOnce();
      },
      (err) => {
        followUp = null;
        throw err;
      },
    );
    return followUp;
  }

  function status(): SyncStatus {
    const oldest = store.oldestPendingDecidedAt();
    const pending = store.pendingCount();
    const oldestPendingAgeMs = oldest ? Math.max(0, clock() - Date.parse(oldest)) : 0;
    return {
      online,
      syncing: running !== null,
      pending,
      oldestPendingAgeMs,
      dead: store.deadCount(),
      verdicts: store.verdicts().length,
      lastSyncAt: store.meta('last_sync_at'),
      lastPullServerTime: store.meta('last_pull_server_time'),
      lastError,
      nextAttemptAt: nextAttemptAt ? new Date(nextAttemptAt).toISOString() : null,
      stalled: pending > 0 && online !== false && clock() - lastProgressAt > watchdogMs,
      needsSignIn,
      outboxRevision: store.revision(),
    };
  }

  /** How long until the next sync while all is well: the policy's cadence, faster while a RED alert is open here. */
  function cadenceMs(): number {
    if (opts.intervalMs !== undefined) return opts.intervalMs;
    const every = store.policy()?.refreshMs ?? DEFAULT_REFRESH_MS;
    return store.openRedAlerts() > 0 ? every.red : every.normal;
  }

  async function tick() {
    timer = null;
    if (stopped) return;
    if (networkHint && !needsSignIn && clock() >= nextAttemptAt) {
      await syncOnce().catch(() => undefined);
    }
    const s = status();
    if (s.stalled) emit({ type: 'stalled', oldestPendingAgeMs: s.oldestPendingAgeMs });
    if (!stopped) {
      const due = Math.max(250, Math.min(cadenceMs(), nextAttemptAt ? nextAttemptAt - clock() : Infinity));
      timer = setTimeout(() => void tick(), due);
    }
  }

  return {
    syncOnce,
    status,
    backoff,
    cadenceMs,
    on: (listener: (e: SyncEvent) => void) => {
      events.on('event', listener);
      return () => void events.off('event', listener);
    },
    start() {
      if (!stopped) return;
      stopped = false;
      void tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
      await followUp?.catch(() => undefined);
    },
    /** The OS says the network came or went (Electron's online/offline); a return syncs at once. */
    setNetworkAvailable(available: boolean) {
      networkHint = available;
      if (!available) {
        online = false;
        emit({ type: 'status' });
        return;
      }
      nextAttemptAt = 0;
      if (stopped) return;
      if (timer) clearTimeout(timer);
      void tick();
    },
    /** After signing in again. */
    sessionRenewed() {
      needsSignIn = false;
      nextAttemptAt = 0;
      failures = 0;
      if (stopped) return;
      if (timer) clearTimeout(timer);
      void tick();
    },
  };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;
