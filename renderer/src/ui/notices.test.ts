// Notices: a success goes by itself after a while (it would pile up over the
// work), an error stays until the operator dismisses it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNoticesStore, INFO_NOTICE_MS } from './notices.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('notices', () => {
  it('lets a success go after its time and keeps an error until dismissed', () => {
    const store = createNoticesStore();
    store.getState().push('info', 'Saved incident_2026-12-04_z-ai-down.txt');
    store.getState().push('error', 'The report could not be fetched.');
    vi.advanceTimersByTime(INFO_NOTICE_MS - 1);
    expect(store.getState().notices.map((n) => n.tone)).toEqual(['info', 'error']);
    vi.advanceTimersByTime(1);
    expect(store.getState().notices.map((n) => n.message)).toEqual(['The report could not be fetched.']);
    vi.advanceTimersByTime(10 * INFO_NOTICE_MS);
    expect(store.getState().notices).toHaveLength(1);
    store.getState().dismiss(store.getState().notices[0]!.id);
    expect(store.getState().notices).toEqual([]);
  });
});
