// The outbox as the operator reads it before an upload: each waiting command
// in words, the one-line preview of what the upload will do, taking one
// review back (even out of a bulk approval), changing a decision, the verdict
// inbox, and the status line told at once when a call moved the outbox.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bulkApproveReviews, rejectReview } from '../../../shared/commands/reviews.ts';
import type { ConsoleEvent } from '../../../shared/ipc/contract.ts';
import { openConsole } from '../open.ts';
import { createFakeOperatorServer, createWorld, failureOf, refund, review, type World } from '../testing/world.ts';

let w: World;
beforeEach(() => {
  w = createWorld();
});
afterEach(() => w.close());

describe('the outbox in words', () => {
  it('labels each waiting command and carries its review decision (none for a refund)', async () => {
    const paws = review();
    const quiet = review({ businessName: 'Quiet Dogs' });
    const sitStay = refund();
    await w.load({ reviews: [paws, quiet], refunds: [sitStay] });
    await w.api.decideReview(paws.id, { kind: 'approve' });
    await w.api.decideReview(quiet.id, { kind: 'reject', reason: 'spam', note: 'links to a shop' });
    await w.api.decideRefund(sitStay.id, { kind: 'approve' });

    expect((await w.api.outbox()).map((e) => [e.label, e.reviewDecision, e.subjectId])).toEqual([
      ['Approve review of Paws & Co', { kind: 'approve' }, paws.id],
      ['Reject review of Quiet Dogs (Spam)', { kind: 'reject', reason: 'spam', note: 'links to a shop' }, quiet.id],
      ['Approve refund for Sit Stay ($22.00)', null, sitStay.id],
    ]);
  });
});

describe('the upload preview', () => {
  it('sums approvals, rejections and refunds with their total; a bulk approval counts each of its reviews', async () => {
    expect((await w.api.previewUpload()).summary).toBe('nothing to upload');
    const [a, b, c] = [review({ aiConfidence: 0.5 }), review({ aiConfidence: 0.5 }), review({ aiConfidence: 0.5 })];
    const sure = [review({ aiConfidence: 0.99 }), review({ aiConfidence: 0.99 }), review({ aiConfidence: 0.99 })];
    const sitStay = refund();
    const late = refund({ eligible: false, amountCents: 9900, policy: 'Requested after the window: it can only be denied.' });
    await w.load({ reviews: [a, b, c, ...sure], refunds: [sitStay, late] });

    await w.api.decideReview(a.id, { kind: 'approve' });
    await w.api.decideReview(b.id, { kind: 'reject', reason: 'spam' });
    await w.api.decideReview(c.id, { kind: 'reject', reason: 'profanity' });
    await w.api.decideRefund(sitStay.id, { kind: 'approve' });
    expect((await w.api.previewUpload()).summary).toBe('1 approval, 2 rejections, 1 refund totalling $22.00');

    await w.api.bulkApprove(0.9);
    await w.api.decideRefund(late.id, { kind: 'deny' });
    expect(await w.api.previewUpload()).toMatchObject({
      reviewApprovals: 4,
      reviewRejections: 2,
      refundApprovals: 1,
      refundDenials: 1,
      refundTotalCents: 2200,
      dead: 0,
      summary: '4 approvals, 2 rejections, 1 refund totalling $22.00, 1 refund denial',
    });
  });

  it('mentions a command held in the dead-letter lane, until it is retried', async () => {
    const paws = review();
    await w.load({ reviews: [paws] });
    const broken = await w.api.writeIncident({ title: 'Clock skew', severity: 'YELLOW', kind: 'other', startedAt: '2026-11-20T10:00:00Z' });
    w.server.judge = () => ({ status: 'error', reason: 'incidents_resolved_after_start' });
    for (let i = 0; i < 5; i++) {
      await w.api.syncNow();
      w.time.now += 2_000; // past the back-off
    }
    expect(await w.api.outbox()).toEqual([expect.objectContaining({ commandId: broken, state: 'dead', attempts: 5 })]);
    await w.api.decideReview(paws.id, { kind: 'approve' });
    expect(await w.api.previewUpload()).toMatchObject({ dead: 1, summary: '1 approval (1 command held in the dead-letter lane)' });
    expect((await w.api.verdicts()).map((v) => [v.kind, v.label])).toEqual([['dead_letter', 'Write incident report "Clock skew"']]);

    await w.api.retryCommand(broken);
    expect((await w.api.previewUpload()).summary).toBe('1 approval, 1 other action');
    expect(await w.api.verdicts()).toEqual([]);
  });

  it('takes the dead-letter verdict away with its command when the command is cancelled', async () => {
    const paws = review();
    await w.load({ reviews: [paws] });
    const broken = await w.api.writeIncident({ title: 'Clock skew', severity: 'YELLOW', kind: 'other', startedAt: '2026-11-20T10:00:00Z' });
    w.server.judge = () => ({ status: 'error', reason: 'database timeout' });
    for (let i = 0; i < 5; i++) {
      await w.api.syncNow();
      w.time.now += 2_000; // past the back-off
    }
    expect((await w.api.verdicts()).map((v) => v.kind)).toEqual(['dead_letter']);
    await w.api.cancelCommand(broken);
    expect(await w.api.verdicts()).toEqual([]);
    expect((await w.api.status()).verdicts).toBe(0);
  });
});

describe('taking a review decision back', () => {
  it('takes one review out of a bulk approval; the rest stay queued and are what the server receives', async () => {
    const [a, b, c] = [review(), review(), review()];
    await w.load({ reviews: [a, b, c] });
    await w.api.bulkApprove(0.9);

    const back = await w.api.undoReview(b.id);
    expect(back).toMatchObject({ id: b.id, status: 'pending', localDecision: null });
    expect((await w.api.reviews()).map((r) => [r.id, r.localDecision?.words ?? null])).toEqual([
      [a.id, 'approve (bulk)'],
      [b.id, null],
      [c.id, 'approve (bulk)'],
    ]);
    expect((await w.api.outbox()).map((e) => e.label)).toEqual(['Approve 2 reviews in one bulk approval']);
    expect((await w.api.previewUpload()).summary).toBe('2 approvals');

    await w.api.syncNow();
    expect(w.server.received.map((cmd) => [cmd.type, (cmd.payload.reviews as { reviewId: string }[]).map((r) => r.reviewId)])).toEqual([
      [bulkApproveReviews.type, [a.id, c.id]],
    ]);
    expect((await w.api.reviews()).map((r) => r.id)).toEqual([b.id]);
  });

  it('cancels a bulk approval once its last review is taken out, and a single decision outright', async () => {
    const [a, b, single] = [review({ aiConfidence: 0.99 }), review({ aiConfidence: 0.99 }), review({ aiConfidence: 0.5 })];
    await w.load({ reviews: [a, b, single] });
    await w.api.bulkApprove(0.9);
    await w.api.decideReview(single.id, { kind: 'reject', reason: 'spam' });
    await w.api.undoReview(a.id);
    await w.api.undoReview(b.id);
    await w.api.undoReview(single.id);
    expect(await w.api.outbox()).toEqual([]);
    expect(await failureOf(() => w.api.undoReview(a.id))).toEqual({ kind: 'not_found', message: 'this review has no decision waiting to sync' });
  });
});

describe('changing a waiting decision', () => {
  it('turns an approval into a rejection in place, sent at the version the operator saw', async () => {
    const paws = review({ version: 3 });
    await w.load({ reviews: [paws] });
    const commandId = (await w.api.decideReview(paws.id, { kind: 'approve' })).localDecision!.commandId;

    await w.api.changeReviewDecision(commandId, { kind: 'reject', reason: 'off_topic', note: 'about a cafe' });
    expect(await w.api.outbox()).toEqual([
      expect.objectContaining({
        commandId,
        label: 'Reject review of Paws & Co (Off-topic)',
        reviewDecision: { kind: 'reject', reason: 'off_topic', note: 'about a cafe' },
      }),
    ]);
    expect((await w.api.reviews())[0]!.localDecision).toMatchObject({ commandId, words: 'reject: Off-topic' });

    await w.api.syncNow();
    expect(w.server.received).toEqual([expect.objectContaining({ id: commandId, type: rejectReview.type, baseVersion: 3 })]);
  });

  it('refuses to change a command that is not a review decision', async () => {
    const sitStay = refund();
    await w.load({ refunds: [sitStay] });
    const commandId = await w.api.decideRefund(sitStay.id, { kind: 'approve' });
    expect(await failureOf(() => w.api.changeReviewDecision(commandId, { kind: 'approve' }))).toEqual({
      kind: 'not_found',
      message: `command ${commandId} is not a waiting review decision`,
    });
    expect((await w.api.outbox()).map((e) => e.label)).toEqual(['Approve refund for Sit Stay ($22.00)']);
  });
});

describe('the verdict inbox', () => {
  it('shows a refused command in words with the server reason and who decided first, until dismissed', async () => {
    const paws = review();
    await w.load({ reviews: [paws] });
    const decidedBy = { id: null, name: 'Robin Second', at: '2026-11-26T23:00:00.000Z' };
    w.server.judge = () => ({ status: 'rejected', kind: 'stale', reason: 'This review was already approved by Robin Second', decidedBy });
    const commandId = (await w.api.decideReview(paws.id, { kind: 'reject', reason: 'spam' })).localDecision!.commandId;

    expect(await w.api.syncNow()).toMatchObject({ pushed: 1, rejected: 1 });
    expect(await w.api.verdicts()).toEqual([
      expect.objectContaining({
        commandId,
        label: 'Reject review of Paws & Co (Spam)',
        kind: 'stale',
        reason: 'This review was already approved by Robin Second',
        decidedBy,
      }),
    ]);
    expect(await w.api.outbox()).toEqual([]);
    expect(await w.api.dismissVerdict(commandId)).toBe(true);
    expect(await w.api.verdicts()).toEqual([]);
  });
});

describe('the status line', () => {
  it('is told once when a decision moves the outbox, and not at all by a read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtd-status-'));
    const server = createFakeOperatorServer();
    const paws = review();
    server.rows.reviews.push(paws);
    const c = openConsole({ dbPath: join(dir, 'console.sqlite'), apiUrl: 'http://operator.test', transport: server });
    try {
      await c.api.syncNow();
      const heard: ConsoleEvent[] = [];
      c.onEvent((e) => heard.push(e));

      await c.api.reviews();
      await c.api.previewUpload();
      expect(heard).toEqual([]);

      await c.api.decideReview(paws.id, { kind: 'approve' });
      expect(heard).toEqual([{ event: 'status', payload: expect.objectContaining({ pending: 1 }) }]);
    } finally {
      await c.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
