// "Apply the refund policy to the N requests" (issue 21, spec 2.2): the
// preview says what the policy decides for each pending request (approve
// inside the window, deny outside, as the server states it) and the email it
// sends, and what it leaves out (frozen by a legal escalation, decided here);
// applying queues one command per request at the outcome the operator saw,
// all or nothing, each undoable until sent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approveRefund, denyRefund } from '../../../shared/commands/refunds.ts';
import { METHODS } from '../../../shared/ipc/methods.ts';
import { createWorld, escalation, failureOf, id, refund, type World } from '../testing/world.ts';

let w: World;
beforeEach(() => {
  w = createWorld();
});
afterEach(() => w.close());

const INSIDE = 'Requested 24 h 0 min 0 s after purchase, inside the 72 h refund window: the policy is to refund it, so it can only be approved.';
const OUTSIDE = 'Requested 72 h 0 min 1 s after purchase; the refund window is 72 h, so it can only be denied.';
const APPROVED = { template: 'refund_approved', subject: 'Your refund of $22.00 is on its way', body: 'Hi Jo,\n\nWe refunded <b>$22.00</b>.' };
const DENIED = { template: 'refund_denied', subject: 'About your refund request', body: 'Hi Sam,\n\nThe refund window is 72 h.' };

// Three businesses of their own (no freeze), one bought before the other: the preview lists them in purchase order.
const early = () =>
  refund({ businessId: id(), businessName: 'Sit Stay', amountCents: 2200, version: 4, policy: INSIDE, email: APPROVED, paidAt: '2026-11-19T08:00:00.000Z' });
const late = () =>
  refund({
    businessId: id(),
    businessName: 'Good Dog',
    amountCents: 4900,
    version: 2,
    eligible: false,
    hoursAfterPurchase: 72.0003,
    policy: OUTSIDE,
    email: DENIED,
    paidAt: '2026-11-19T09:00:00.000Z',
  });

describe('previewRefundPolicy', () => {
  it("lists each pending request's outcome and email, and leaves out the frozen and the already decided", async () => {
    const a = early();
    const d = late();
    const decided = refund({ businessId: id(), businessName: 'Walkies', paidAt: '2026-11-19T10:00:00.000Z' });
    // The world's default business is the legal escalation's: frozen.
    const frozen = refund({ businessName: 'Paws & Co', amountCents: 3300, paidAt: '2026-11-19T07:00:00.000Z' });
    const legal = escalation();
    await w.load({ refunds: [decided, d, frozen, a], escalations: [legal] });
    const waiting = await w.api.decideRefund(decided.id, { kind: 'approve' });

    const preview = await w.api.previewRefundPolicy();
    expect(preview.decide).toEqual([
      {
        refundId: a.id,
        businessId: a.businessId,
        businessName: 'Sit Stay',
        amountCents: 2200,
        outcome: 'approve',
        policy: INSIDE,
        email: APPROVED,
      },
      {
        refundId: d.id,
        businessId: d.businessId,
        businessName: 'Good Dog',
        amountCents: 4900,
        outcome: 'deny',
        policy: OUTSIDE,
        email: DENIED,
      },
    ]);
    expect(preview).toMatchObject({ count: 2, approvals: 1, denials: 1, approvedCents: 2200 });
    expect(preview.leftOut).toEqual([
      expect.objectContaining({
        refundId: frozen.id,
        businessName: 'Paws & Co',
        outcome: 'approve',
        why: 'frozen',
        reason: `Frozen by the legal escalation "${legal.subject}": refund decisions for Paws & Co wait for legal guidance. Close the escalation to lift the freeze.`,
        freeze: expect.objectContaining({ escalationId: legal.id, subject: legal.subject }),
        localDecision: null,
      }),
      expect.objectContaining({
        refundId: decided.id,
        why: 'decided',
        reason: expect.stringContaining('Already approved here, waiting to sync'),
        localDecision: expect.objectContaining({ commandId: waiting, words: 'approved' }),
      }),
    ]);
    // Reading the preview queues nothing.
    expect((await w.api.outbox()).map((e) => e.commandId)).toEqual([waiting]);
  });

  it('is empty when nothing is pending', async () => {
    await w.load({ refunds: [refund({ status: 'approved', decidedByName: 'Robin Second' })] });
    expect(await w.api.previewRefundPolicy()).toEqual({ count: 0, approvals: 0, denials: 0, approvedCents: 0, decide: [], leftOut: [] });
  });
});

describe('applyRefundPolicy', () => {
  it('queues exactly one command per request, at its version, with the policy outcome, and the server gets them on sync', async () => {
    const a = early();
    const d = late();
    await w.load({ refunds: [a, d] });
    const preview = await w.api.previewRefundPolicy();
    const ids = await w.api.applyRefundPolicy(preview.decide.map((o) => ({ id: o.refundId, outcome: o.outcome })));
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);

    expect(await w.api.outbox()).toEqual([
      expect.objectContaining({ commandId: ids[0], type: approveRefund.type, subjectId: a.id, label: 'Approve refund for Sit Stay ($22.00)' }),
      expect.objectContaining({ commandId: ids[1], type: denyRefund.type, subjectId: d.id, label: 'Deny refund for Good Dog' }),
    ]);
    const cards = await w.api.refunds();
    expect(cards.map((r) => [r.id, r.localDecision?.commandId, r.localDecision?.words])).toEqual([
      [a.id, ids[0], 'approved'],
      [d.id, ids[1], 'denied'],
    ]);
    // Nothing left for the policy; both listed as decided here.
    expect(await w.api.previewRefundPolicy()).toMatchObject({ count: 0, leftOut: [{ why: 'decided' }, { why: 'decided' }] });

    await w.api.syncNow();
    expect(w.server.received).toEqual([
      expect.objectContaining({
        id: ids[0],
        type: approveRefund.type,
        baseVersion: 4,
        payload: { refundRequestId: a.id, businessId: a.businessId },
      }),
      expect.objectContaining({
        id: ids[1],
        type: denyRefund.type,
        baseVersion: 2,
        payload: { refundRequestId: d.id, businessId: d.businessId },
      }),
    ]);
    expect(await w.api.refunds()).toEqual([]);
  });

  it('refuses them all, queueing nothing, when one outcome changed since the preview', async () => {
    const a = early();
    const d = late();
    await w.load({ refunds: [a, d] });
    const seen = (await w.api.previewRefundPolicy()).decide.map((o) => ({ id: o.refundId, outcome: o.outcome }));
    // The server now judges the first one outside the window (its next pull says so).
    await w.load({ refunds: [{ ...a, eligible: false, policy: OUTSIDE, email: DENIED, version: 5 }, d] });

    const failure = await failureOf(() => w.api.applyRefundPolicy(seen));
    expect(failure.kind).toBe('refused');
    expect(failure.message).toContain('Nothing was decided');
    expect(failure.message).toContain(`Sit Stay ($22.00) is now to be denied, not approved: ${OUTSIDE}`);
    expect(failure.message).not.toContain('Good Dog');
    expect(await w.api.outbox()).toEqual([]);
    expect((await w.api.refunds()).map((r) => r.localDecision)).toEqual([null, null]);
  });

  it('refuses them all when one business came under a legal freeze since the preview', async () => {
    const a = early();
    const frozen = refund({ businessName: 'Paws & Co', paidAt: '2026-11-19T11:00:00.000Z' });
    await w.load({ refunds: [a, frozen] });
    const seen = (await w.api.previewRefundPolicy()).decide.map((o) => ({ id: o.refundId, outcome: o.outcome }));
    expect(seen).toHaveLength(2);
    const legal = escalation();
    await w.load({ escalations: [legal] });

    const failure = await failureOf(() => w.api.applyRefundPolicy(seen));
    expect(failure.kind).toBe('refused');
    expect(failure.message).toContain(`Frozen by the legal escalation "${legal.subject}"`);
    expect(await w.api.outbox()).toEqual([]);
  });

  it('refuses one already decided here, one no longer pending, one listed twice and one not cached, queueing nothing', async () => {
    const a = early();
    const d = late();
    const gone = refund({ businessId: id(), businessName: 'Walkies', paidAt: '2026-11-19T10:00:00.000Z' });
    // Another operator approved one since (the pull says so); then one is denied here (a sync would send it).
    await w.load({ refunds: [a, d, { ...gone, status: 'approved', decidedByName: 'Robin Second', version: 2 }] });
    const waiting = await w.api.decideRefund(d.id, { kind: 'deny' });

    const decidedHere = await failureOf(() =>
      w.api.applyRefundPolicy([
        { id: a.id, outcome: 'approve' },
        { id: d.id, outcome: 'deny' },
      ]),
    );
    expect(decidedHere).toEqual({ kind: 'refused', message: expect.stringContaining('Good Dog ($49.00) already has a decision waiting to sync here.') });
    const notPending = await failureOf(() => w.api.applyRefundPolicy([{ id: gone.id, outcome: 'approve' }]));
    expect(notPending.message).toContain('Walkies ($22.00) is already approved by Robin Second.');
    const twice = await failureOf(() =>
      w.api.applyRefundPolicy([
        { id: a.id, outcome: 'approve' },
        { id: a.id, outcome: 'approve' },
      ]),
    );
    expect(twice.message).toContain('Sit Stay ($22.00) is listed twice.');
    const missing = id();
    expect((await failureOf(() => w.api.applyRefundPolicy([{ id: missing, outcome: 'deny' }]))).message).toContain(
      `Refund request ${missing} is no longer in the local cache.`,
    );
    expect((await w.api.outbox()).map((e) => e.commandId)).toEqual([waiting]);
  });

  it("undoing one leaves the others queued; the undone one is the policy's to decide again", async () => {
    const a = early();
    const d = late();
    const c = refund({ businessId: id(), businessName: 'Walkies', amountCents: 1500, paidAt: '2026-11-19T10:00:00.000Z' });
    await w.load({ refunds: [a, d, c] });
    const preview = await w.api.previewRefundPolicy();
    const ids = await w.api.applyRefundPolicy(preview.decide.map((o) => ({ id: o.refundId, outcome: o.outcome })));
    expect(ids).toHaveLength(3);

    await w.api.cancelCommand(ids[1]!);
    expect((await w.api.outbox()).map((e) => e.commandId)).toEqual([ids[0], ids[2]]);
    expect((await w.api.refunds()).map((r) => r.localDecision?.commandId ?? null)).toEqual([ids[0], null, ids[2]]);
    expect((await w.api.previewRefundPolicy()).decide).toEqual([expect.objectContaining({ refundId: d.id, outcome: 'deny' })]);

    await w.api.syncNow();
    expect(w.server.received.map((r) => r.id)).toEqual([ids[0], ids[2]]);
  });
});

describe('the contract', () => {
  it('takes a non-empty list of { id, outcome }, nothing else; and the preview takes no arguments', () => {
    const args = METHODS.applyRefundPolicy.args;
    expect(args.safeParse([[{ id: id(), outcome: 'approve' }]]).success).toBe(true);
    expect(args.safeParse([[]]).success).toBe(false);
    expect(args.safeParse([[{ id: 'not-an-id', outcome: 'approve' }]]).success).toBe(false);
    expect(args.safeParse([[{ id: id(), outcome: 'refund' }]]).success).toBe(false);
    expect(args.safeParse([[{ id: id(), outcome: 'deny', note: 'extra' }]]).success).toBe(false);
    expect(METHODS.previewRefundPolicy.args.safeParse([]).success).toBe(true);
  });
});
