// Spec 3.2's metrics page in real Chromium on the demo data: the revenue
// periods as Postgres sums them, adoption against the 25 % target, the
// charts drawn (uPlot canvases) with their numbers as tables opened from the
// keyboard, and offline the last snapshot, marked as such. Screenshot, axe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, screenshot, startSignedInWorld, goTo, type UiWorld } from './harness.ts';

let world: UiWorld;
beforeAll(async () => {
  world = await startSignedInWorld();
}, 180_000);
afterAll(async () => world?.close());

const go = (name: string) => goTo(world.page, name);
const dollars = (cents: number) => `$${Math.round(cents / 100).toLocaleString('en-AU')}`;

describe('metrics', () => {
  it('shows the revenue periods, adoption, refunds, searches and AI as the server sums them, with charts', async () => {
    const { page, sql } = world;
    // Independent of the rollup: the last 12 months straight from the payments, in Melbourne days.
    const [ltm] = await sql<{ cents: number; featured: number; trainers: number }[]>`
      select (select coalesce(sum(amount_cents), 0)::int from public.payment_audit
              where status in ('succeeded', 'refunded')
                and paid_at >= (((now() at time zone 'Australia/Melbourne')::date - interval '12 months' + interval '1 day')::date)::timestamp at time zone 'Australia/Melbourne') as cents,
             (select count(*)::int from public.featured_placements where status = 'active') as featured,
             (select count(*)::int from public.businesses where not deleted) as trainers`;
    await go('Metrics');
    await page.getByRole('heading', { name: 'Metrics', level: 1 }).waitFor();
    const revenue = page.getByRole('region', { name: 'Revenue' });
    await revenue
      .getByText(`${dollars(ltm!.cents)} AUD`)
      .first()
      .waitFor({ timeout: 20_000 });
    await expect(revenue.getByText(/avg per month \$[\d,]+; (↑|↓|→) \d+(\.\d)?% vs previous year|no previous year to compare/).count()).resolves.toBe(1);
    await expect(revenue.getByText(/projected month-end \$[\d,]+/).count()).resolves.toBe(1);
    const rate = Math.round((1000 * ltm!.featured) / ltm!.trainers) / 10;
    await expect(
      page
        .getByRole('region', { name: 'Featured adoption' })
        .getByText(`${rate}% (${ltm!.featured} featured / ${ltm!.trainers.toLocaleString('en-AU')} total trainers)`)
        .count(),
    ).resolves.toBe(1);
    await expect(page.getByRole('region', { name: 'Featured adoption' }).getByText('target 25%').count()).resolves.toBe(1);
    await expect(
      page
        .getByRole('region', { name: 'Search volume' })
        .getByText(/^\d[\d,]* searches \(average\)$/)
        .count(),
    ).resolves.toBe(1);
    await expect(
      page
        .getByRole('region', { name: 'Refund rate' })
        .getByText(/^\d+(\.\d)?% \(\d+ of \d+ purchases\)$/)
        .count(),
    ).resolves.toBe(2);
    for (const chart of [/^Revenue by month for the last 12 months/, /^Queue backlog by council: /, /^Searches per day for the last 30 days/]) {
      const img = page.getByRole('img', { name: chart });
      await expect(img.locator('canvas').count()).resolves.toBe(1);
    }
    // Spec 6.1's Stripe status: the operator function asked the (double's) API.
    await expect(
      page
        .getByRole('region', { name: 'Stripe' })
        .getByText(/^reachable, \d+ ms$/)
        .count(),
    ).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'metrics');

    // The numbers behind a chart, from the keyboard.
    await page.getByText('Revenue by month as a table').focus();
    await page.keyboard.press('Enter');
    const rows = page.getByRole('group').filter({ hasText: 'Revenue by month as a table' }).getByRole('row');
    await expect.poll(() => rows.count()).toBe(12);
  });

  it('offline, shows the last snapshot and says so', async () => {
    const { page, proxy } = world;
    proxy.cut();
    await page.getByRole('button', { name: 'Refresh metrics' }).click();
    await page.getByText('You are offline: this is the last snapshot kept here, as of the time above.').waitFor({ timeout: 20_000 });
    await expect(page.getByRole('region', { name: 'Revenue' }).count()).resolves.toBe(1);
    proxy.restore();
  });
});
