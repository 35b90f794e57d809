// The review queue's store against an in-memory API: what the operator sees
// move when they press keys and decide, and what it asks main to do.
import { describe, expect, it } from 'vitest';
import {
  ConsoleError,
  type LocalDecision,
  type OutboxEntry,
  type ReviewDecision,
  type ReviewView,
  type SyncReport,
  type Verdict,
} from '../../../shared/ipc/contract.ts';
import type { OperatorPolicy } from '../../../shared/api/operator.ts';
import { createPolicyStore } from '../app/policy.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createNoticesStore } from '../ui/notices.ts';
import { REVIEW_KEYS } from './KeysDialog.tsx';
import { reasonOfKey } from './describe.ts';
import { RECOUNT_AFTER_MS, confidenceFilters, createReviewsStore } from './store.ts';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const review = (n: number, aiConfidence: number, localDecision: LocalDecision | null = null): ReviewView => ({
  id: uuid(n),
  businessId: uuid(1000 + n),
  businessName: `Trainer ${n}`,
  rating: 4,
  body: `Review ${n}`,
  displayName: null,
  status: 'pending',
  aiConfidence,
  aiFlags: aiConfidence < 0.9 ? ['spam'] : [],
  rejectionReason: null,
  rejectionNote: null,
  moderatedBy: null,
  moderatedByName: null,
  moderatedAt: null,
  version: 1,
  createdAt: new Date(Date.UTC(2026, 10, 1, n)).toISOString(),
  updatedAt: new Date(Date.UTC(2026, 10, 1, n)).toISOString(),
  localDecision,
});
const waiting = (type: LocalDecision['type'], payload: Record<string, unknown> = {}): LocalDecision => ({
  commandId: uuid(9000),
  type,
  state: 'pending',
  payload,
  words: type,
});

const POLICY: OperatorPolicy = { bulkApproveMinConfidence: 0.9, aiBudgetSwitchRatio: 0.9, refreshMs: { normal: 60_000, red: 30_000 }, refundWindowHours: 72 };

const entry = (commandId: string): OutboxEntry => ({
  commandId,
  type: 'review.bulk_approve',
  payload: {},
  state: 'pending',
  attempts: 0,
  lastError: null,
  decidedAt: '2026-11-02T00:00:00.000Z',
  subjectId: null,
  label: 'Approve 3 reviews in one bulk approval',
  reviewDecision: null,
});
const verdict = (commandId: string): Verdict => ({
  commandId,
  type: 'review.bulk_approve',
  label: 'Approve 3 reviews in one bulk approval',
  subjectId: null,
  kind: 'conflict',
  reason: 'the reviews moved on the server',
  current: null,
  decidedBy: null,
  createdAt: '2026-11-02T00:00:00.000Z',
});
const REPORT: SyncReport = { pushed: 1, applied: 1, rejected: 0, failed: 0, dead: 0, pulled: 0 };

/** A fake main holding reviews 1..5 (3 and 5 below 0.90, the server's line), oldest first, that records decisions as main would; a bulk approval is one command in its outbox. */
function world(policy: OperatorPolicy = POLICY) {
  let reviews = [review(1, 0.95), review(2, 0.97), review(3, 0.2), review(4, 0.93), review(5, 0.5)];
  const sync = { outbox: [] as OutboxEntry[], verdicts: [] as Verdict[] };
  const decide = (id: string, d: ReviewDecision) => {
    reviews = reviews.map((r) =>
      r.id === id
        ? { ...r, localDecision: waiting(d.kind === 'approve' ? 'review.approve' : 'review.reject', d.kind === 'reject' ? { reason: d.reason } : {}) }
        : r,
    );
    return reviews.find((r) => r.id === id)!;
  };
  const bulk = (min: number) => reviews.filter((r) => (r.aiConfidence ?? 0) >= min && !r.localDecision);
  const fake = createFakeApi({
    reviews: () => reviews,
    decideReview: (id, d) => decide(id, d),
    decideReviews: (ids, d) => ids.map((id) => decide(id, d)),
    previewBulkApprove: (min) => ({ count: bulk(min).length, minConfidence: min, sample: bulk(min).slice(0, 5) }),
    bulkApprove: (min) => {
      const ids = bulk(min).map((r) => r.id);
      reviews = reviews.map((r) => (ids.includes(r.id) ? { ...r, localDecision: waiting('review.bulk_approve') } : r));
      sync.outbox.push(entry(uuid(7000)));
      return { commandIds: [uuid(7000)], count: ids.length };
    },
    outbox: () => sync.outbox,
    verdicts: () => sync.verdicts,
    undoReview: (id) => {
      reviews = reviews.map((r) => (r.id === id ? { ...r, localDecision: null } : r));
      return reviews.find((r) => r.id === id)!;
    },
    policy: () => policy,
  });
  const notices = createNoticesStore({ api: fake.api });
  const policyStore = createPolicyStore(fake.api, notices);
  const store = createReviewsStore(fake.api, notices, policyStore);
  return {
    fake,
    notices,
    store,
    policyStore,
    sync,
    set: (next: ReviewView[]) => {
      reviews = next;
    },
    count: (m: string) => fake.calls.filter((c) => c.method === m).length,
  };
}
const names = (rs: ReviewView[]) => rs.map((r) => r.businessName);

describe('the reviews store', () => {
  it("shows main's queue oldest first, with main's count for the bulk approval", async () => {
    const { store } = world();
    await store.getState().load();
    expect(names(store.getState().visible)).toEqual(['Trainer 1', 'Trainer 2', 'Trainer 3', 'Trainer 4', 'Trainer 5']);
    expect(store.getState().bulkCount).toBe(3);
    expect(store.getState().current()?.businessName).toBe('Trainer 1');
  });

  it('opens on the first review still to decide', async () => {
    const { store, set } = world();
    set([review(1, 0.95, waiting('review.approve')), review(2, 0.97, waiting('review.approve')), review(3, 0.2)]);
    await store.getState().load();
    expect(store.getState().current()?.businessName).toBe('Trainer 3');
  });

  it('moves the cursor with j/k within the list and filters by confidence as a view', async () => {
    const { store } = world();
    await store.getState().load();
    store.getState().move(-1);
    expect(store.getState().cursor).toBe(0);
    store.getState().move(1);
    store.getState().move(1);
    expect(store.getState().current()?.businessName).toBe('Trainer 3');
    store.getState().move(10);
    expect(store.getState().cursor).toBe(4);
    store.getState().setFilter('bulk');
    expect(names(store.getState().visible)).toEqual(['Trainer 1', 'Trainer 2', 'Trainer 4']);
    store.getState().setFilter('belowBulk');
    expect(names(store.getState().visible)).toEqual(['Trainer 3', 'Trainer 5']);
    expect(store.getState().current()?.businessName).toBe('Trainer 5'); // the cursor stays on its review
  });

  it('selects and unselects the review at the cursor', async () => {
    const { store } = world();
    await store.getState().load();
    store.getState().toggleSelect();
    store.getState().move(2);
    store.getState().toggleSelect();
    expect([...store.getState().selected]).toEqual([uuid(1), uuid(3)]);
    store.getState().toggleSelect();
    expect([...store.getState().selected]).toEqual([uuid(1)]);
  });

  it('approves the review at the cursor, marks it from main’s answer without reloading the queue, and moves on to the next undecided one', async () => {
    const { store, fake, count, set } = world();
    set([review(1, 0.95), review(2, 0.97, waiting('review.approve')), review(3, 0.2)]);
    await store.getState().load();
    const loads = count('reviews');
    await store.getState().approve();
    expect(fake.calls.find((c) => c.method === 'decideReview')?.args).toEqual([uuid(1), { kind: 'approve' }]);
    expect(count('reviews')).toBe(loads); // 10,000 rows are not fetched again for one key press
    expect(store.getState().visible[0]?.localDecision?.type).toBe('review.approve');
    expect(store.getState().current()?.businessName).toBe('Trainer 3'); // 2 was already decided
    await expect.poll(() => store.getState().bulkCount).toBe(0); // main's count, asked for after the mark
  });

  it('asks main for the bulk count once a run of decisions pauses, not after every key press', async () => {
    const { store, count } = world();
    await store.getState().load();
    const asked = count('previewBulkApprove');
    await store.getState().approve();
    await store.getState().approve();
    await store.getState().approve();
    expect(count('previewBulkApprove')).toBe(asked);
    await new Promise((r) => setTimeout(r, RECOUNT_AFTER_MS + 50));
    expect(count('previewBulkApprove')).toBe(asked + 1);
    expect(store.getState().bulkCount).toBe(1); // 1, 2 and 3 decided: of those at ≥ 0.90 only 4 is left
  });

  it('rejects the review at the cursor with its reason and note', async () => {
    const { store, fake } = world();
    await store.getState().load();
    store.getState().move(2);
    store.getState().openReject();
    expect(store.getState().dialog).toEqual({ kind: 'reject', reviewIds: [uuid(3)] });
    await store.getState().reject('spam', '  link farm  ');
    expect(fake.calls.find((c) => c.method === 'decideReview')?.args).toEqual([uuid(3), { kind: 'reject', reason: 'spam', note: 'link farm' }]);
    expect(store.getState().dialog).toBeNull();
    expect(store.getState().current()?.businessName).toBe('Trainer 4');
  });

  it('rejects several selected reviews in one call and clears the selection', async () => {
    const { store, fake } = world();
    await store.getState().load();
    store.getState().move(2);
    store.getState().toggleSelect();
    store.getState().move(2);
    store.getState().toggleSelect();
    store.getState().openReject();
    expect(store.getState().dialog).toEqual({ kind: 'reject', reviewIds: [uuid(3), uuid(5)] });
    await store.getState().reject('off_topic', '');
    expect(fake.calls.find((c) => c.method === 'decideReviews')?.args).toEqual([[uuid(3), uuid(5)], { kind: 'reject', reason: 'off_topic' }]);
    expect(store.getState().selected.size).toBe(0);
    expect(
      store
        .getState()
        .visible.filter((r) => r.localDecision)
        .map((r) => r.businessName),
    ).toEqual(['Trainer 3', 'Trainer 5']);
  });

  it('rejects the review at the cursor with one key per reason, no note, and moves on as an approval does', async () => {
    const { store, fake, set } = world();
    set([review(1, 0.95), review(2, 0.97, waiting('review.approve')), review(3, 0.2), review(4, 0.93), review(5, 0.5), review(6, 0.4)]);
    await store.getState().load();
    const seen: string[] = [];
    for (const key of ['s', 'p', 'o', 'n']) {
      seen.push(store.getState().current()!.businessName);
      await store.getState().rejectAs(reasonOfKey(key)!);
    }
    expect(seen).toEqual(['Trainer 1', 'Trainer 3', 'Trainer 4', 'Trainer 5']); // 2 was already decided: skipped, as after `a`
    expect(fake.calls.filter((c) => c.method !== 'reviews' && c.method !== 'policy' && c.method !== 'previewBulkApprove')).toEqual([
      { method: 'decideReview', args: [uuid(1), { kind: 'reject', reason: 'spam' }] },
      { method: 'decideReview', args: [uuid(3), { kind: 'reject', reason: 'profanity' }] },
      { method: 'decideReview', args: [uuid(4), { kind: 'reject', reason: 'off_topic' }] },
      { method: 'decideReview', args: [uuid(5), { kind: 'reject', reason: 'other' }] },
    ]);
    expect(store.getState().current()?.businessName).toBe('Trainer 6');
    expect(store.getState().dialog).toBeNull(); // no dialog on the way
  });

  it('rejects the selected reviews with a reason key in one call, clears the selection and moves on', async () => {
    const { store, fake } = world();
    await store.getState().load();
    store.getState().toggleSelect();
    store.getState().move(2);
    store.getState().toggleSelect();
    await store.getState().rejectAs('spam');
    expect(fake.calls.filter((c) => c.method.startsWith('decide'))).toEqual([
      { method: 'decideReviews', args: [[uuid(1), uuid(3)], { kind: 'reject', reason: 'spam' }] },
    ]);
    expect(store.getState().selected.size).toBe(0);
    expect(store.getState().current()?.businessName).toBe('Trainer 4');
  });

  it('leaves a review with a decision waiting alone when its reason key is pressed, and does nothing while a dialog is open', async () => {
    const { store, fake, notices, set } = world();
    set([review(1, 0.95, waiting('review.approve')), review(2, 0.97)]);
    await store.getState().load();
    store.getState().moveTo(0);
    await store.getState().rejectAs('profanity');
    expect(notices.getState().notices.map((n) => n.message)).toEqual(['This review already has a decision waiting to sync: undo it first to change it.']);
    store.getState().moveTo(1);
    store.getState().openKeys();
    await store.getState().rejectAs('profanity');
    expect(fake.calls.filter((c) => c.method.startsWith('decide'))).toEqual([]);
  });

  it('lists one key per reason in the keys dialog, none taken twice', () => {
    const keys = REVIEW_KEYS.map(([k]) => k);
    expect(keys).toEqual(expect.arrayContaining(['s', 'p', 'o', 'n', 'a', 'r', 'j', 'k', 'x', '?']));
    expect(new Set(keys).size).toBe(keys.length);
    expect(['s', 'p', 'o', 'n'].map(reasonOfKey)).toEqual(['spam', 'profanity', 'off_topic', 'other']);
  });

  it('previews the bulk approval (count and sample) before approving at 0.90', async () => {
    const { store, fake, count } = world();
    await store.getState().load();
    await store.getState().openBulk();
    const dialog = store.getState().dialog;
    expect(dialog?.kind === 'bulk' && { count: dialog.preview.count, sample: names(dialog.preview.sample) }).toEqual({
      count: 3,
      sample: ['Trainer 1', 'Trainer 2', 'Trainer 4'],
    });
    expect(count('bulkApprove')).toBe(0);
    await store.getState().confirmBulk();
    expect(fake.calls.find((c) => c.method === 'bulkApprove')?.args).toEqual([0.9]);
    expect(store.getState().dialog).toBeNull();
    expect(store.getState().bulkCount).toBe(0);
    expect(store.getState().current()?.businessName).toBe('Trainer 3');
  });

  it("words the bulk approval's notice after the outbox: waiting until a sync sends it, then sent and applied", async () => {
    const { store, fake, notices, sync } = world();
    await store.getState().load();
    await store.getState().openBulk();
    await store.getState().confirmBulk();
    const words = () => notices.getState().notices.map((n) => n.message);
    expect(words()).toEqual(['Approved 3 reviews here: they are waiting to sync.']);
    fake.emit('synced', { changed: ['outbox'], report: REPORT }); // another decision went; this one still waits
    await new Promise((r) => setTimeout(r, 20));
    expect(words()).toEqual(['Approved 3 reviews here: they are waiting to sync.']);
    sync.outbox = []; // sent...
    await new Promise((r) => setTimeout(r, 20));
    expect(words()).toEqual(['Approved 3 reviews here: they are waiting to sync.']); // ...but main has not said so yet
    fake.emit('synced', { changed: ['outbox', 'reviews'], report: REPORT });
    await expect.poll(words).toEqual(['Approved 3 reviews: sent, the server applied them.']);
  });

  it("says how many of the bulk approval's reviews the server refused, once a verdict names its command", async () => {
    const { store, fake, notices, sync } = world();
    await store.getState().load();
    await store.getState().openBulk();
    await store.getState().confirmBulk();
    sync.outbox = [];
    sync.verdicts = [verdict(uuid(7000))];
    fake.emit('synced', { changed: ['outbox', 'verdicts'], report: { ...REPORT, applied: 0, rejected: 1 } });
    await expect.poll(() => notices.getState().notices.map((n) => n.message)).toEqual(['Approved 3 reviews: sent; 3 refused — see Sync.']);
  });

  it('undoes a waiting decision by review id', async () => {
    const { store, fake } = world();
    await store.getState().load();
    await store.getState().approve();
    store.getState().moveTo(0);
    await store.getState().undo();
    expect(fake.calls.find((c) => c.method === 'undoReview')?.args).toEqual([uuid(1)]);
    expect(store.getState().visible[0]?.localDecision).toBeNull();
  });

  it("holds the server's bulk line, not one of its own: the count, the filters and the approval follow the policy", async () => {
    const { store, fake } = world({ ...POLICY, bulkApproveMinConfidence: 0.96 });
    await store.getState().load();
    expect(store.getState().bulkLine).toBe(0.96);
    expect(store.getState().bulkCount).toBe(1); // only Trainer 2 (0.97) is at 0.96 or more
    expect(confidenceFilters(0.96).map((f) => f.label)).toEqual(['All confidences', '≥ 0.96 (safe to bulk-approve)', '≥ 0.75', 'Below 0.96 (edge cases)']);
    store.getState().setFilter('bulk');
    expect(names(store.getState().visible)).toEqual(['Trainer 2']);
    await store.getState().openBulk();
    await store.getState().confirmBulk();
    expect(fake.calls.filter((c) => c.method === 'previewBulkApprove').map((c) => c.args)).toEqual([[0.96], [0.96], [0.96]]);
    expect(fake.calls.find((c) => c.method === 'bulkApprove')?.args).toEqual([0.96]);
    expect(fake.calls.filter((c) => c.method === 'policy')).toHaveLength(1); // asked once, then held
  });

  it('follows the line when a sync brings a new policy: the count and the filter move, the list is not read again', async () => {
    const { store, fake, policyStore, count } = world();
    await store.getState().load();
    store.getState().setFilter('bulk');
    expect(names(store.getState().visible)).toEqual(['Trainer 1', 'Trainer 2', 'Trainer 4']);
    fake.handlers.policy = () => ({ ...POLICY, bulkApproveMinConfidence: 0.96 });
    await policyStore.getState().load();
    expect(store.getState().bulkLine).toBe(0.96);
    expect(names(store.getState().visible)).toEqual(['Trainer 2']);
    await expect.poll(() => store.getState().bulkCount).toBe(1);
    expect(count('reviews')).toBe(1);
  });

  it("shows a failed call's message as main wrote it and keeps the dialog open", async () => {
    const { store, fake, notices } = world();
    await store.getState().load();
    fake.handlers.decideReview = () => {
      throw new ConsoleError('not_found', 'review 1 is not in the local cache; sync, then try again');
    };
    store.getState().openReject();
    await store.getState().reject('spam', '');
    expect(notices.getState().notices.map((n) => [n.tone, n.message])).toEqual([['error', 'review 1 is not in the local cache; sync, then try again']]);
    expect(store.getState().dialog?.kind).toBe('reject');
  });
});

describe('how the queue words a review', () => {
  it('never rounds a confidence across the bulk line, and shows empty stars', async () => {
    const { confidenceText, stars } = await import('./describe.ts');
    expect([confidenceText(0.899), confidenceText(0.9), confidenceText(0.95), confidenceText(null)]).toEqual(['0.899', '0.90', '0.95', 'no score']);
    expect(stars(2)).toBe('★★☆☆☆');
  });

  it("words a bulk approval's notice from where its reviews are, never saying they wait once none does", async () => {
    const { bulkApprovedWords } = await import('./describe.ts');
    const t = { waiting: 0, applied: 0, refused: 0, failed: 0, takenBack: 0 };
    expect(bulkApprovedWords(40, { ...t, applied: 40 })).toBe('Approved 40 reviews: sent, the server applied them.');
    expect(bulkApprovedWords(40, { ...t, refused: 40 })).toBe('Approved 40 reviews: sent; 40 refused — see Sync.');
    expect(bulkApprovedWords(700, { ...t, applied: 500, waiting: 200 })).toBe('Approved 700 reviews: 500 sent; 200 still waiting to sync.');
    expect(bulkApprovedWords(40, { ...t, failed: 40 })).toBe('Approved 40 reviews: 40 could not be sent — see Sync.');
    expect(bulkApprovedWords(1, { ...t, takenBack: 1 })).toBe('Approved 1 review here, then took it back: none was sent.');
  });
});
