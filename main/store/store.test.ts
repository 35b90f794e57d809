// The store on its own, on a real SQLite file: what a push's answer does to
// the cache. A decision the server applied must show as decided from the
// moment its outbox entry is settled (a crash before the next pull must not
// show the work as undone), until a pull brings the server's own row.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandResult, PullResponse, RefundItem, ReviewItem } from '../../shared/api/operator.ts';
import { BUSINESS, refund as itemRefund, review as itemReview } from '../console/testing/world.ts';
import { openLocalDatabase, type LocalDatabase } from './db.ts';
import { createStore, OutboxEditError, type Store } from './store.ts';

const BIZ = BUSINESS;
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const noBackoff = () => 0;

// The console's item fixtures, at this file's business, name and clock (the assertions read them).
const T = '2026-11-20T10:00:00.000Z';
const review = (id: string, over: Partial<ReviewItem> = {}) => itemReview({ id, businessName: 'Calm Paws', createdAt: T, updatedAt: T, ...over });
const refund = (id: string, over: Partial<RefundItem> = {}) =>
  itemRefund({ id, paymentId: uuid(900), businessName: 'Calm Paws', ownerEmail: null, requestedAt: T, reason: null, updatedAt: T, ...over });
/** A pull answer with the given reviews and refunds (the other lists empty). */
const pull = (full: boolean, reviews: unknown[], refunds: unknown[] = []) =>
  ({
    cursor: 'xid:100',
    serverTime: '2026-11-27T00:00:00.000Z',
    full,
    reviews,
    refunds,
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
    metrics: {
      revenueThisMonthCents: 0,
      refundsThisMonthCents: 0,
      activePlacements: 0,
      queuedPlacements: 0,
      pendingReviews: 0,
      pendingRefunds: 0,
      refundRate7d: 0,
      searchesLast24h: 0,
      openRed: 0,
      openYellow: 0,
      aiMode: 'deterministic',
    },
    policy: { bulkApproveMinConfidence: 0.9, aiBudgetSwitchRatio: 0.9, refreshMs: { normal: 60_000, red: 30_000 }, refundWindowHours: 72 },
  }) as unknown as PullResponse;

let dir: string;
let path: string;
let db: LocalDatabase;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dtd-store-'));
  path = join(dir, 'console.sqlite');
  db = openLocalDatabase(path);
  store = createStore(db);
  store.applyPull(
    pull(
      true,
      [1, 2, 3, 4, 5].map((n) => review(uuid(n))),
      [refund(uuid(11)), refund(uuid(12))],
    ),
  );
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const decide = (type: 'review.approve' | 'review.reject' | 'refund.approve' | 'refund.deny', id: string, extra: Record<string, unknown> = {}) =>
  type.startsWith('review')
    ? store.enqueue({ type, payload: { reviewId: id, businessId: BIZ, ...extra }, baseVersion: 1, subjectKind: 'review', subjectId: id })
    : store.enqueue({ type, payload: { refundRequestId: id, businessId: BIZ, ...extra }, baseVersion: 1, subjectKind: 'refund', subjectId: id });
const data = (kind: string, id: string) => {
  const row = store.item(kind, id)!;
  return { status: row.status, version: row.version, ...(JSON.parse(row.data) as Record<string, unknown>) };
};
const pushAndSettle = (results: (ids: string[]) => CommandResult[]) => {
  const batch = store.claimBatch(100);
  return store.settle(results(batch.map((c) => c.id)), noBackoff);
};

describe('settling a push answer', () => {
  it('shows a closed complaint as closed with what was done, and refuses closing it again here', () => {
    const id = uuid(21);
    store.applyPull({
      ...pull(false, []),
      complaints: [{ id, businessId: BIZ, kind: 'queue_position', status: 'pending', version: 1, resolution: null }],
    } as never);
    const close = () =>
      store.enqueue({
        type: 'complaint.close',
        payload: { complaintId: id, businessId: BIZ, resolution: 'position emailed' },
        baseVersion: 1,
        subjectKind: 'complaint',
        subjectId: id,
      });
    close();
    pushAndSettle(([a]) => [{ index: 0, id: a!, status: 'applied' }]);
    expect(data('complaint', id)).toMatchObject({ status: 'closed', resolution: 'position emailed' });
    expect(close).toThrow('this complaint is already closed; there is nothing to decide');
  });

  it('shows each applied or duplicate-of-applied decision as decided, in the transaction that empties the outbox', () => {
    decide('review.approve', uuid(1));
    decide('review.reject', uuid(2), { reason: 'spam', note: 'links to a casino' });
    decide('refund.approve', uuid(11));
    decide('refund.deny', uuid(12), { note: 'too late' });
    const counts = pushAndSettle(([a, b, c, d]) => [
      { index: 0, id: a!, status: 'applied' },
      { index: 1, id: b!, status: 'duplicate', first: { status: 'applied' } },
      { index: 2, id: c!, status: 'applied', details: { stripeRefundId: 're_1' } },
      { index: 3, id: d!, status: 'duplicate', first: { status: 'applied' } },
    ]);
    expect(counts).toMatchObject({ applied: 4, rejected: 0 });
    expect(store.outbox()).toEqual([]);
    expect(data('review', uuid(1))).toMatchObject({ status: 'approved', version: 1, rejectionReason: null });
    expect(data('review', uuid(2))).toMatchObject({ status: 'rejected', version: 1, rejectionReason: 'spam', rejectionNote: 'links to a casino' });
    expect(data('refund', uuid(11))).toMatchObject({ status: 'approved', version: 1 });
    expect(data('refund', uuid(12))).toMatchObject({ status: 'denied', version: 1, decisionNote: 'too late' });
    // What a console started after a crash right here would list as waiting for a decision.
    expect(store.items('review', 'pending').map((r) => r.id)).toEqual([uuid(3), uuid(4), uuid(5)]);
    expect(store.items('refund', 'pending')).toEqual([]);
    // The same file opened again (as after a crash) shows the same.
    const again = openLocalDatabase(path);
    expect((again.prepare("select count(*) as n from items where kind = 'review' and status = 'pending'").get() as { n: number }).n).toBe(3);
    again.close();
  });

  it('leaves the item pending when the server refused, failed or did not answer', () => {
    decide('review.approve', uuid(1));
    decide('review.approve', uuid(2));
    decide('review.approve', uuid(3));
    pushAndSettle(([a, b]) => [
      { index: 0, id: a!, status: 'rejected', kind: 'refused', reason: 'no' },
      { index: 1, id: b!, status: 'error', reason: 'server error: boom' },
    ]);
    expect([1, 2, 3].map((n) => store.item('review', uuid(n))!.status)).toEqual(['pending', 'pending', 'pending']);
    expect(store.outbox().map((r) => r.state)).toEqual(['pending', 'pending']);
  });

  it('is rolled back with the outbox when the transaction fails: never one without the other', () => {
    decide('review.approve', uuid(1));
    const [cmd] = store.claimBatch(10);
    const broken = [{ index: 0, id: cmd!.id, status: 'applied' }, null] as unknown as CommandResult[];
    expect(() => store.settle(broken, noBackoff)).toThrow();
    expect(store.item('review', uuid(1))!.status).toBe('pending');
    expect(store.outbox()).toHaveLength(1);
  });

  it('marks every review a bulk approval approved, and only those', () => {
    const reviews = [1, 2, 3].map((n) => ({ reviewId: uuid(n), businessId: BIZ, baseVersion: 1 }));
    store.enqueue({ type: 'review.bulk_approve', payload: { reviews }, baseVersion: null });
    // As commands.ts answers: details.approved is the list of review ids it approved; skipped ones are listed apart.
    pushAndSettle(([id]) => [
      {
        index: 0,
        id: id!,
        status: 'duplicate',
        first: { status: 'applied', details: { approved: [uuid(1), uuid(3)], skipped: [{ reviewId: uuid(2), reason: 'stale' }] } },
      },
    ]);
    expect([1, 2, 3, 4].map((n) => store.item('review', uuid(n))!.status)).toEqual(['approved', 'pending', 'approved', 'pending']);
    expect(data('review', uuid(3))).toMatchObject({ status: 'approved', version: 1 });
  });

  it('is overwritten by the next pull, which carries the server row at a higher version', () => {
    decide('review.reject', uuid(1), { reason: 'spam' });
    decide('refund.deny', uuid(11));
    pushAndSettle((ids) => ids.map((id, index) => ({ index, id, status: 'applied' as const })));
    store.applyPull(
      pull(
        false,
        [review(uuid(1), { status: 'rejected', rejectionReason: 'spam', moderatedByName: 'Sam Operator', version: 2 })],
        [refund(uuid(11), { status: 'denied', decidedByName: 'Sam Operator', version: 2 })],
      ),
    );
    expect(data('review', uuid(1))).toMatchObject({ status: 'rejected', version: 2, moderatedByName: 'Sam Operator' });
    expect(data('refund', uuid(11))).toMatchObject({ status: 'denied', version: 2, decidedByName: 'Sam Operator' });
    // A later change on the server (version 3) still comes through.
    store.applyPull(pull(false, [review(uuid(1), { status: 'approved', version: 3 })]));
    expect(data('review', uuid(1))).toMatchObject({ status: 'approved', version: 3, rejectionReason: null });
  });

  it('does not overwrite what a pull already brought', () => {
    decide('review.approve', uuid(1));
    const batch = store.claimBatch(10);
    store.applyPull(pull(false, [review(uuid(1), { status: 'rejected', rejectionReason: 'other', version: 2 })]));
    store.settle([{ index: 0, id: batch[0]!.id, status: 'applied' }], noBackoff);
    expect(data('review', uuid(1))).toMatchObject({ status: 'rejected', version: 2, rejectionReason: 'other' });
  });
});

describe('queueing a decision', () => {
  it('refuses an item the cache shows decided, and writes nothing', () => {
    decide('review.approve', uuid(1));
    decide('refund.deny', uuid(12));
    pushAndSettle((ids) => ids.map((id, index) => ({ index, id, status: 'applied' as const })));
    store.applyPull(pull(false, [review(uuid(2), { status: 'rejected', rejectionReason: 'spam', moderatedByName: 'Robin Second', version: 2 })]));
    const before = { outbox: store.outbox(), items: db.prepare('select * from items order by kind, id').all() };

    expect(() => decide('review.reject', uuid(1), { reason: 'spam' })).toThrow(OutboxEditError);
    expect(() => decide('review.reject', uuid(1), { reason: 'spam' })).toThrow('this review is already approved; there is nothing to decide');
    expect(() => decide('review.approve', uuid(2))).toThrow('this review is already rejected by Robin Second; there is nothing to decide');
    expect(() => decide('refund.approve', uuid(12))).toThrow('this refund request is already denied; there is nothing to decide');
    expect(store.outbox()).toEqual(before.outbox);
    expect(db.prepare('select * from items order by kind, id').all()).toEqual(before.items);
    // A pending one still queues.
    expect(decide('review.approve', uuid(3))).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('still changes a waiting decision on a pending item instead of queueing a second one', () => {
    const first = decide('review.approve', uuid(4));
    expect(decide('review.reject', uuid(4), { reason: 'off_topic' })).toBe(first);
    expect(store.outbox()).toHaveLength(1);
  });
});

describe('reading the cache without parsing it', () => {
  it('lists pending reviews at or above a confidence, oldest first, with what a bulk approval needs', () => {
    store.applyPull(
      pull(true, [
        review(uuid(1), { aiConfidence: 0.95, createdAt: '2026-11-20T12:00:00.000Z', version: 3 }),
        review(uuid(2), { aiConfidence: 0.9, createdAt: '2026-11-20T09:00:00.000Z' }),
        review(uuid(3), { aiConfidence: 0.899 }),
        review(uuid(4), { aiConfidence: null }),
        review(uuid(5), { aiConfidence: 0.99, status: 'approved' }),
      ]),
    );
    expect(store.pendingReviewsAtLeast(0.9)).toEqual([
      { id: uuid(2), business_id: BIZ, version: 1 },
      { id: uuid(1), business_id: BIZ, version: 3 },
    ]);
    expect(store.pendingReviewsAtLeast(0).map((r) => r.id)).toEqual([uuid(2), uuid(3), uuid(4), uuid(1)]); // no score counts as 0
  });

  it('counts ids by kind and status', () => {
    expect(store.ids('review', 'pending').sort()).toEqual([1, 2, 3, 4, 5].map(uuid));
    expect(store.ids('refund', 'pending')).toHaveLength(2);
    expect(store.ids('review', 'approved')).toEqual([]);
  });
});
