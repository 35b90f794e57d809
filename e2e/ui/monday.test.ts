// The Monday check in real Chromium, driven as the operator would: sign in
// (a wrong password says so), see the status and the week's counts (the demo
// seed's 51 reviews and 3 refunds), and a RED alert planted on the server
// reaches the dashboard and the main process's notification and tray count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, screenshot, startUiWorld, type UiWorld } from './harness.ts';

let world: UiWorld;
beforeAll(async () => {
  world = await startUiWorld();
}, 180_000);
afterAll(async () => world?.close());

describe('the Monday check', () => {
  it('signs in: a wrong password is refused with the reason, the local operator account is offered', async () => {
    const { page, stack } = world;
    await page.getByRole('heading', { name: 'DTD Operator Console' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');
    await page.getByLabel('Email').fill(stack.info.OPERATOR_EMAIL);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/Sign-in refused/);
    await page.getByRole('button', { name: 'Sign in as the local operator' }).click();
    await page.getByRole('heading', { name: /Dashboard/ }).waitFor();
  });

  it("shows one overall status and the pending work with the spec's estimates", async () => {
    const { page } = world;
    await expect.poll(() => page.getByText(/\[51\]\s*Reviews pending approval/).count(), { timeout: 20_000 }).toBe(1);
    await expect(page.getByText(/\(1–2 h work\)/).count()).resolves.toBe(1);
    await expect(page.getByText(/\[3\]\s*Refund requests/).count()).resolves.toBe(1);
    await expect(page.getByText(/Overall status:/).textContent()).resolves.toMatch(/GREEN|YELLOW|RED/);
    // Times are Melbourne's, with the UTC instant on hover.
    const last = page.getByText(/^Last update:/).locator('time');
    await expect(last.textContent()).resolves.toMatch(/AEDT|AEST/);
    await expect(last.getAttribute('title')).resolves.toMatch(/UTC$/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard');
  });

  it('a RED alert opened on the server reaches the dashboard, the notification and the tray count', async () => {
    const { page, sql, consoleServer } = world;
    const [alert] = await sql<{ id: string }[]>`
      insert into public.alerts (severity, kind, subject, message, opened_at)
      values ('RED', 'database_slow', 'database', 'Database answering slowly: p95 2.4 s', now() - interval '63 minutes')
      returning id`;
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('heading', { name: 'RED alerts (1 critical)' }).waitFor({ timeout: 20_000 });
    await expect(page.getByText('Database answering slowly: p95 2.4 s').count()).resolves.toBe(1);
    await expect(page.getByText(/\(1h 3m\)/).count()).resolves.toBe(1);
    await expect(page.getByText(/Overall status:/).textContent()).resolves.toMatch(/RED/);
    await expect(page.getByText(/refreshes every 30 seconds/).count()).resolves.toBe(1);
    expect(consoleServer.desktop.notifications).toEqual([{ title: 'RED: database_slow', body: 'Database answering slowly: p95 2.4 s', alertId: alert!.id }]);
    expect(consoleServer.desktop.redCount).toBe(1);
    // Another sync does not notify the same alert again.
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(async () => (await consoleServer.app.call('status', [])).ok).toBe(true);
    expect(consoleServer.desktop.notifications).toHaveLength(1);
    await screenshot(page, 'dashboard-red');
  });

  it('an orphaned charge planted in Postgres turns the dashboard RED by itself: the 30 s alerts refresh, then the console’s sync', async () => {
    const { page, sql } = world;
    const [b] = await sql<{ id: string; council_id: string }[]>`select id, council_id from public.businesses order by created_at limit 1`;
    const [p] = await sql<{ id: string; planted_at: Date }[]>`
      insert into public.payment_audit (business_id, council_id, stripe_payment_intent_id, stripe_charge_id, amount_cents, status, paid_at)
      values (${b!.id}, ${b!.council_id}, 'pi_orphan_monday', 'ch_orphan_monday', 2200, 'succeeded', now())
      returning id, now() as planted_at`;
    // No Sync now, no call to any function: the scheduler's refresh opens it, the console's own sync brings it.
    await page.getByText(/^Charge ch_orphan_monday \(\$22\.00 AUD\) succeeded on .* but has no placement or queue entry$/).waitFor({ timeout: 60_000 });
    const [a] = await sql<{ opened_at: Date }[]>`select opened_at from public.alerts where kind = 'orphaned_charge' and subject = ${p!.id}`;
    // The schedule's promise (spec 6.1), from the server's own clock: open within one 30 s period of the charge.
    expect(a!.opened_at.getTime() - p!.planted_at.getTime()).toBeLessThanOrEqual(31_000);
    await expect(page.getByText(/Overall status:/).textContent()).resolves.toMatch(/RED/);
    await screenshot(page, 'dashboard-orphan');
  }, 90_000);
});
