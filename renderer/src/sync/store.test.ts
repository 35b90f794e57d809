import { describe, expect, it } from 'vitest';
import type { OutboxEntry, SyncStatus, UploadPreview } from '../../../shared/ipc/contract.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createNoticesStore } from '../ui/notices.ts';
import { createSyncStore } from './store.ts';

const status: SyncStatus = {
  online: true,
  syncing: false,
  pending: 1,
  oldestPendingAgeMs: 0,
  dead: 0,
  verdicts: 0,
  lastSyncAt: null,
  lastPullServerTime: null,
  lastError: null,
  nextAttemptAt: null,
  stalled: false,
  needsSignIn: false,
  outboxRevision: 3,
};
const entry: OutboxEntry = {
  commandId: 'cmd-1',
  type: 'review.approve',
  reviewDecision: { kind: 'approve' },
  payload: {},
  state: 'pending',
  attempts: 0,
  lastError: null,
  decidedAt: '2026-12-01T00:00:00Z',
  subjectId: 'r1',
  label: 'Approve review of Paws & Co',
};
const preview: UploadPreview = {
  reviewApprovals: 1,
  reviewRejections: 0,
  refundApprovals: 0,
  refundDenials: 0,
  refundTotalCents: 0,
  other: 0,
  dead: 0,
  summary: '1 approval',
};

const world = (extra: Parameters<typeof createFakeApi>[0] = {}) => {
  const fake = createFakeApi({ status: () => status, outbox: () => [entry], previewUpload: () => preview, verdicts: () => [], ...extra });
  const notices = createNoticesStore();
  return { ...fake, notices, store: createSyncStore(fake.api, notices) };
};
const tick = () => new Promise((r) => setTimeout(r, 0));
const last = (w: ReturnType<typeof world>, m: string) => w.calls.filter((c) => c.method === m).at(-1)?.args;

describe('sync store', () => {
  it('loads status, outbox, the upload summary and verdicts', async () => {
    const w = world();
    await w.store.getState().load();
    expect(w.store.getState()).toMatchObject({ status, outbox: [entry], preview: { summary: '1 approval' }, verdicts: [] });
  });

  it('cancel, change, retry and dismiss call main with the command id, then reload', async () => {
    const w = world({ cancelCommand: () => undefined, changeReviewDecision: () => undefined, retryCommand: () => undefined, dismissVerdict: () => true });
    await w.store.getState().cancel('cmd-1');
    expect(last(w, 'cancelCommand')).toEqual(['cmd-1']);
    expect(await w.store.getState().change('cmd-1', { kind: 'reject', reason: 'spam' })).toBe(true);
    expect(last(w, 'changeReviewDecision')).toEqual(['cmd-1', { kind: 'reject', reason: 'spam' }]);
    await w.store.getState().retry('cmd-2');
    expect(last(w, 'retryCommand')).toEqual(['cmd-2']);
    await w.store.getState().dismissVerdict('cmd-3');
    expect(last(w, 'dismissVerdict')).toEqual(['cmd-3']);
    expect(w.calls.filter((c) => c.method === 'outbox')).toHaveLength(4);
  });

  it('a refused change goes to the notices as main wrote it', async () => {
    const w = world({
      changeReviewDecision: () => {
        throw new ConsoleError('refused', 'this command is being sent right now and can no longer be changed');
      },
    });
    expect(await w.store.getState().change('cmd-1', { kind: 'approve' })).toBe(false);
    expect(w.notices.getState().notices[0]?.message).toBe('this command is being sent right now and can no longer be changed');
  });

  it('follows main: status, progress and synced events, without a call (the refresher reloads its lists)', async () => {
    const w = world();
    w.emit('progress', { phase: 'push', done: 1, total: 3 });
    expect(w.store.getState().progress).toEqual({ phase: 'push', done: 1, total: 3 });
    w.emit('status', { ...status, syncing: false, online: false });
    expect(w.store.getState().status?.online).toBe(false);
    expect(w.store.getState().progress).toBeNull();
    w.emit('progress', { phase: 'pull', done: 1, total: 1 });
    w.emit('synced', { changed: ['outbox'], report: { pushed: 1, applied: 1, rejected: 0, failed: 0, dead: 0, pulled: 0 } });
    expect(w.store.getState().progress).toBeNull();
    expect(w.calls).toEqual([]); // nobody is looking at the lists
  });

  it('while followed (the Sync screen is open), reloads its lists when the outbox moved, not on every status event', async () => {
    const w = world();
    w.emit('status', status);
    const unfollow = w.store.getState().follow();
    w.emit('status', { ...status, syncing: true });
    w.emit('status', { ...status, syncing: false });
    await tick();
    expect(w.calls.filter((c) => c.method === 'outbox')).toHaveLength(0); // a sync that moved nothing
    w.emit('status', { ...status, pending: 2, outboxRevision: 4 });
    await tick();
    expect(w.calls.filter((c) => c.method === 'outbox')).toHaveLength(1);
    unfollow();
    w.emit('status', { ...status, pending: 3, outboxRevision: 5 });
    await tick();
    expect(w.calls.filter((c) => c.method === 'outbox')).toHaveLength(1);
    expect(w.store.getState().status?.pending).toBe(3);
  });

  it('Sync now asks main to sync and shows an offline answer', async () => {
    const w = world({
      syncNow: () => {
        throw new ConsoleError('offline', 'The server cannot be reached.');
      },
    });
    await w.store.getState().syncNow();
    expect(w.calls.some((c) => c.method === 'syncNow')).toBe(true);
    expect(w.notices.getState().notices[0]).toMatchObject({ message: 'The server cannot be reached.', kind: 'offline' });
  });
});
