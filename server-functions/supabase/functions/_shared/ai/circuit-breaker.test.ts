import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.ts';

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive failures and lets one probe through after the cool-down', () => {
    const breaker = new CircuitBreaker({ threshold: 3, cooldownMs: 60_000 });
    for (const t of [0, 1, 2]) {
      expect(breaker.allow(t)).toBe(true);
      breaker.failure(t);
    }
    expect(breaker.state(10)).toBe('open');
    expect(breaker.allow(59_000)).toBe(false);
    expect(breaker.allow(62_002)).toBe(true); // the probe
    expect(breaker.allow(62_003)).toBe(false); // only one at a time
    breaker.failure(62_010); // probe failed: open again for a full cool-down
    expect(breaker.allow(100_000)).toBe(false);
    expect(breaker.allow(122_010)).toBe(true);
    breaker.success();
    expect(breaker.state(122_011)).toBe('closed');
    expect(breaker.allow(122_012)).toBe(true);
  });

  it('forgets earlier failures after a success', () => {
    const breaker = new CircuitBreaker({ threshold: 3, cooldownMs: 1000 });
    breaker.failure(0);
    breaker.failure(1);
    breaker.success();
    breaker.failure(2);
    breaker.failure(3);
    expect(breaker.state(4)).toBe('closed');
  });
});
