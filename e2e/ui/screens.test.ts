// The week's other sessions in real Chromium, as the operator works them:
// refunds (spec 2.2: read the email each decision sends, approve the eligible,
// deny the late one, no Approve offered for it), the upload summary on Sync,
// then Postgres has both decisions; the daily job's health (2.4: Run now,
// its run in the history, and offline it says it needs a connection);
// a RED alert from the server on Alerts and the Dashboard, resolved with a
// note; Settings with the version, data file and AI mode, switched live.
// Every screen is screenshotted and checked with axe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, screenshot, signIn, startUiWorld, type UiWorld, goTo } from './harness.ts';

let world: UiWorld;
let refundIds: string[] = [];
beforeAll(async () => {
  // The engine's own clock far away: syncs happen when the test says.
  world = await startUiWorld({ engine: { baseDelayMs: 200, maxDelayMs: 2_000, intervalMs: 600_000 } });
  refundIds = (await world.sql<{ id: string }[]>`select id from public.refund_requests where status = 'pending'`).map((r) => r.id);
  await signIn(world.page, world.stack.info.OPERATOR_EMAIL, world.stack.info.OPERATOR_PASSWORD);
}, 180_000);
afterAll(async () => world?.close());

const go = (name: string) => goTo(world.page, name);
const syncNow = () => world.page.getByRole('status', { name: 'Sync status' }).getByRole('button', { name: 'Sync now' }).click();
const statusLine = () => world.page.getByRole('status', { name: 'Sync status' });

describe('refunds', () => {
  it("lists the 3 pending requests oldest purchase first, with the server's verdict and Melbourne times", async () => {
    const { page } = world;
    expect(refundIds).toHaveLength(3);
    await go('Refunds');
    await page.getByRole('heading', { name: 'Refund requests', level: 1 }).waitFor();
    const cards = page.getByRole('listitem').filter({ hasText: 'Hours after purchase' });
    await expect.poll(() => cards.count(), { timeout: 20_000 }).toBe(3);
    const eligible = cards.filter({ has: page.getByText('Eligible', { exact: true }) });
    const late = cards.filter({ has: page.getByText('Not eligible', { exact: true }) });
    await expect(eligible.count()).resolves.toBe(2);
    await expect(late.count()).resolves.toBe(1);
    await expect(cards.first().getByText('$22.00').count()).resolves.toBe(1);
    await expect(cards.first().locator('time').first().textContent()).resolves.toMatch(/AEDT|AEST/);
    await expect(late.getByText(/^Requested \d+ h \d+ min \d+ s after purchase; the refund window is 72 h, so it can only be denied\.$/).count()).resolves.toBe(
      1,
    );
    // The policy holds both ways: an eligible request can only be approved, and says why.
    await expect(eligible.getByRole('button', { name: /^Deny/ }).count()).resolves.toBe(0);
    await expect(eligible.getByText(/inside the 72 h refund window: the policy is to refund it, so it can only be approved\.$/).count()).resolves.toBe(2);
    await expect(late.getByRole('button', { name: /^Approve/ }).count()).resolves.toBe(0);
    await expect(late.getByRole('button', { name: /^Deny refund request from/ }).count()).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'refunds');
  });

  it('approves an eligible one after reading its email, and denies the late one', async () => {
    const { page, proxy } = world;
    proxy.cut(); // from here the decisions wait to sync
    const cards = page.getByRole('listitem').filter({ hasText: 'Hours after purchase' });
    const eligible = cards.filter({ has: page.getByText('Eligible', { exact: true }) }).first();
    await eligible.getByRole('button', { name: /^Approve refund request from/ }).click();
    const dialog = page.getByRole('dialog', { name: /^Approve refund:/ });
    await dialog.waitFor();
    await expect(dialog.getByText('Your refund has been processed').count()).resolves.toBe(1);
    await expect(dialog.getByText(/Look for it in 3–5 business days/).count()).resolves.toBe(1);
    await dialog.getByLabel('Note (optional, kept with the decision)').fill('Inside the window; Stripe charge checked.');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'refund-dialog');
    await dialog.getByRole('button', { name: 'Approve refund', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => cards.filter({ hasText: 'Approved here: waiting to sync' }).count()).toBe(1);

    const late = cards.filter({ has: page.getByText('Not eligible', { exact: true }) });
    await late.getByRole('button', { name: /^Deny refund request from/ }).click();
    const deny = page.getByRole('dialog', { name: /^Deny refund:/ });
    await expect(deny.getByText(/Unfortunately, refunds are only available within 3 days/).count()).resolves.toBe(1);
    await expect(deny.getByRole('button', { name: 'Approve refund' }).count()).resolves.toBe(0);
    await deny.getByRole('button', { name: 'Deny refund', exact: true }).click();
    await expect.poll(() => cards.filter({ hasText: 'Denied here: waiting to sync' }).count()).toBe(1);
    await expect(cards.getByRole('button', { name: /^Undo decision for/ }).count()).resolves.toBe(2);
    await statusLine().getByText('2 waiting to sync').waitFor(); // at once, not at the next sync
    await screenshot(page, 'refunds-decided');
  });

  it('Sync shows what will upload; after Sync now Postgres has both decisions', async () => {
    const { page, proxy, sql } = world;
    await go('Sync');
    await page.getByRole('heading', { name: 'Sync', level: 1 }).waitFor();
    await expect.poll(() => page.getByText(/Next upload:/).textContent()).toMatch(/totalling \$22\.00/);
    const outbox = page.getByRole('table', { name: 'Decisions waiting to upload' });
    await expect(outbox.getByRole('row').count()).resolves.toBe(3); // header + 2
    await outbox.getByRole('button', { name: /^Cancel: Approve refund for/ }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'sync');
    proxy.restore();
    await syncNow();
    await expect
      .poll(
        async () =>
          (
            await sql<{ status: string }[]>`
      select status from public.refund_requests where id = any(${refundIds}::uuid[]) order by status`
          ).map((r) => r.status),
        { timeout: 20_000 },
      )
      .toEqual(['approved', 'denied', 'pending']);
    await expect.poll(() => page.getByText('Nothing waits to upload.').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => statusLine().getByRole('button', { name: 'Sync now' }).isEnabled(), { timeout: 20_000 }).toBe(true);
    await screenshot(page, 'sync-after');
  });
});

describe('cron', () => {
  it('Run now runs the daily job, says so in place, and its run joins the history', async () => {
    const { page } = world;
    await go('Cron');
    await page.getByRole('heading', { name: /^Cron/, level: 1 }).waitFor();
    await expect(
      page
        .getByText(/^Next scheduled run:/)
        .locator('time')
        .textContent(),
    ).resolves.toMatch(/2:00 am (AEDT|AEST)/);
    const manual = page.getByRole('row').filter({ hasText: 'Run now' }).filter({ hasText: 'success' });
    const before = await manual.count();
    await page.getByRole('button', { name: 'Run now', exact: true }).click();
    await expect.poll(() => page.getByText(/The daily job ran successfully/).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => manual.count(), { timeout: 20_000 }).toBe(before + 1);
    await expect(manual.first().getByText('attempt 1 of 5').count()).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'cron');
  });

  it('offline, Run now says it needs a connection and queues nothing', async () => {
    const { page, proxy } = world;
    proxy.cut();
    await syncNow();
    await statusLine().getByText('Offline', { exact: true }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Run now', exact: true }).click();
    await expect.poll(() => page.getByText(/needs a connection to the server, and you are offline/).count(), { timeout: 20_000 }).toBe(1);
    await expect(statusLine().getByText('0 waiting to sync').count()).resolves.toBe(1);
    await screenshot(page, 'cron-offline');
    proxy.restore();
    await syncNow();
    await statusLine().getByText('Online', { exact: true }).waitFor({ timeout: 20_000 });
  });
});

describe('alerts and activity', () => {
  const message = 'Stripe webhook failed: 3 events not processed';
  let alertId = '';

  it('a RED alert from the server shows on the Dashboard and, highlighted, on Alerts', async () => {
    const { page, sql } = world;
    const [row] = await sql<{ id: string }[]>`
      insert into public.alerts (severity, kind, subject, message, opened_at)
      values ('RED', 'webhook_failures', 'ui-screens', ${message}, now() - interval '95 minutes') returning id`;
    alertId = row!.id;
    await syncNow();
    await go('Dashboard');
    await expect.poll(() => page.getByText(message).count(), { timeout: 20_000 }).toBe(1);
    await page.getByRole('button', { name: `Open alert: ${message}` }).click();
    await page.getByRole('heading', { name: 'Alerts and activity', level: 1 }).waitFor();
    const item = page.getByRole('listitem').filter({ hasText: message });
    await expect.poll(() => item.getAttribute('aria-current')).toBe('true');
    await expect(item.getByText(/\(1h 3\dm\)/).count()).resolves.toBe(1);
    await page.getByLabel('Filter activity').fill('refund');
    await expect
      .poll(() =>
        page
          .getByRole('list', { name: 'Activity log' })
          .getByText(/operator: approved a refund, \$22\.00/)
          .count(),
      )
      .toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'alerts');
  });

  it('resolves it with a note: waiting to sync, then resolved in Postgres', async () => {
    const { page, sql } = world;
    await page.getByRole('button', { name: `Resolve alert: ${message}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Resolve alert' });
    await dialog.getByLabel('Resolution note (optional)').fill('Replayed the events from the Stripe dashboard.');
    await dialog.getByRole('button', { name: 'Resolve alert', exact: true }).click();
    const item = page.getByRole('listitem').filter({ hasText: message });
    await item.getByText('Resolved here: waiting to sync').waitFor();
    await screenshot(page, 'alerts-resolving');
    await syncNow();
    await expect
      .poll(
        async () =>
          (
            await sql<{ resolved: boolean; note: string | null }[]>`
      select resolved_at is not null as resolved, details ->> 'resolution_note' as note from public.alerts where id = ${alertId}`
          )[0],
        { timeout: 20_000 },
      )
      .toEqual({ resolved: true, note: 'Replayed the events from the Stripe dashboard.' });
    await expect.poll(() => page.getByText(message).count(), { timeout: 20_000 }).toBe(0);
  });
});

describe('emails', () => {
  it("shows the refund decisions' emails queued, then sent once the sender ran; a failed one says why; bodies open by keyboard", async () => {
    const { page, sql, stack } = world;
    await syncNow();
    await go('Emails');
    await page.getByRole('heading', { name: 'Emails', level: 1 }).waitFor();
    const list = page.getByRole('list', { name: 'Emails, newest first' });
    const approved = list.getByRole('listitem').filter({ hasText: 'Your refund has been processed' });
    await expect.poll(() => approved.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect(approved.first().getByText('Queued', { exact: true }).count()).resolves.toBe(1);

    // The sender runs (the scheduler does every 5 minutes) and a sync brings the statuses.
    const sent = await fetch(`${stack.info.FUNCTIONS_URL}/email-sender`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.info.SERVICE_ROLE_KEY}` },
    });
    expect(sent.status).toBe(200);
    const [failed] = await sql<{ id: string; subject: string }[]>`
      update public.email_outbox set status = 'failed', sent_at = null, attempts = 5, last_error = 'recipient mailbox does not exist (550)'
      where id = (select id from public.email_outbox where status = 'sent' order by created_at limit 1) returning id, subject`;
    await syncNow();
    await expect.poll(() => approved.first().getByText('Sent', { exact: true }).count(), { timeout: 20_000 }).toBe(1);
    await page.getByLabel('Show').selectOption('failed');
    const failedRow = list.getByRole('listitem').filter({ hasText: failed!.subject });
    await expect.poll(() => failedRow.count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByText(/\d+ failed\./).count()).toBe(1);

    // Open it from the keyboard: its error, then its body as text.
    const opener = failedRow.getByRole('button', { name: new RegExp(failed!.subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
    await opener.focus();
    await page.keyboard.press('Enter');
    await expect(opener.getAttribute('aria-expanded')).resolves.toBe('true');
    await failedRow.getByText('Not delivered after 5 attempts: recipient mailbox does not exist (550)').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'emails');
    await page.getByLabel('Show').selectOption('all');
  });
});

describe('settings', () => {
  it('shows the version, backend, data file and AI mode, and switches the AI mode live', async () => {
    const { page, sql, dir } = world;
    await go('Settings');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await expect(page.getByText('0.1.0', { exact: true }).count()).resolves.toBe(1);
    await expect(page.getByText(dir, { exact: false }).count()).resolves.toBeGreaterThan(0);
    await expect.poll(() => page.getByText(/^Current AI mode:/).textContent()).toMatch(/z_ai|secondary|deterministic/);
    await page.getByLabel('New AI mode').selectOption('deterministic');
    await page.getByRole('button', { name: 'Switch AI mode' }).click();
    await expect.poll(() => page.getByText(/AI mode is now Deterministic/).count(), { timeout: 20_000 }).toBe(1);
    await expect
      .poll(async () => (await sql<{ value: string }[]>`select value from public.feature_flags where key = 'AI_MODE'`)[0]?.value)
      .toBe('deterministic');
    await expect(page.getByText(/^Current AI mode:/).textContent()).resolves.toMatch(/deterministic/);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'settings');
  });
});
