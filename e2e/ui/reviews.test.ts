// Review moderation (spec 2.1) in real Chromium, as the operator works the
// queue: open it from the dashboard, approve every review at AI confidence
// 0.90 or more in one action after seeing how many and a sample, reject the
// edge cases by keyboard (one with a reason and a note, two selected at once),
// take one approval back before it syncs, then sync and find in Postgres
// exactly what was decided. The network is cut while deciding so every
// decision is seen waiting to sync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, screenshot, signIn, startUiWorld, type UiWorld } from './harness.ts';

let world: UiWorld;
let pendingIds: string[] = [];
let confident = 0;
beforeAll(async () => {
  // The engine's own clock far away: syncs happen when the test says.
  world = await startUiWorld({ engine: { baseDelayMs: 200, maxDelayMs: 2_000, intervalMs: 600_000 } });
  const rows = await world.sql<{ id: string; ai_confidence: number | null }[]>`select id, ai_confidence from public.reviews where status = 'pending'`;
  pendingIds = rows.map((r) => r.id);
  confident = rows.filter((r) => (r.ai_confidence ?? 0) >= 0.9).length;
}, 180_000);
afterAll(async () => world?.close());

const summary = () => world.page.getByText(/pending, oldest first/);
/** The queue's rows (not the filter's options). */
const rows = () => world.page.getByRole('listbox', { name: /Pending reviews/ }).getByRole('option');

describe('the review queue', () => {
  it('opens from the dashboard with the 51 pending reviews, oldest first, in Melbourne time', async () => {
    const { page, stack, proxy } = world;
    expect(pendingIds).toHaveLength(51);
    expect(confident).toBeGreaterThanOrEqual(35);
    await signIn(page, stack.info.OPERATOR_EMAIL, stack.info.OPERATOR_PASSWORD);
    await expect.poll(() => page.getByText(/\[51\]\s*Reviews pending approval/).count(), { timeout: 20_000 }).toBe(1);
    proxy.cut(); // from here every decision waits to sync
    await page.getByRole('button', { name: 'Process reviews pending approval' }).click();
    await page.getByRole('heading', { name: 'Reviews', level: 1 }).waitFor();
    await expect.poll(() => summary().textContent()).toMatch(/^51 pending, oldest first · 0 decided here/);
    await expect(rows().first().getAttribute('aria-selected')).resolves.toBe('true');
    const created = rows().first().locator('time');
    await expect(created.textContent()).resolves.toMatch(/AEDT|AEST/);
    await expect(created.getAttribute('title')).resolves.toMatch(/UTC$/);
    await page.getByRole('button', { name: 'Approve', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Reject…' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'reviews');
  });

  it('approves all at ≥ 0.90 in one action, after saying how many and showing a sample', async () => {
    const { page } = world;
    await page.getByRole('button', { name: `Approve all ${confident} at ≥ 0.90` }).click();
    const dialog = page.getByRole('dialog', { name: `Approve ${confident} reviews at ≥ 0.90?` });
    await dialog.waitFor();
    await expect(dialog.getByRole('listitem').count()).resolves.toBe(5);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'reviews-bulk');
    await dialog.getByRole('button', { name: `Approve ${confident}` }).click();
    await expect.poll(() => summary().textContent()).toMatch(new RegExp(`· ${confident} decided here, waiting to sync`));
    await expect(page.getByRole('option', { name: /Waiting to sync: approve \(bulk\)/ }).count()).resolves.toBeGreaterThan(0);
    await expect(page.getByRole('button', { name: /^Approve all 0 at/ }).isDisabled()).resolves.toBe(true);
  });

  it('rejects one by keyboard with reason Spam and a note', async () => {
    const { page } = world;
    await page.getByLabel('AI confidence').selectOption({ label: 'Below 0.90 (edge cases)' });
    await expect.poll(() => page.getByText(`Showing ${51 - confident}`).count()).toBe(1);
    await rows().first().click(); // out of the filter field, the cursor on the first edge case
    await page.keyboard.press('j');
    await expect(rows().nth(1).getAttribute('aria-selected')).resolves.toBe('true');
    await page.keyboard.press('r');
    const dialog = page.getByRole('dialog', { name: /^Reject the review of/ });
    await dialog.waitFor();
    await page.keyboard.press('Space'); // focus starts on the first reason, Spam
    await expect(dialog.getByRole('radio', { name: 'Spam' }).isChecked()).resolves.toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Link farm for a kennel, not a review');
    await expect(dialog.getByLabel('Note (optional)').inputValue()).resolves.toBe('Link farm for a kennel, not a review');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'reviews-reject');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => summary().textContent()).toMatch(new RegExp(`· ${confident + 1} decided here`));
    await expect(rows().nth(1).textContent()).resolves.toMatch(/Waiting to sync: reject: Spam/);
    // The cursor moved on to the next undecided review.
    await expect(rows().nth(2).getAttribute('aria-selected')).resolves.toBe('true');
  });

  it('selects two with x and rejects both at once', async () => {
    const { page } = world;
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await expect.poll(() => summary().textContent()).toMatch(/· 2 selected$/);
    await page.keyboard.press('r');
    const dialog = page.getByRole('dialog', { name: 'Reject 2 selected reviews' });
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: 'Off-topic' }).check();
    await dialog.getByRole('button', { name: 'Reject', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => summary().textContent()).toMatch(new RegExp(`· ${confident + 3} decided here, waiting to sync$`));
    await expect(page.getByRole('option', { name: /Waiting to sync: reject: Off-topic/ }).count()).resolves.toBe(2);
  });

  it('takes one bulk approval back before it syncs, and lists the keys on ?', async () => {
    const { page } = world;
    await page.getByLabel('AI confidence').selectOption({ label: 'All confidences' });
    await page
      .getByRole('option', { name: /Waiting to sync: approve \(bulk\)/ })
      .first()
      .click();
    await page.getByRole('status').filter({ hasText: 'Waiting to sync: approve (bulk)' }).waitFor();
    await screenshot(page, 'reviews-waiting');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => summary().textContent()).toMatch(new RegExp(`· ${confident + 2} decided here`));
    await page.getByRole('button', { name: 'Approve', exact: true }).waitFor(); // undecided again
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'reviews-decided');

    await page.getByRole('listbox').focus();
    await page.keyboard.press('?');
    const keys = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await keys.waitFor();
    for (const what of ['Next review', 'Previous review', 'Approve the review at the cursor', 'Close a dialog']) {
      await expect(keys.getByText(what).count()).resolves.toBe(1);
    }
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'reviews-keys');
    await page.keyboard.press('Escape');
    await keys.waitFor({ state: 'hidden' });
  });

  it('after Sync now, Postgres holds exactly what was decided', async () => {
    const { page, proxy, sql } = world;
    proxy.restore();
    await page.getByRole('button', { name: 'Sync now' }).click();
    const states = async () => {
      const rows = await sql<{ status: string; rejection_reason: string | null; rejection_note: string | null; n: number }[]>`
        select status, rejection_reason, rejection_note, count(*)::int as n from public.reviews where id = any(${pendingIds}::uuid[])
        group by 1, 2, 3 order by 1, 2`;
      return rows.map((r) => ({ ...r }));
    };
    await expect.poll(states, { timeout: 30_000, interval: 500 }).toEqual([
      { status: 'approved', rejection_reason: null, rejection_note: null, n: confident - 1 },
      { status: 'pending', rejection_reason: null, rejection_note: null, n: 51 - confident - 3 + 1 },
      { status: 'rejected', rejection_reason: 'off_topic', rejection_note: null, n: 2 },
      { status: 'rejected', rejection_reason: 'spam', rejection_note: 'Link farm for a kennel, not a review', n: 1 },
    ]);
    await expect
      .poll(() => summary().textContent(), { timeout: 20_000 })
      .toMatch(new RegExp(`^${51 - confident - 3 + 1} pending, oldest first · 0 decided here`));
  });
});
