import { describe, expect, it } from 'vitest';
import type { RefundView } from '../../../shared/ipc/contract.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createNoticesStore } from '../ui/notices.ts';
import { createRefundsStore } from './store.ts';

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
