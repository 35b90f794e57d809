import { describe, expect, it } from 'vitest';
import type { RefundPattern } from '../../../shared/api/refund-pattern.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createRefundPatternStore } from './pattern.ts';

const trainer = {
  ownerId: 'p1',
  ownerName: 'Riley',
  email: null,
  businesses: ['Riley Dogs'],
  purchases: 2,
  refunds: 2,
  accountStatus: 'active',
  flaggedReason: null,
};
const pattern = { days: 7, ratePct: 18, refunds: 9, purchases: 50, trainers: [trainer], findings: [] } as unknown as RefundPattern;

describe('refund pattern store', () => {
  it('flags a repeat refunder with the figures as the reason, sends it at once and reads the pattern again', async () => {
    const fake = createFakeApi({ refundPattern: () => pattern, flagAccount: () => ({ commandId: 'cmd-1', status: 'applied' }) });
    const store = createRefundPatternStore(fake.api);
    await store.getState().analyze();
    await store.getState().flag(trainer);
    expect(store.getState()).toMatchObject({ done: "Flagged Riley's account for review", error: null, busy: false });
    expect(fake.calls.map((c) => c.method)).toEqual(['refundPattern', 'flagAccount', 'refundPattern']);
    expect(fake.calls[1]!.args).toEqual(['p1', '2 refunds of 2 purchases in 7 days, possible abuse (refund pattern)']);
  });

  it("offline the analysis says main's sentence, and a flag waits in the outbox, said so", async () => {
    const fake = createFakeApi({
      refundPattern: () => {
        throw new ConsoleError('offline', 'Analyzing the refund pattern needs a connection to the server (it reads the live refunds), and you are offline.');
      },
      flagAccount: () => ({ commandId: 'cmd-2', status: 'queued' }),
    });
    const store = createRefundPatternStore(fake.api);
    await store.getState().analyze();
    expect(store.getState().error).toMatch(/needs a connection .* and you are offline\.$/);
    await store.getState().flag(trainer);
    expect(store.getState().done).toBe("Flagged Riley's account for review: queued, sent when you are back online");
  });
});
