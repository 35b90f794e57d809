import { describe, expect, it } from 'vitest';
import type { AlertView, OutboxEntry } from '../../../shared/ipc/contract.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createNoticesStore } from '../ui/notices.ts';
import { createAlertsStore } from './store.ts';

const ALERT = '00000000-0000-4000-8000-0000000000a1';
const alert: AlertView = {
  id: ALERT,
  severity: 'RED',
  kind: 'zai_down',
  subject: 'z_ai',
  message: 'Z.AI down',
  details: {},
  openedAt: '2026-12-01T00:00:00Z',
  resolvedAt: null,
  updatedAt: '2026-12-01T00:00:00Z',
  localDecision: null,
};
const resolveEntry: OutboxEntry = {
  commandId: 'cmd-r',
  type: 'alert.resolve',
  payload: { alertId: ALERT },
  state: 'pending',
  attempts: 0,
  lastError: null,
  decidedAt: '2026-12-01T01:00:00Z',
  subjectId: ALERT,
  label: 'Resolve an alert',
  reviewDecision: null,
};

const world = (outbox: OutboxEntry[] = [], extra: Parameters<typeof createFakeApi>[0] = {}) => {
  const fake = createFakeApi({
    // Main marks an alert whose resolution waits in the outbox.
    alerts: () =>
      [alert].map((a) => {
        const e = outbox.find((o) => o.subjectId === a.id);
        return e ? { ...a, localDecision: { commandId: e.commandId, type: e.type, state: e.state, payload: e.payload, words: 'resolved' } } : a;
      }),
    outbox: () => outbox,
    accounts: () => [],
    incidents: () => [],
    activity: () => [
      {
        id: 1,
        occurredAt: '2026-12-01T00:00:00Z',
        actorId: null,
        actorKind: 'operator',
        action: 'command.refund.approve',
        subjectType: null,
        subjectId: null,
        amountCents: 2200,
        details: {},
      },
    ],
    ...extra,
  });
  const notices = createNoticesStore();
  return { ...fake, notices, store: createAlertsStore(fake.api, notices) };
};

describe('alerts store', () => {
  it('loads alerts, activity, accounts and incidents, marking alerts resolved here', async () => {
    const w = world([resolveEntry]);
    await w.store.getState().load();
    const s = w.store.getState();
    expect(s.alerts).toMatchObject([{ id: ALERT, localDecision: { commandId: 'cmd-r' } }]);
    expect(s.resolving).toEqual({ [ALERT]: 'cmd-r' });
    expect(s.activity).toHaveLength(1);
  });

  it('filters the activity log through main', async () => {
    const w = world();
    await w.store.getState().setSearch(' refund ');
    expect(w.calls.filter((c) => c.method === 'activity').at(-1)?.args).toEqual([{ search: 'refund' }]);
    await w.store.getState().setSearch('');
    expect(w.calls.filter((c) => c.method === 'activity').at(-1)?.args).toEqual([{}]);
  });

  it('resolves with a note, closes the dialog and reloads', async () => {
    const w = world([], { resolveAlert: () => 'cmd-r' });
    w.store.getState().openResolve(ALERT);
    expect(await w.store.getState().resolve(' restarted the provider ')).toBe(true);
    expect(w.calls.find((c) => c.method === 'resolveAlert')?.args).toEqual([ALERT, 'restarted the provider']);
    expect(w.store.getState().resolveId).toBeNull();
    expect(w.calls.some((c) => c.method === 'alerts')).toBe(true);
  });

  it('sends no note when none was written', async () => {
    const w = world([], { resolveAlert: () => 'cmd-r' });
    w.store.getState().openResolve(ALERT);
    await w.store.getState().resolve('');
    expect(w.calls.find((c) => c.method === 'resolveAlert')?.args).toEqual([ALERT, undefined]);
  });

  it("a refused resolve shows main's message and keeps the dialog", async () => {
    const w = world([], {
      resolveAlert: () => {
        throw new ConsoleError('not_found', 'alert x is not in the local cache; sync, then try again');
      },
    });
    w.store.getState().openResolve(ALERT);
    expect(await w.store.getState().resolve('')).toBe(false);
    expect(w.store.getState().resolveId).toBe(ALERT);
    expect(w.notices.getState().notices[0]?.message).toBe('alert x is not in the local cache; sync, then try again');
  });

  it('undo cancels the resolve command', async () => {
    const w = world([], { cancelCommand: () => undefined });
    await w.store.getState().undo('cmd-r');
    expect(w.calls.find((c) => c.method === 'cancelCommand')?.args).toEqual(['cmd-r']);
  });
});
