// Stripe's status for the metrics page, through the real SDK: against the
// Stripe double it answers; against a port nobody listens on it says why,
// without retries; and a minute's answer is kept.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeDouble, type StripeDouble } from '../../../../local/doubles/stripe.ts';
import { createStripe } from '../stripe.ts';
import { stripeStatus } from './stripe-status.ts';

let double: StripeDouble;
beforeAll(async () => {
  double = await startStripeDouble();
});
afterAll(async () => double?.close());

/** A port that was free a moment ago: connecting to it is refused. */
const deadPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('Stripe status (spec 6.1)', () => {
  it('is reachable through the SDK, with its latency, and is asked again only after a minute', async () => {
    const stripe = createStripe('sk_test_double', double.url);
    const now = new Date('2026-12-02T06:00:00Z');
    const first = await stripeStatus(stripe, now);
    expect(first).toMatchObject({ ok: true, error: null, checkedAt: now.toISOString() });
    expect(first.latencyMs).toBeGreaterThanOrEqual(0);
    expect(await stripeStatus(stripe, new Date(now.getTime() + 59_000))).toBe(first);
    expect((await stripeStatus(stripe, new Date(now.getTime() + 61_000))).checkedAt).toBe('2026-12-02T06:01:01.000Z');
  });

  it('says not reachable, and why, when nothing answers', async () => {
    const stripe = createStripe('sk_test_double', `http://127.0.0.1:${await deadPort()}`);
    const s = await stripeStatus(stripe, new Date());
    expect(s).toMatchObject({ ok: false, latencyMs: null });
    expect(s.error).toMatch(/connect|ECONNREFUSED|network|Stripe/i);
  });
});
