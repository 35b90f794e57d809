// Payment reconciliation's fix for a payment recorded here that Stripe never
// took: checked with Stripe on the server, so online only. Offline it says so
// and nothing waits to surprise the operator later.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markPaymentFailed } from '../../../shared/commands/payments.ts';
import { createWorld, failureOf, id, type World } from '../testing/world.ts';

let w: World;
beforeEach(() => {
  w = createWorld();
});
afterEach(() => w.close());

describe('marking a payment failed', () => {
  it('offline, fails with kind offline and queues nothing, then or later', async () => {
    await w.load();
    w.server.online = false;
    expect(await failureOf(() => w.api.markPaymentFailed(id()))).toEqual({
      kind: 'offline',
      message: 'Marking the payment failed needs a connection to the server, and you are offline. Nothing was queued; try again when you are back online.',
    });
    expect(await w.api.outbox()).toEqual([]);
    expect((await w.api.previewUpload()).summary).toBe('nothing to upload');
    w.server.online = true;
    await w.api.syncNow();
    expect(w.server.received).toEqual([]);
  });

  it('online, answers what the server found with Stripe', async () => {
    await w.load();
    const payment = id();
    w.server.judge = () => ({ status: 'applied', details: { stripe: 'no such charge', placementEnded: true, leftQueue: false } });
    const outcome = await w.api.markPaymentFailed(payment);
    expect(outcome).toMatchObject({ status: 'applied', details: { stripe: 'no such charge', placementEnded: true } });
    expect(w.server.received).toEqual([expect.objectContaining({ type: markPaymentFailed.type, payload: { paymentId: payment } })]);
    expect(await w.api.outbox()).toEqual([]);
  });

  it('answers a refusal in the server words (Stripe shows the charge succeeded)', async () => {
    await w.load();
    const reason = 'Stripe shows ch_123 succeeded ($22.00): the payment did not fail, so it is not marked';
    w.server.judge = () => ({ status: 'rejected', kind: 'refused', reason });
    expect(await w.api.markPaymentFailed(id())).toMatchObject({ status: 'rejected', reason });
    expect(await w.api.verdicts()).toEqual([]);
  });
});

describe('the reconciliation run', () => {
  it('offline, says it needs a connection', async () => {
    w.server.online = false;
    expect(await failureOf(() => w.api.runReconciliation())).toMatchObject({
      kind: 'offline',
      message: expect.stringContaining('needs a connection to the server'),
    });
  });
});
