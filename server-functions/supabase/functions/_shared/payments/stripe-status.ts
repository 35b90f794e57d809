// Spec 6.1's "Stripe status (cached, 1-min TTL)": is Stripe's API answering
// us, and how fast. One cheap authenticated read (the balance), no retries
// and a short timeout, so a Stripe outage shows as "not reachable" in
// seconds instead of stalling the metrics page; the answer is kept a minute
// per client, so opening the page again does not ask again.
import type { Stripe } from '../stripe.ts';

export interface StripeStatus {
  ok: boolean;
  latencyMs: number | null;
  /** Why not, in Stripe's or the network's words. */
  error: string | null;
  checkedAt: string;
}

const TTL_MS = 60_000;
const TIMEOUT_MS = 3_000;
const kept = new WeakMap<Stripe, StripeStatus>();

export async function stripeStatus(stripe: Stripe, now: Date = new Date()): Promise<StripeStatus> {
  const last = kept.get(stripe);
  if (last && now.getTime() - Date.parse(last.checkedAt) < TTL_MS) return last;
  const started = performance.now();
  let status: StripeStatus;
  try {
    await stripe.balance.retrieve(undefined, { timeout: TIMEOUT_MS, maxNetworkRetries: 0 });
    status = { ok: true, latencyMs: Math.round(performance.now() - started), error: null, checkedAt: now.toISOString() };
  } catch (err) {
    status = { ok: false, latencyMs: null, error: (err as Error).message, checkedAt: now.toISOString() };
  }
  kept.set(stripe, status);
  return status;
}
