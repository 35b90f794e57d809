// Session 3 (spec 2.3) in real Chromium, as the operator works it: run the
// reconciliation on the demo week, see the planted disagreements (a charge
// Stripe took whose webhook never arrived, and a payment recorded that Stripe
// never took), fix each, run again clean, save the
// report as PDF and look at it (pdftoppm → PNG); offline it says it needs a
// connection. Screenshots saved, axe checked, the second run by keyboard.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MISSED_CHARGE } from '../../server-functions/local/stack/stack.ts';
import { axeViolations, SCREENS_DIR, screenshot, startSignedInWorld, type UiWorld } from './harness.ts';

let world: UiWorld;
beforeAll(async () => {
  world = await startSignedInWorld();
}, 180_000);
afterAll(async () => world?.close());

describe('payment reconciliation', () => {
  it('finds the demo week’s missed webhook, recovers it, runs clean, and saves the report as a PDF a person can read', async () => {
    const { page, sql } = world;
    // A second planted disagreement: a payment recorded yesterday that Stripe never took.
    const [ghost] = await sql<{ id: string }[]>`
      insert into public.payment_audit (business_id, council_id, stripe_charge_id, amount_cents, currency, status, paid_at)
      select b.id, b.council_id, 'ch_recorded_but_never_charged', 2200, 'aud', 'succeeded', now() - interval '1 day'
      from public.businesses b order by b.name desc limit 1 returning id`;
    // From the dashboard's quick actions, as the spec draws them.
    await page.getByRole('region', { name: 'Quick actions' }).getByRole('button', { name: 'Payment reconciliation' }).click();
    await page.getByRole('heading', { name: 'Payment reconciliation', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Run reconciliation' }).click();
    const missing = page.getByRole('region', { name: 'In Stripe, not recorded here' });
    await missing.waitFor({ timeout: 20_000 });
    await expect(missing.getByText(DEMO_MISSED_CHARGE).count()).resolves.toBe(1);
    await expect(missing.getByText(/webhook was missed/).count()).resolves.toBe(1);
    await expect(page.getByText(/^2 discrepancies; \d+ matched$/).count()).resolves.toBe(1);
    const recorded = page.getByRole('region', { name: 'Recorded here, not in Stripe' });
    await expect(recorded.getByText('ch_recorded_but_never_charged').count()).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'reconciliation-mismatch');

    // Mark it failed, after confirming (the server asks Stripe first).
    await recorded.getByRole('button', { name: 'Mark the payment failed…' }).click();
    await recorded.getByRole('group', { name: 'Confirm marking the payment failed' }).getByRole('button', { name: 'Mark failed' }).click();
    await page.getByText(/^1 discrepancy; \d+ matched$/).waitFor({ timeout: 20_000 });
    expect(await sql`select status from public.payment_audit where id = ${ghost!.id}`).toEqual([{ status: 'failed' }]);

    await missing.getByRole('button', { name: 'Recover missed payments' }).click();
    await page.getByText('Match: every charge agrees').waitFor({ timeout: 20_000 });
    await expect(page.getByText(/The sweep applied [1-9]\d* missed Stripe events?/).count()).resolves.toBe(1);
    expect(await sql`select status from public.payment_audit where stripe_charge_id = ${DEMO_MISSED_CHARGE}`).toEqual([{ status: 'succeeded' }]);

    // Again from the keyboard: still clean, a third report archived.
    await page.getByRole('button', { name: 'Run reconciliation' }).focus();
    await page.keyboard.press('Enter');
    const reports = page.getByRole('table', { name: 'Archived reconciliation reports, newest first' });
    await expect.poll(() => reports.getByRole('row').count(), { timeout: 20_000 }).toBe(5); // header + 4 runs
    const newest = (
      await sql<{ name: string; pdf_sha256: string }[]>`select name, pdf_sha256 from public.reconciliation_reports order by run_at desc limit 1`
    )[0]!;
    expect(newest.name).toMatch(/^Payment_Reconciliation_\d{4}-\d{2}-\d{2}_4$/);
    await screenshot(page, 'reconciliation-clean');

    const [download] = await Promise.all([page.waitForEvent('download'), reports.getByRole('button', { name: `Save ${newest.name} as PDF` }).click()]);
    expect(download.suggestedFilename()).toBe(`${newest.name}.pdf`);
    const path = join(SCREENS_DIR, `${newest.name}.pdf`);
    await download.saveAs(path);
    const bytes = await readFile(path);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(newest.pdf_sha256);
    await expect.poll(() => page.getByText(new RegExp(`^Saved ${newest.name}\\.pdf \\(SHA-256 ${newest.pdf_sha256.slice(0, 12)}…\\)$`)).count()).toBe(1);
    // The PDF as a person sees it: rendered to a PNG beside the screenshots.
    execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', path, join(SCREENS_DIR, 'reconciliation-report')]);
    const text = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
    expect(text).toContain('Result: the totals match, every charge matched.');
  }, 120_000);

  it('offline, running it says it needs a connection', async () => {
    const { page, proxy } = world;
    proxy.cut();
    try {
      await page.getByRole('button', { name: 'Run reconciliation' }).click();
      await page.getByText(/needs a connection to the server \(it compares with Stripe there\), and you are offline/).waitFor({ timeout: 20_000 });
    } finally {
      proxy.restore();
    }
  });
});
