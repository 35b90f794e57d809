// The report's default words start from what failed: the daily job's root
// cause names its last error and the spec's class for it (4.3 step 1).
import { describe, expect, it } from 'vitest';
import { PLAYBOOK_WORDS, type RunFacts } from './words.ts';

const facts = (signalError: string | null): RunFacts => ({ recoveredAt: null, resolvedAt: null, callsAvoided: 0, signalError });

describe('the daily job’s root cause', () => {
  it('names the last error and its class', () => {
    const cause = PLAYBOOK_WORDS.cron_failed.rootCause;
    expect(cause(facts('canceling statement due to lock timeout'))).toBe(
      'The daily job failed all 5 attempts: "canceling statement due to lock timeout" (class B, a lock held elsewhere)',
    );
    expect(cause(facts('canceling statement due to statement timeout'))).toMatch(/\(class A, a database timeout\)$/);
    expect(cause(facts('function unreachable: connect ECONNREFUSED 127.0.0.1:54321'))).toMatch(/\(class C, the function unreachable\)$/);
    expect(cause(facts('division by zero'))).toBe('The daily job failed all 5 attempts: "division by zero"');
  });

  it('says where to look when the alert recorded no error', () => {
    expect(PLAYBOOK_WORDS.cron_failed.rootCause(facts(null))).toBe('The daily job failed all 5 attempts (see the error class in the steps)');
  });
});
