import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createNoticesStore } from '../ui/notices.ts';
import { createSettingsStore } from './store.ts';

const metrics = {
  revenueThisMonthCents: 0,
  refundsThisMonthCents: 0,
  activePlacements: 0,
  queuedPlacements: 0,
  pendingReviews: 0,
  pendingRefunds: 0,
  refundRate7d: 0,
  searchesLast24h: 0,
  openRed: 0,
  openYellow: 0,
  aiMode: 'secondary',
  aiSpentThisMonthCents: 1234.5,
  aiBudgetCents: 25000,
  aiBudgetSwitched: false,
};
const world = (extra: Parameters<typeof createFakeApi>[0] = {}) => {
  const fake = createFakeApi({ flags: () => [{ key: 'AI_MODE', value: 'z_ai', updatedAt: '2026-12-01T00:00:00Z' }], metrics: () => metrics, ...extra });
  const notices = createNoticesStore();
  return { ...fake, notices, store: createSettingsStore(fake.api, notices) };
};

describe('settings store', () => {
  it('shows the AI mode from the feature flag, else from the metrics', async () => {
    const w = world();
    await w.store.getState().load();
    expect(w.store.getState().aiMode).toBe('z_ai');
    const v = world({ flags: () => [] });
    await v.store.getState().load();
    expect(v.store.getState().aiMode).toBe('secondary');
  });

  it('switches the AI mode online and shows it', async () => {
    const w = world({ setAiMode: () => ({ commandId: 'c1', status: 'applied' }) });
    await w.store.getState().setAiMode('deterministic');
    expect(w.calls.find((c) => c.method === 'setAiMode')?.args).toEqual(['deterministic']);
    expect(w.store.getState()).toMatchObject({ aiMode: 'deterministic', switching: false, lastSwitch: { mode: 'deterministic' } });
  });

  it("offline, shows main's sentence in place and keeps the mode", async () => {
    const msg = 'Switching the AI mode needs a connection to the server, and you are offline. Nothing was queued; try again when you are back online.';
    const w = world({
      setAiMode: () => {
        throw new ConsoleError('offline', msg);
      },
    });
    await w.store.getState().load();
    await w.store.getState().setAiMode('deterministic');
    expect(w.store.getState().lastSwitch).toEqual({ error: msg });
    expect(w.store.getState().aiMode).toBe('z_ai');
  });

  it('a failed load goes to the notices', async () => {
    const w = world({
      flags: () => {
        throw new ConsoleError('server', 'the local cache could not be read');
      },
    });
    await w.store.getState().load();
    expect(w.notices.getState().notices[0]?.message).toBe('the local cache could not be read');
  });
});
