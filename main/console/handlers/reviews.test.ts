// The review queue (spec 2.1) as the operator works it: a decision marks its
// row at once and waits to sync, deciding again changes that decision rather
// than queueing a second, and the bulk approval publishes exactly the
// undecided pending reviews at or above the line, in commands the server
// accepts (at most 500 reviews each).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approveReview, BULK_MAX_REVIEWS, bulkApproveReviews, rejectReview } from '../../../shared/commands/reviews.ts';
import { createWorld, failureOf, review, type World } from '../testing/world.ts';

let w: World;
beforeEach(() => {
  w = createWorld();
});
afterEach(() => w.close());

const minutesAfter = (m: number) => new Date(Date.parse('2026-11-20T10:00:00.000Z') + m * 60_000).toISOString();

describe('deciding a review', () => {
  it('marks the row with its waiting decision, in words', async () => {
    const [kind, spam] = [review(), review()];
    await w.load({ reviews: [kind, spam] });

    const approved = await w.api.decideReview(kind.id, { kind: 'approve' });
    expect(approved).toMatchObject({ id: kind.id, status: 'pending', localDecision: { type: approveReview.type, state: 'pending', words: 'approve' } });
    await w.api.decideReview(spam.id, { kind: 'reject', reason: 'spam' });
    expect((await w.api.reviews()).map((r) => [r.id, r.localDecision?.words])).toEqual([
      [kind.id, 'approve'],
      [spam.id, 'reject: Spam'],
    ]);
  });

  it('deciding again changes the waiting command instead of queueing another', async () => {
    const paws = review({ version: 3 });
    await w.load({ reviews: [paws] });
    const first = (await w.api.decideReview(paws.id, { kind: 'approve' })).localDecision!;
    const second = (await w.api.decideReview(paws.id, { kind: 'reject', reason: 'profanity' })).localDecision!;

    expect(second).toMatchObject({ commandId: first.commandId, type: rejectReview.type, words: 'reject: Profanity' });
    expect(await w.api.outbox()).toHaveLength(1);
    await w.api.syncNow();
    expect(w.server.received.map((c) => [c.id, c.type, c.baseVersion])).toEqual([[first.commandId, rejectReview.type, 3]]); // at the version the operator saw
  });

  it('decides several selected reviews with one command each, or none of them when one cannot be decided', async () => {
    const [a, b, c] = [review(), review(), review()];
    const taken = review({ status: 'approved', moderatedByName: 'Robin Second', version: 2 });
    await w.load({ reviews: [a, b, c, taken] });

    const none = await failureOf(() => w.api.decideReviews([a.id, taken.id], { kind: 'approve' }));
    expect(none).toEqual({ kind: 'refused', message: 'this review is already approved by Robin Second; there is nothing to decide' });
    expect(await w.api.outbox()).toEqual([]);

    const views = await w.api.decideReviews([a.id, b.id, c.id], { kind: 'reject', reason: 'off_topic' });
    expect(views.map((v) => v.localDecision?.words)).toEqual(['reject: Off-topic', 'reject: Off-topic', 'reject: Off-topic']);
    expect(new Set((await w.api.outbox()).map((e) => e.commandId)).size).toBe(3);
  });

  it('says a review not in the cache is not found, and queues nothing', async () => {
    await w.load({ reviews: [review()] });
    const missing = review();
    expect(await failureOf(() => w.api.decideReview(missing.id, { kind: 'approve' }))).toEqual({
      kind: 'not_found',
      message: `review ${missing.id} is not in the local cache; sync, then try again`,
    });
    expect(await w.api.outbox()).toEqual([]);
  });
});

describe('the bulk approval', () => {
  it('previews only the undecided pending reviews at or above the line, oldest first', async () => {
    const atLine = review({ aiConfidence: 0.9, createdAt: minutesAfter(2) });
    const above = review({ aiConfidence: 0.97, createdAt: minutesAfter(1) });
    const below = review({ aiConfidence: 0.89 });
    const unscored = review({ aiConfidence: null });
    const decidedHere = review({ aiConfidence: 0.99 });
    const decidedThere = review({ aiConfidence: 0.99, status: 'approved', version: 2 });
    await w.load({ reviews: [atLine, above, below, unscored, decidedHere, decidedThere] });
    await w.api.decideReview(decidedHere.id, { kind: 'reject', reason: 'spam' });

    const preview = await w.api.previewBulkApprove(0.9);
    expect(preview).toMatchObject({ count: 2, minConfidence: 0.9 });
    expect(preview.sample.map((r) => [r.id, r.localDecision])).toEqual([
      [above.id, null],
      [atLine.id, null],
    ]);
    expect((await w.api.previewBulkApprove(0.95)).count).toBe(1);
  });

  it('queues what it previewed, in commands of at most 500 reviews, each at the version the operator saw', async () => {
    const many = Array.from({ length: 2 * BULK_MAX_REVIEWS + 201 }, (_, i) => review({ version: 2 + (i % 3), createdAt: minutesAfter(i) }));
    await w.load({ reviews: [...many, review({ aiConfidence: 0.5 })] });
    expect((await w.api.previewBulkApprove(0.9)).count).toBe(1201);

    const { commandIds, count } = await w.api.bulkApprove(0.9);
    expect(count).toBe(1201);
    const outbox = await w.api.outbox();
    expect(outbox.map((e) => [e.commandId, e.type, (e.payload.reviews as unknown[]).length])).toEqual([
      [commandIds[0], bulkApproveReviews.type, 500],
      [commandIds[1], bulkApproveReviews.type, 500],
      [commandIds[2], bulkApproveReviews.type, 201],
    ]);
    expect((outbox[2]!.payload.reviews as { reviewId: string; baseVersion: number }[]).at(-1)).toEqual({
      reviewId: many[1200]!.id,
      businessId: many[1200]!.businessId,
      baseVersion: many[1200]!.version,
    });
    expect((await w.api.previewBulkApprove(0.9)).count).toBe(0);
    expect((await w.api.previewUpload()).summary).toBe('1201 approvals');

    expect(await w.api.syncNow()).toMatchObject({ pushed: 3, applied: 3 });
    expect((await w.api.reviews()).map((r) => r.aiConfidence)).toEqual([0.5]);
  });
});

describe('a review in a waiting bulk approval', () => {
  it('decided anew leaves the bulk approval, so the server applies only the new decision', async () => {
    const [a, b] = [review({ aiConfidence: 0.95 }), review({ aiConfidence: 0.97 })];
    await w.load({ reviews: [a, b] });
    await w.api.bulkApprove(0.9);
    await w.api.decideReview(a.id, { kind: 'reject', reason: 'spam' });

    expect((await w.api.previewUpload()).summary).toBe('1 approval, 1 rejection');
    await w.api.syncNow();
    const sent = w.server.received.map((c) => [
      c.type,
      c.type === bulkApproveReviews.type ? (c.payload.reviews as { reviewId: string }[]).map((r) => r.reviewId) : c.payload.reviewId,
    ]);
    expect(sent).toEqual([
      [bulkApproveReviews.type, [b.id]],
      [rejectReview.type, a.id],
    ]);
    expect(await w.api.verdicts()).toEqual([]);
  });
});
