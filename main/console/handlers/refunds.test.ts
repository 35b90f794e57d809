// Refund requests (spec 2.2): the server states the policy on each request,
// and the console holds the operator to it both ways at once (the server
// would refuse the same a week later, as a verdict), queueing nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approveRefund, denyRefund } from '../../../shared/commands/refunds.ts';
import { createWorld, failureOf, refund, type World } from '../testing/world.ts';

let w: World;
beforeEach(() => {
  w = createWorld();
});
afterEach(() => w.close());

const INSIDE = 'Requested 24 h 0 min 0 s after purchase, inside the 72 h refund window: the policy is to refund it, so it can only be approved.';
const OUTSIDE = 'Requested 72 h 0 min 1 s after purchase; the refund window is 72 h, so it can only be denied.';

describe('the refund policy', () => {
  it('refuses to approve a request outside the window, in its policy sentence, and queues nothing', async () => {
    const late = refund({ eligible: false, hoursAfterPurchase: 72.0003, policy: OUTSIDE });
    await w.load({ refunds: [late] });
    expect(await failureOf(() => w.api.decideRefund(late.id, { kind: 'approve' }))).toEqual({ kind: 'refused', message: OUTSIDE });
    expect(await w.api.outbox()).toEqual([]);

    const commandId = await w.api.decideRefund(late.id, { kind: 'deny', note: 'Outside the window' });
    expect(await w.api.outbox()).toEqual([
      expect.objectContaining({
        commandId,
        type: denyRefund.type,
        label: 'Deny refund for Sit Stay',
        payload: expect.objectContaining({ note: 'Outside the window' }),
      }),
    ]);
    expect((await w.api.refunds())[0]!.localDecision).toMatchObject({ commandId, words: 'denied' });
  });

  it('refuses to deny a request inside the window, and approves it at the version the operator saw', async () => {
    const early = refund({ version: 4, policy: INSIDE });
    await w.load({ refunds: [early] });
    expect(await failureOf(() => w.api.decideRefund(early.id, { kind: 'deny' }))).toEqual({ kind: 'refused', message: INSIDE });
    expect(await w.api.outbox()).toEqual([]);

    const commandId = await w.api.decideRefund(early.id, { kind: 'approve' });
    expect((await w.api.refunds())[0]!.localDecision).toMatchObject({ commandId, words: 'approved' });
    await w.api.syncNow();
    expect(w.server.received).toEqual([
      expect.objectContaining({
        id: commandId,
        type: approveRefund.type,
        baseVersion: 4,
        payload: { refundRequestId: early.id, businessId: early.businessId },
      }),
    ]);
    expect(await w.api.refunds({ status: 'all' })).toEqual([expect.objectContaining({ id: early.id, status: 'approved', localDecision: null })]);
  });

  it('says a request not in the cache is not found', async () => {
    await w.load({ refunds: [refund()] });
    expect(await failureOf(() => w.api.decideRefund(refund().id, { kind: 'approve' }))).toMatchObject({ kind: 'not_found' });
  });
});

describe('the refund list', () => {
  it('lists pending requests in purchase order; all of them on asking', async () => {
    const second = refund({ paidAt: '2026-11-19T12:00:00.000Z' });
    const first = refund({ paidAt: '2026-11-19T08:00:00.000Z' });
    const done = refund({ status: 'denied', decidedByName: 'Robin Second' });
    await w.load({ refunds: [second, done, first] });
    expect((await w.api.refunds()).map((r) => r.id)).toEqual([first.id, second.id]);
    expect((await w.api.refunds({ status: 'all' })).map((r) => r.id).sort()).toEqual([first.id, second.id, done.id].sort());
  });
});
