// The review queue's store against an in-memory API: what the operator sees
// move when they press keys and decide, and what it asks main to do.
import { describe, expect, it } from 'vitest';
import { ConsoleError, type LocalDecision, type ReviewDecision, type ReviewView } from '../../../shared/ipc/contract.ts';
import type { OperatorPolicy } from '../../../shared/api/operator.ts';
import { createPolicyStore } from '../app/policy.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createNoticesStore } from '../ui/notices.ts';
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

/** A fake main holding reviews 1..5 (3 and 5 below 0.90, the server's line), oldest first, that records decisions as main would. */
function world(policy: OperatorPolicy = POLICY) {
  let reviews = [review(1, 0.95), review(2, 0.97), review(3, 0.2), review(4, 0.93), review(5, 0.5)];
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
      return { commandIds: [uuid(7000)], count: ids.length };
    },
    undoReview: (id) => {
      reviews = reviews.map((r) => (r.id === id ? { ...r, localDecision: null } : r));
      return reviews.find((r) => r.id === id)!;
    },
    policy: () => policy,
  });
  const notices = createNoticesStore();
  const policyStore = createPolicyStore(fake.api, notices);
  const store = createReviewsStore(fake.api, notices, policyStore);
  return {
    fake,
    notices,
    store,
    policyStore,
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
});
