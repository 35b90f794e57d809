// Open alerts, RED first, each with its resolution when that waits to sync
// here; resolving one the cache does not hold says so instead of queueing a
// command the server could only refuse.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveAlert } from '../../../shared/commands/alerts.ts';
import { alert, createWorld, failureOf, id, type World } from '../testing/world.ts';

let w: World;
beforeEach(() => {
  w = createWorld();
});
afterEach(() => w.close());

describe('open alerts', () => {
  it('lists RED before YELLOW, oldest first within each, leaving out the resolved', async () => {
    const oldYellow = alert({ openedAt: '2026-11-20T01:00:00.000Z' });
    const newRed = alert({ severity: 'RED', kind: 'stripe_down', openedAt: '2026-11-26T01:00:00.000Z' });
    const oldRed = alert({ severity: 'RED', kind: 'orphaned_charge', openedAt: '2026-11-21T01:00:00.000Z' });
    const resolved = alert({ severity: 'RED', resolvedAt: '2026-11-22T00:00:00.000Z' });
    await w.load({ alerts: [oldYellow, newRed, resolved, oldRed] });
    expect((await w.api.alerts()).map((a) => a.id)).toEqual([oldRed.id, newRed.id, oldYellow.id]);
  });

  it('carries the resolution waiting to sync on its alert, and the note the operator wrote', async () => {
    const [queue, stripe] = [alert(), alert({ severity: 'RED' })];
    await w.load({ alerts: [queue, stripe] });
    const commandId = await w.api.resolveAlert(queue.id, 'Queue cleared by the daily job');

    expect((await w.api.alerts()).map((a) => [a.id, a.localDecision])).toEqual([
      [stripe.id, null],
      [
        queue.id,
        expect.objectContaining({
          commandId,
          type: resolveAlert.type,
          words: 'resolved',
          payload: { alertId: queue.id, note: 'Queue cleared by the daily job' },
        }),
      ],
    ]);
    expect((await w.api.outbox()).map((e) => e.label)).toEqual(['Resolve an alert']);
  });

  it('says an alert not in the cache is not found, and queues nothing', async () => {
    await w.load({ alerts: [alert()] });
    const missing = id();
    expect(await failureOf(() => w.api.resolveAlert(missing, undefined))).toEqual({
      kind: 'not_found',
      message: `alert ${missing} is not in the local cache; sync, then try again`,
    });
    expect(await w.api.outbox()).toEqual([]);
  });
});
