// The IPC edge checks every call's arguments with the same schemas the server
// uses, before any service sees them, and answers Results, never throws.
import { describe, expect, it } from 'vitest';
import { CONSOLE_METHODS, ConsoleError, type ConsoleHandlers } from '../../shared/ipc/contract.ts';
import { OutboxEditError } from '../store/store.ts';
import { TransportError } from '../sync/transport.ts';
import { createEdge } from './edge.ts';

const REVIEW = '0f8fad5b-d9cb-469f-a165-70867728950e';

function edgeWith(impl: Partial<Record<string, (...a: unknown[]) => unknown>>) {
  const seen: { method: string; args: unknown[] }[] = [];
  const handlers = Object.fromEntries(
    CONSOLE_METHODS.map((m) => [
      m,
      (...args: unknown[]) => {
        seen.push({ method: m, args });
        return impl[m] ? impl[m]!(...args) : null;
      },
    ]),
  ) as unknown as ConsoleHandlers;
  return { call: createEdge(handlers), seen };
}

describe('IPC edge', () => {
  it('passes valid arguments through and wraps the answer', async () => {
    const { call, seen } = edgeWith({ decideReview: () => 'cmd-1' });
    expect(await call('decideReview', [REVIEW, { kind: 'reject', reason: 'spam', note: 'link farm' }])).toEqual({ ok: true, value: 'cmd-1' });
    expect(seen).toEqual([{ method: 'decideReview', args: [REVIEW, { kind: 'reject', reason: 'spam', note: 'link farm' }] }]);
  });

  it.each([
    ['decideReview', ['not-an-id', { kind: 'approve' }], /argument 0 must be an id/],
    ['decideReview', [REVIEW, { kind: 'reject', reason: 'rude' }], /argument 1\.reason/],
    ['decideReview', [REVIEW, { kind: 'approve', sneaky: true }], /argument 1/],
    ['flagAccount', [REVIEW, 'no'], /must say why \(3\+ characters\)/],
    ['bulkApprove', [1.5], /between 0 and 1/],
    ['signIn', ['not an email', 'pw'], /must be an email address/],
    ['resolveAlert', [REVIEW, 'x'.repeat(2001)], /at most 2000 characters/],
  ])('refuses %s with bad arguments at once, naming what is wrong, without calling main', async (method, args, message) => {
    const { call, seen } = edgeWith({});
    const r = await call(method, args);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('invalid');
      expect(r.error.message).toMatch(message);
    }
    expect(seen).toEqual([]);
  });

  it('refuses a method the contract does not have', async () => {
    const r = await edgeWith({}).call('deleteEverything', []);
    expect(r).toEqual({ ok: false, error: { kind: 'invalid', message: '"deleteEverything" is not a call this console has' } });
  });

  it.each([
    [new ConsoleError('refused', 'only denied'), 'refused', 'only denied'],
    [new OutboxEditError('being sent'), 'refused', 'being sent'],
    [new TransportError('offline', 'cannot reach'), 'offline', 'cannot reach'],
    [new TransportError('auth', 'session ended'), 'not_signed_in', 'session ended'],
    [new TransportError('server', 'server error 500'), 'server', 'server error 500'],
  ])('turns %s into a Result failure', async (err, kind, message) => {
    const { call } = edgeWith({
      syncNow: () => {
        throw err;
      },
    });
    expect(await call('syncNow', [])).toEqual({ ok: false, error: { kind, message } });
  });
});
