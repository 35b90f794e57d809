// Notices: a success goes by itself after a while (it would pile up over the
// work), an error stays until the operator dismisses it; a success about
// queued decisions follows them out of the outbox.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutboxEntry, SyncReport, SyncStatus, Verdict } from '../../../shared/ipc/contract.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createNoticesStore, type FollowTally, INFO_NOTICE_MS } from './notices.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('notices', () => {
  it('lets a success go after its time and keeps an error until dismissed', () => {
    const store = createNoticesStore();
    store.getState().push('info', 'Saved incident_2026-12-04_z-ai-down.txt');
    store.getState().push('error', 'The report could not be fetched.');
    vi.advanceTimersByTime(INFO_NOTICE_MS - 1);
    expect(store.getState().notices.map((n) => n.tone)).toEqual(['info', 'error']);
    vi.advanceTimersByTime(1);
    expect(store.getState().notices.map((n) => n.message)).toEqual(['The report could not be fetched.']);
    vi.advanceTimersByTime(10 * INFO_NOTICE_MS);
    expect(store.getState().notices).toHaveLength(1);
    store.getState().dismiss(store.getState().notices[0]!.id);
    expect(store.getState().notices).toEqual([]);
  });
});

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const entry = (commandId: string, state: OutboxEntry['state'] = 'pending'): OutboxEntry => ({
  commandId,
  type: 'review.bulk_approve',
  payload: {},
  state,
  attempts: 0,
  lastError: null,
  decidedAt: '2026-11-02T00:00:00.000Z',
  subjectId: null,
  label: 'Approve reviews in one bulk approval',
  reviewDecision: null,
});
const REPORT: SyncReport = { pushed: 1, applied: 1, rejected: 0, failed: 0, dead: 0, pulled: 0 };
const STATUS: SyncStatus = {
  online: true,
  syncing: false,
  pending: 2,
  oldestPendingAgeMs: 0,
  dead: 0,
  verdicts: 0,
  lastSyncAt: null,
  lastPullServerTime: null,
  lastError: null,
  nextAttemptAt: null,
  stalled: false,
  needsSignIn: false,
  outboxRevision: 1,
};
/** Lets the fake's answers (promises) land. */
const answers = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};
const tallyWords = (t: FollowTally) => `waiting ${t.waiting}, applied ${t.applied}, refused ${t.refused}, failed ${t.failed}, taken back ${t.takenBack}`;

/** Main's outbox holding two bulk commands (500 and 200 reviews), and a notice following them. */
function following() {
  const main = { outbox: [entry(id(1)), entry(id(2))], verdicts: [] as Verdict[] };
  const fake = createFakeApi({ outbox: () => main.outbox, verdicts: () => main.verdicts });
  const store = createNoticesStore({ api: fake.api });
  store.getState().push('info', 'Approved 700 reviews here: they are waiting to sync.', undefined, {
    commandIds: [id(1), id(2)],
    sizes: [500, 200],
    words: tallyWords,
  });
  const words = () => store.getState().notices.map((n) => n.message);
  const asked = () => fake.calls.filter((c) => c.method === 'outbox').length;
  return { main, fake, store, words, asked };
}

describe('a notice following queued commands', () => {
  it('keeps its words until a sync sends its commands, then says what became of them (counted in what they carry)', async () => {
    const { main, fake, words, asked } = following();
    fake.emit('status', STATUS);
    fake.emit('status', { ...STATUS, pending: 3, outboxRevision: 2 }); // another decision queued: nothing to read
    fake.emit('synced', { changed: ['reviews'], report: { ...REPORT, pushed: 0 } }); // nothing sent
    await answers();
    expect(asked()).toBe(0);
    expect(words()).toEqual(['Approved 700 reviews here: they are waiting to sync.']);

    main.outbox = [entry(id(2))];
    fake.emit('status', { ...STATUS, syncing: true });
    fake.emit('synced', { changed: ['outbox'], report: REPORT });
    await answers();
    expect(words()).toEqual(['waiting 200, applied 500, refused 0, failed 0, taken back 0']);

    main.outbox = [entry(id(2), 'dead')];
    fake.emit('synced', { changed: ['outbox', 'verdicts'], report: { ...REPORT, dead: 1 } });
    await answers();
    expect(words()).toEqual(['waiting 0, applied 500, refused 0, failed 200, taken back 0']);
    const reads = asked();
    fake.emit('synced', { changed: ['outbox'], report: REPORT }); // none waits: no longer followed
    await answers();
    expect(asked()).toBe(reads);
  });

  it('gives the new words their own time on screen', async () => {
    const { main, fake, words } = following();
    vi.advanceTimersByTime(INFO_NOTICE_MS - 10);
    main.outbox = [];
    fake.emit('synced', { changed: ['outbox'], report: REPORT });
    await answers();
    vi.advanceTimersByTime(INFO_NOTICE_MS - 10);
    expect(words()).toEqual(['waiting 0, applied 700, refused 0, failed 0, taken back 0']);
    vi.advanceTimersByTime(10);
    expect(words()).toEqual([]);
  });

  it('counts a command a verdict names as refused', async () => {
    const { main, fake, words } = following();
    main.outbox = [entry(id(2))];
    main.verdicts = [
      {
        commandId: id(1),
        type: 'review.bulk_approve',
        label: '',
        subjectId: null,
        kind: 'conflict',
        reason: 'moved',
        current: null,
        decidedBy: null,
        createdAt: '',
      },
    ];
    fake.emit('synced', { changed: ['outbox', 'verdicts'], report: { ...REPORT, applied: 0, rejected: 1 } });
    await answers();
    expect(words()).toEqual(['waiting 200, applied 0, refused 500, failed 0, taken back 0']);
  });

  it('says a command cancelled here (no sync in between) was taken back, not sent', async () => {
    const { main, fake, words } = following();
    fake.emit('status', STATUS);
    main.outbox = [entry(id(1))];
    fake.emit('status', { ...STATUS, pending: 1, outboxRevision: 2 });
    await answers();
    expect(words()).toEqual(['waiting 500, applied 0, refused 0, failed 0, taken back 200']);
  });

  it('stops reading the outbox once its notice is dismissed, and needs no API to be shown', async () => {
    const { main, fake, store, asked } = following();
    store.getState().dismiss(store.getState().notices[0]!.id);
    main.outbox = [];
    fake.emit('synced', { changed: ['outbox'], report: REPORT });
    await answers();
    expect(asked()).toBe(0);
    const plain = createNoticesStore();
    plain.getState().push('info', 'Approved 1 review here: it is waiting to sync.', undefined, { commandIds: [id(1)], words: tallyWords });
    expect(plain.getState().notices.map((n) => n.message)).toEqual(['Approved 1 review here: it is waiting to sync.']);
  });
});
