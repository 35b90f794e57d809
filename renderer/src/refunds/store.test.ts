import { describe, expect, it } from 'vitest';
import type { RefundPolicyPreview, RefundView } from '../../../shared/ipc/contract.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createNoticesStore } from '../ui/notices.ts';
import { createRefundsStore, policyCount } from './store.ts';

const refund = (over: Partial<RefundView> = {}): RefundView => ({
  id: '00000000-0000-4000-8000-000000000001',
  paymentId: 'p1',
  businessId: 'b1',
  businessName: 'Paws & Co',
  ownerEmail: 'o@example.com',
  requestedAt: '2026-12-01T00:00:00Z',
  reason: 'Changed my mind',
  status: 'pending',
  amountCents: 2200,
  paidAt: '2026-11-30T00:00:00Z',
  eligible: true,
  eligibleUntil: '2026-12-03T00:00:00Z',
  hoursAfterPurchase: 24,
  windowHours: 72,
  policy: 'Requested 24 h 0 min 0 s after purchase, inside the 72 h refund window: the policy is to refund it, so it can only be approved.',
  email: { template: 'refund_approved', subject: 'Your refund has been processed', body: 'Look for it in 3–5 business days.' },
  decidedBy: null,
  decidedByName: null,
  decidedAt: null,
  decisionNote: null,
  version: 1,
  updatedAt: '2026-12-01T00:00:00Z',
  localDecision: null,
  freeze: null,
  ...over,
});

const world = (handlers: Parameters<typeof createFakeApi>[0] = {}) => {
  const fake = createFakeApi({ refunds: () => [refund()], ...handlers });
  const notices = createNoticesStore();
  return { ...fake, notices, store: createRefundsStore(fake.api, notices) };
};

describe('refunds store', () => {
  it('loads the pending requests as main sorted them', async () => {
    const w = world();
    await w.store.getState().load();
    expect(w.store.getState().refunds.map((r) => r.businessName)).toEqual(['Paws & Co']);
    expect(w.calls[0]).toEqual({ method: 'refunds', args: [{ status: 'pending' }] });
  });

  it("queues the dialog's decision with its note, closes the dialog and reloads", async () => {
    const w = world({ decideRefund: () => 'cmd-1' });
    await w.store.getState().load();
    w.store.getState().open(refund().id, 'approve');
    expect(await w.store.getState().decide('  checked with Stripe  ')).toBe(true);
    expect(w.calls.find((c) => c.method === 'decideRefund')?.args).toEqual([refund().id, { kind: 'approve', note: 'checked with Stripe' }]);
    expect(w.store.getState().deciding).toBeNull();
    expect(w.calls.filter((c) => c.method === 'refunds')).toHaveLength(2);
  });

  it('sends no note when none was written', async () => {
    const w = world({ decideRefund: () => 'cmd-1' });
    w.store.getState().open(refund().id, 'deny');
    await w.store.getState().decide('   ');
    expect(w.calls.find((c) => c.method === 'decideRefund')?.args).toEqual([refund().id, { kind: 'deny' }]);
  });

  it("keeps the dialog open and shows main's sentence when main refuses", async () => {
    const w = world({
      decideRefund: () => {
        throw new ConsoleError('refused', 'This request came 100 hours after purchase; it can only be denied.');
      },
    });
    w.store.getState().open(refund().id, 'approve');
    expect(await w.store.getState().decide('')).toBe(false);
    expect(w.store.getState().deciding).not.toBeNull();
    expect(w.notices.getState().notices.map((n) => n.message)).toEqual(['This request came 100 hours after purchase; it can only be denied.']);
  });

  it('undoes a waiting decision by cancelling its command', async () => {
    const w = world({ cancelCommand: () => undefined });
    await w.store.getState().undo('cmd-9');
    expect(w.calls.find((c) => c.method === 'cancelCommand')?.args).toEqual(['cmd-9']);
  });

  it('a failed load goes to the notices and keeps what was shown', async () => {
    let fail = false;
    const w = world({
      refunds: () => {
        if (fail) throw new ConsoleError('server', 'the local cache could not be read');
        return [refund()];
      },
    });
    await w.store.getState().load();
    fail = true;
    await w.store.getState().load();
    expect(w.store.getState().refunds).toHaveLength(1);
    expect(w.notices.getState().notices[0]?.message).toBe('the local cache could not be read');
  });
});

describe('the refund policy run', () => {
  const LATE = '00000000-0000-4000-8000-000000000002';
  const FROZEN = '00000000-0000-4000-8000-000000000003';
  const outcome = (r: RefundView) => ({
    refundId: r.id,
    businessId: r.businessId,
    businessName: r.businessName,
    amountCents: r.amountCents,
    outcome: r.eligible ? ('approve' as const) : ('deny' as const),
    policy: r.policy,
    email: r.email,
  });
  const late = refund({
    id: LATE,
    businessName: 'Good Dog',
    eligible: false,
    policy: 'Requested 72 h 0 min 1 s after purchase; the refund window is 72 h, so it can only be denied.',
    email: { template: 'refund_denied', subject: 'About your refund request', body: '<b>Sorry</b>' },
  });
  const frozen = refund({
    id: FROZEN,
    businessName: 'Paws & Co',
    freeze: { escalationId: 'e1', subject: 'Trainer disputes the refund', businessName: 'Paws & Co', openedAt: '2026-11-26T00:00:00Z' },
  });
  const preview = (decide = [outcome(refund()), outcome(late)]): RefundPolicyPreview => ({
    count: decide.length,
    approvals: decide.filter((o) => o.outcome === 'approve').length,
    denials: decide.filter((o) => o.outcome === 'deny').length,
    approvedCents: 2200,
    decide,
    leftOut: [
      { ...outcome(frozen), why: 'frozen', reason: 'Frozen by the legal escalation "Trainer disputes the refund"', freeze: frozen.freeze, localDecision: null },
    ],
  });

  it('counts for the button the pending requests with no decision waiting and no freeze; the load asks main nothing more', async () => {
    const decided = refund({
      id: '00000000-0000-4000-8000-000000000004',
      localDecision: { commandId: 'c1', type: 'refund.approve', state: 'pending', payload: {}, words: 'approved' },
    });
    expect(policyCount([refund(), late, frozen, decided])).toBe(2);
    expect(policyCount([frozen, decided])).toBe(0);
    const w = world({ refunds: () => [refund(), late, frozen] });
    await w.store.getState().load();
    expect(w.calls.map((c) => c.method)).toEqual(['refunds']);
  });

  it("opens on main's preview and decides exactly the outcomes shown in one call, then closes and reloads", async () => {
    const w = world({ refunds: () => [refund(), late, frozen], previewRefundPolicy: () => preview(), applyRefundPolicy: () => ['cmd-1', 'cmd-2'] });
    await w.store.getState().load();
    await w.store.getState().openPolicy();
    expect(w.store.getState().policy).toEqual(preview());

    expect(await w.store.getState().applyPolicy()).toBe(true);
    expect(w.calls.filter((c) => c.method === 'applyRefundPolicy').map((c) => c.args)).toEqual([
      [
        [
          { id: refund().id, outcome: 'approve' },
          { id: LATE, outcome: 'deny' },
        ],
      ],
    ]);
    expect(w.store.getState().policy).toBeNull();
    expect(w.calls.filter((c) => c.method === 'refunds')).toHaveLength(2);
    expect(w.notices.getState().notices).toEqual([]);
  });

  it('opens no dialog when main says there is nothing left to decide', async () => {
    const w = world({ previewRefundPolicy: () => preview([]) });
    await w.store.getState().openPolicy();
    expect(w.store.getState().policy).toBeNull();
    expect(w.notices.getState().notices.map((n) => n.tone)).toEqual(['info']);
  });

  it("refused (an outcome changed), shows main's sentence and the preview as it stands now, queueing nothing", async () => {
    let now = preview();
    const w = world({
      previewRefundPolicy: () => now,
      applyRefundPolicy: () => {
        now = preview([outcome(late)]);
        throw new ConsoleError('refused', 'Nothing was decided: the requests changed since the preview. Sit Stay ($22.00) is now to be denied, not approved.');
      },
    });
    await w.store.getState().openPolicy();
    expect(await w.store.getState().applyPolicy()).toBe(false);
    expect(w.notices.getState().notices.map((n) => n.message)).toEqual([
      'Nothing was decided: the requests changed since the preview. Sit Stay ($22.00) is now to be denied, not approved.',
    ]);
    expect(w.store.getState().policy?.decide.map((o) => o.refundId)).toEqual([LATE]);
    expect(w.store.getState().busy).toBe(false);
  });

  it('closes on asking, deciding nothing', async () => {
    const w = world({ previewRefundPolicy: () => preview() });
    await w.store.getState().openPolicy();
    w.store.getState().closePolicy();
    expect(w.store.getState().policy).toBeNull();
    expect(w.calls.some((c) => c.method === 'applyRefundPolicy')).toBe(false);
  });
});
