// Offline and back, as the operator lives it: the network to the server
// drops (the proxy between console and backend is cut), two reviews are
// decided and shown waiting to sync, nothing reaches the server; the network
// returns, Sync now, and Postgres has both decisions exactly once. Then a
// review another operator decided first comes back as a stale verdict naming
// that operator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewView } from '../../shared/ipc/views.ts';
import { ensureOperator } from '../../server-functions/seed/accounts.ts';
import { axeViolations, screenshot, startSignedInWorld, type UiWorld } from './harness.ts';

let world: UiWorld;
beforeAll(async () => {
  world = await startSignedInWorld();
}, 180_000);
afterAll(async () => world?.close());

const statusLine = () => world.page.getByRole('status', { name: 'Sync status' });
const oldestPending = async (n: number) => {
  const r = await world.consoleServer.app.call('reviews', []);
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as ReviewView[]).filter((v) => !v.localDecision).slice(0, n);
};
const serverStatus = async (ids: string[]) =>
  (await world.sql<{ id: string; status: string }[]>`select id, status from public.reviews where id = any(${ids}::uuid[]) order by id`).map((r) => r.status);

describe('offline decisions', () => {
  it('decides two reviews offline, shows them waiting, and syncs them exactly once when the network returns', async () => {
    const { page, proxy, sql } = world;
    await expect.poll(async () => (await oldestPending(1)).length, { timeout: 20_000 }).toBe(1);
    const [first, second] = await oldestPending(2);
    proxy.cut();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => statusLine().textContent(), { timeout: 20_000 }).toMatch(/Offline/);

    await page.getByRole('button', { name: 'Reviews', exact: true }).click();
    await page.getByRole('listbox', { name: /Pending reviews/ }).focus();
    await page.keyboard.press('a'); // the cursor starts on the oldest; deciding moves it to the next
    await expect.poll(() => statusLine().textContent(), { timeout: 10_000 }).toMatch(/1 waiting to sync/);
    // The queue reloads after a decision; the next key goes to the list once the first shows as waiting.
    await expect
      .poll(
        () =>
          page
            .getByRole('option')
            .filter({ hasText: /Waiting to sync/ })
            .count(),
        { timeout: 10_000 },
      )
      .toBe(1);
    await page.getByRole('listbox', { name: /Pending reviews/ }).focus();
    await page.keyboard.press('a');
    await expect.poll(() => statusLine().textContent(), { timeout: 10_000 }).toMatch(/2 waiting to sync/);
    await expect.poll(() => page.getByText(/waiting to sync/i).count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await serverStatus([first!.id, second!.id])).toEqual(['pending', 'pending']);
    await screenshot(page, 'reviews-offline');
    expect(await axeViolations(page)).toEqual([]);

    proxy.restore();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => statusLine().textContent(), { timeout: 30_000 }).toMatch(/Online.*0 waiting to sync/);
    expect(await serverStatus([first!.id, second!.id])).toEqual(['approved', 'approved']);
    const applied = await sql<{ n: number }[]>`
      select count(*)::int as n from public.operator_commands where type = 'review.approve' and status = 'applied'
        and payload ->> 'reviewId' = any(${[first!.id, second!.id]}::text[])`;
    expect(applied[0]!.n).toBe(2);
    // Decided items stay decided: neither is offered again.
    expect((await oldestPending(60)).map((r) => r.id)).not.toContain(first!.id);
  });

  it('shows a stale verdict naming the operator who decided first', async () => {
    const { page, proxy, sql } = world;
    const [target] = await oldestPending(1);
    const otherId = await ensureOperator(sql, 'sam@dtd.local', 'another-password');
    await sql`update public.profiles set display_name = 'Sam Second' where id = ${otherId}`;
    proxy.cut();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => statusLine().textContent(), { timeout: 20_000 }).toMatch(/Offline/);
    await page.getByRole('listbox', { name: /Pending reviews/ }).focus();
    await page.keyboard.press('a');
    await expect.poll(() => statusLine().textContent(), { timeout: 10_000 }).toMatch(/1 waiting to sync/);
    // Meanwhile, on another console, Sam rejects the same review.
    await sql`update public.reviews set status = 'rejected', rejection_reason = 'spam', moderated_by = ${otherId}, moderated_at = now()
              where id = ${target!.id}`;
    proxy.restore();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => statusLine().textContent(), { timeout: 30_000 }).toMatch(/0 waiting to sync/);
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    const verdicts = page.getByRole('region', { name: /Verdicts from the server/ });
    await expect.poll(() => verdicts.textContent(), { timeout: 20_000 }).toMatch(/Sam Second/);
    expect(await serverStatus([target!.id])).toEqual(['rejected']);
    await expect.poll(() => statusLine().textContent(), { timeout: 10_000 }).toMatch(/1 verdict to read/); // one verdict, not "1 verdicts"
    await screenshot(page, 'sync-stale-verdict');
    expect(await axeViolations(page)).toEqual([]);
  });
});
