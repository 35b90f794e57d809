// Playbooks 4.2 (Stripe webhook failed) and 4.3 (the daily job failed all 5
// attempts) in real Chromium, on their planted conditions (the demo plants:
// rows backdated, the real job failing on a held lock, the alerts refresh
// called): the RED alert appears after "Sync now", the playbook opens from
// it, each step shows its live facts, each action is previewed, confirmed and
// checked in Postgres, the alert resolves, and the report pre-filled from the
// timeline is finished and exported as text and PDF (pdftoppm'd), their
// SHA-256 in the audit entry. Screenshots of every step, axe on each screen.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshAlerts } from '../../server-functions/local/demo/context.ts';
import { type DemoStack, plantCronFailed, plantWebhookFailed } from '../../server-functions/local/demo/incidents.ts';
import { axeViolations, goTo, SCREENS_DIR, screenshot, startSignedInWorld, type UiWorld } from './harness.ts';

let world: UiWorld;
let stack: DemoStack;
beforeAll(async () => {
  world = await startSignedInWorld();
  stack = { sql: world.sql, info: world.stack.info };
}, 180_000);
afterAll(async () => world?.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** The Melbourne day of an instant, as the report's file name writes it. */
const melbourneDay = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Melbourne' }).format(at);

async function syncNow(page: Page) {
  await page.getByRole('button', { name: 'Sync now' }).first().click();
}

/** Each distinct screen state: a screenshot, and axe has nothing serious to say. */
async function look(page: Page, name: string) {
  await screenshot(page, name);
  expect(await axeViolations(page)).toEqual([]);
}

/** The open alert on the Alerts screen whose message has this text. */
const alertItem = (page: Page, text: string) =>
  page
    .getByRole('region', { name: /^Open alerts/ })
    .getByRole('listitem')
    .filter({ hasText: text });

const step = (page: Page, title: string) => page.getByRole('listitem', { name: title });

async function stepDone(page: Page, title: string) {
  await step(page, title).getByText('Done', { exact: true }).waitFor({ timeout: 20_000 });
}

/** Finishes the run's report, exports it as text and PDF, and checks both against the archive and the audit entry. */
async function finishAndExport(page: Page, o: { incidentId: string; kind: string; file: string; startedAt: Date; expectInText: string[] }) {
  const { sql } = world;
  const report = page.getByRole('form', { name: 'Incident report' });
  await page.getByRole('button', { name: 'Finish the report' }).click();
  const finish = page.getByRole('dialog', { name: 'Finish the incident report?' });
  await finish.getByRole('button', { name: 'Finish', exact: true }).click();
  await page.getByRole('button', { name: 'Export as text' }).waitFor({ timeout: 20_000 });
  await expect.poll(async () => (await sql`select status from public.incidents where id = ${o.incidentId}`)[0]?.status, { timeout: 20_000 }).toBe('final');
  // Read-only now.
  await expect(report.getByLabel('Root cause').getAttribute('readonly')).resolves.not.toBeNull();
  const [audit] = await sql<{ text_sha256: string; pdf_sha256: string; name: string }[]>`
    select details -> 'after' ->> 'text_sha256' as text_sha256, details -> 'after' ->> 'pdf_sha256' as pdf_sha256, details -> 'after' ->> 'name' as name
    from public.audit_log where action = 'command.incident.finish' and subject_id = ${o.incidentId}`;
  expect(audit?.text_sha256).toMatch(/^[0-9a-f]{64}$/);
  const name = `incident_${melbourneDay(o.startedAt)}_${o.file}`;
  expect(audit!.name).toBe(name);
  const files = page.getByLabel('Archived files');
  await expect(files.getByText(`SHA-256 ${audit!.text_sha256}`).count()).resolves.toBe(1);
  await expect(files.getByText(`SHA-256 ${audit!.pdf_sha256}`).count()).resolves.toBe(1);
  await look(page, `playbook-${o.kind}-final`);

  // The text file, from the keyboard.
  await page.getByRole('button', { name: 'Export as text' }).focus();
  const [txt] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(txt.suggestedFilename()).toBe(`${name}.txt`);
  const txtPath = join(SCREENS_DIR, `playbook-${o.kind}-report.txt`);
  await txt.saveAs(txtPath);
  const textBytes = await readFile(txtPath);
  expect(sha256(textBytes)).toBe(audit!.text_sha256);
  const text = textBytes.toString('utf8');
  for (const s of o.expectInText) expect(text).toContain(s);

  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as PDF' }).click()]);
  expect(pdf.suggestedFilename()).toBe(`${name}.pdf`);
  const pdfPath = join(SCREENS_DIR, `playbook-${o.kind}-report.pdf`);
  await pdf.saveAs(pdfPath);
  expect(sha256(await readFile(pdfPath))).toBe(audit!.pdf_sha256);
  const png = join(SCREENS_DIR, `playbook-${o.kind}-report`);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', pdfPath, png]);
  expect(existsSync(`${png}.png`)).toBe(true);
  // Each export says so with its SHA-256 in a notice; then the operator dismisses them.
  const notices = page.getByRole('status').filter({ has: page.getByRole('button', { name: 'Dismiss message' }) });
  await notices.filter({ hasText: `Saved ${name}.txt (SHA-256 ${audit!.text_sha256})` }).waitFor();
  await notices.filter({ hasText: `Saved ${name}.pdf (SHA-256 ${audit!.pdf_sha256})` }).waitFor();
  await screenshot(page, `playbook-${o.kind}-exported`);
  while ((await page.getByRole('button', { name: 'Dismiss message' }).count()) > 0) await page.getByRole('button', { name: 'Dismiss message' }).first().click();
  return { text, pdfText: execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' }) };
}

/** The alert shows RED on the Alerts screen after a sync; its "Open playbook" opens the playbook's screen. */
async function openFromAlert(page: Page, message: string, title: string, section: string, shotName: string) {
  await syncNow(page);
  await goTo(page, 'Alerts & activity');
  const item = alertItem(page, message);
  await item.waitFor({ timeout: 20_000 });
  await expect(item.getByText('RED', { exact: true }).count()).resolves.toBe(1);
  await look(page, shotName);
  await item.getByRole('button', { name: `Open playbook: ${title}` }).click();
  await page.getByRole('heading', { name: `Playbook ${section}: ${title}`, level: 1 }).waitFor({ timeout: 20_000 });
}

describe('the money playbooks', () => {
  it('4.2 Stripe webhook failed: from the RED orphaned_charge alert to the placement, the email, the webhook tested, the report exported', async () => {
    const { page, sql } = world;
    const planted = await plantWebhookFailed(stack);
    const [alert] = await sql<{ id: string; message: string; opened_at: Date }[]>`
      select id, message, opened_at from public.alerts where kind = 'orphaned_charge' and subject = ${planted.paymentId} and resolved_at is null`;
    expect(alert).toBeDefined();

    await openFromAlert(page, alert!.message, 'Stripe webhook failed', '4.2', 'playbook-webhook-alert');
    const [run] = await sql<{ id: string }[]>`select id from public.incidents where playbook = 'webhook_failed' and status = 'draft'`;
    expect(run).toBeDefined();
    const incidentId = run!.id;
    await page.getByText(/^Read at /).waitFor();
    await look(page, 'playbook-webhook-open');

    // Step 1: every orphaned charge (not only the one complained about), each with Stripe's state, asked now.
    const orphans = await sql<{ name: string }[]>`
      select b.name from public.orphaned_payments o join public.businesses b on b.id = o.business_id`;
    expect(orphans.length).toBeGreaterThanOrEqual(1);
    const verify = step(page, 'Find every charge without its placement');
    const charges = verify.getByRole('table', { name: 'Charges without their placement' });
    await charges.waitFor({ timeout: 20_000 });
    await expect(charges.getByRole('row').count()).resolves.toBe(orphans.length + 1);
    for (const o of orphans) await expect(charges.getByRole('row').filter({ hasText: o.name }).count()).resolves.toBeGreaterThanOrEqual(1);
    const mine = charges.getByRole('row').filter({ hasText: planted.business });
    await expect(mine.getByRole('cell', { name: 'succeeded', exact: true }).count()).resolves.toBe(1);
    await expect(mine.getByRole('cell', { name: '$22.00' }).count()).resolves.toBe(1);
    await verify.getByRole('button', { name: 'Mark as verified' }).click();
    await stepDone(page, 'Find every charge without its placement');
    await screenshot(page, 'playbook-webhook-1-verify');

    // Step 2: the placement, previewed, confirmed from the keyboard (Cancel has the focus; Tab to Activate, Enter).
    const activate = step(page, 'Create the missing placements');
    await activate.getByRole('button', { name: `Activate ${planted.business}` }).click();
    const preview = page.getByRole('dialog', { name: `Activate ${planted.business}?` });
    await preview.getByText(/creates the featured placement/).waitFor();
    await look(page, 'playbook-webhook-2-preview');
    await page.keyboard.press('Tab');
    await expect.poll(() => preview.getByRole('button', { name: 'Activate', exact: true }).evaluate((b) => b === b.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await stepDone(page, 'Create the missing placements');
    const landed = await sql<{ kind: string }[]>`
      select 'placement' as kind from public.featured_placements where payment_id = ${planted.paymentId}
      union all select 'queue' from public.featured_queue where payment_id = ${planted.paymentId}`;
    expect(landed.length).toBe(1);
    await screenshot(page, 'playbook-webhook-2-activated');

    // Step 3: Stripe's state of what is left, and the sweep for charges never recorded here.
    const cross = step(page, 'Cross-check with Stripe');
    await expect(cross.getByRole('row').filter({ hasText: planted.business }).count()).resolves.toBe(0);
    await cross.getByRole('button', { name: 'Recover missed charges from Stripe' }).click();
    await stepDone(page, 'Cross-check with Stripe');
    await expect(cross.getByText(/^Done$/).count()).resolves.toBe(1);
    await screenshot(page, 'playbook-webhook-3-stripe');

    // Step 4: the trainer emailed that the placement is active (the activation queued the email itself).
    const email = step(page, 'Email the trainers');
    await email.getByText(`${planted.business}: featured until`, { exact: false }).waitFor();
    await email.getByText('Emailed that it is active.', { exact: false }).waitFor({ timeout: 20_000 });
    const emails = await sql<{ to_email: string }[]>`
      select e.to_email from public.email_outbox e
      join public.featured_placements fp on e.dedupe_key = 'featured_activated:' || fp.id
      where fp.payment_id = ${planted.paymentId} and e.template = 'featured_activated'`;
    expect(emails.length).toBe(1);
    await email.getByRole('button', { name: 'Mark as emailed' }).click();
    await stepDone(page, 'Email the trainers');
    await screenshot(page, 'playbook-webhook-4-email');

    // Step 5: the other charges in the last 24 h, and the webhook endpoint's health now through the real stripe-webhook function.
    const investigate = step(page, 'Check other charges and the webhook now');
    const [recent] = await sql<{ n: number }[]>`
      select count(*)::int as n from public.orphaned_payments where paid_at > now() - interval '24 hours'`;
    const last24h = recent!.n;
    await investigate.getByText(`Other charges in the last 24 h: ${last24h}`, { exact: true }).waitFor();
    await investigate.getByRole('button', { name: 'Test the webhook now' }).click();
    const test = investigate.getByLabel('Webhook test');
    await test.waitFor({ timeout: 20_000 });
    await test.getByText('200 (healthy)').waitFor();
    const [health] = await sql<{ id: string }[]>`
      select id from public.stripe_events where id like 'evt_health_check_%' and received_at > now() - interval '5 minutes'`;
    expect(health).toBeDefined();
    await look(page, 'playbook-webhook-5-webhook-test');
    await investigate.getByRole('button', { name: 'Mark as checked' }).click();
    await stepDone(page, 'Check other charges and the webhook now');
    const steps = await sql<{ step: string }[]>`select step from public.incident_steps where incident_id = ${incidentId} order by id`;
    expect(steps.map((s) => s.step)).toEqual(['verify', 'activate', 'stripe', 'email', 'investigate']);

    // The alerts refresh: the orphaned_charge alert is resolved, and gone from the console after Sync now.
    await refreshAlerts(stack);
    const [resolved] = await sql<{ resolved_at: Date | null }[]>`select resolved_at from public.alerts where id = ${alert!.id}`;
    expect(resolved!.resolved_at).not.toBeNull();
    await syncNow(page);
    await goTo(page, 'Alerts & activity');
    await page.getByRole('heading', { name: /^Open alerts/ }).waitFor();
    await expect.poll(() => alertItem(page, alert!.message).count(), { timeout: 20_000 }).toBe(0);
    // Titled by the playbook and when its alert opened (the alert's words are the Detection).
    const title = (await sql<{ title: string }[]>`select title from public.incidents where playbook = 'webhook_failed' and status = 'draft'`)[0]!.title;
    expect(title).toMatch(/^Stripe webhook failed, \d{1,2} [A-Z][a-z]{2} \d{4}, /);
    await look(page, 'playbook-webhook-alert-resolved');
    await page.getByRole('button', { name: `Resume: ${title}` }).click();
    await page.getByRole('heading', { name: 'Playbook 4.2: Stripe webhook failed', level: 1 }).waitFor({ timeout: 20_000 });

    // The report, pre-filled from the timeline.
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByText(`RED alert opened: ${alert!.message}`).waitFor({ timeout: 20_000 });
    await timeline.getByText('Alert resolved: the condition is no longer seen').waitFor();
    const report = page.getByRole('form', { name: 'Incident report' });
    await expect(report.getByLabel('Detection').inputValue()).resolves.toBe(`Dashboard alert: ${alert!.message}`);
    const response = await report.getByLabel('Response').inputValue();
    expect(response).toContain('- Find every charge without its placement: done');
    expect(response).toContain('- Create the missing placements: done');
    expect(response).toContain('- Email the trainers: done');
    await expect(report.getByLabel('End (ISO time; empty while unresolved)').inputValue()).resolves.not.toBe('');
    await look(page, 'playbook-webhook-report');

    const { text, pdfText } = await finishAndExport(page, {
      incidentId,
      kind: 'webhook',
      file: 'webhook-failed',
      startedAt: alert!.opened_at,
      expectInText: [title, `Dashboard alert: ${alert!.message}`, 'Create the missing placements: done', `RED alert opened: ${alert!.message}`],
    });
    expect(text).toMatch(/Report finished by/);
    expect(pdfText).toContain('Stripe webhook failed');
  }, 240_000);

  it('4.3 the daily job failed all 5 attempts: class B with its advice, the impact, Run now, the numbers after, the report exported; reopening resumes', async () => {
    const { page, sql } = world;
    const planted = await plantCronFailed(stack);
    expect(planted.attempts.map((a) => a.status)).toEqual(['failure', 'failure', 'failure', 'failure', 'failure']);
    const [alert] = await sql<{ id: string; message: string; opened_at: Date }[]>`
      select id, message, opened_at from public.alerts where kind = 'cron_failed' and resolved_at is null`;
    expect(alert).toBeDefined();

    await openFromAlert(page, alert!.message, 'Daily job failed all attempts', '4.3', 'playbook-cron-alert');
    const drafts = async () => sql<{ id: string }[]>`select id from public.incidents where playbook = 'cron_failed' and status = 'draft'`;
    const [run] = await drafts();
    expect(run).toBeDefined();
    const incidentId = run!.id;
    await look(page, 'playbook-cron-open');

    // Step 1: the error, classed B (lock timeout), with the spec's advice.
    const error = step(page, 'Understand the error');
    await error.getByText('canceling statement due to lock timeout').waitFor({ timeout: 20_000 });
    await error.getByText('B: lock timeout').waitFor();
    await error.getByText(/Another process held a lock the job needed.*Wait 5 minutes/).waitFor();
    await error.getByRole('button', { name: 'Mark as understood' }).click();
    await stepDone(page, 'Understand the error');
    await screenshot(page, 'playbook-cron-1-error');

    // Opening the same alert's playbook again resumes the same run.
    await goTo(page, 'Alerts & activity');
    await alertItem(page, alert!.message).getByRole('button', { name: 'Open playbook: Daily job failed all attempts' }).click();
    await page.getByRole('heading', { name: 'Playbook 4.3: Daily job failed all attempts', level: 1 }).waitFor({ timeout: 20_000 });
    await stepDone(page, 'Understand the error');
    expect((await drafts()).map((d) => d.id)).toEqual([incidentId]);

    // Step 2: the impact, in numbers.
    const impact = step(page, 'Assess the impact');
    const facts = await impact.getByRole('term').allTextContents();
    const values = await impact.getByRole('definition').allTextContents();
    const fact = (label: string) => Number(values[facts.indexOf(label)]);
    expect(fact('Placements past their end, not yet expired')).toBeGreaterThanOrEqual(2);
    expect(fact('Purchases waiting in the queue')).toBeGreaterThanOrEqual(1);
    expect(fact('Could be promoted now')).toBeGreaterThanOrEqual(1);
    await impact.getByRole('button', { name: 'Mark as assessed' }).click();
    await stepDone(page, 'Assess the impact');
    await screenshot(page, 'playbook-cron-2-impact');

    // Step 3: Run now, previewed, confirmed.
    const runStep = step(page, 'Run the job now');
    await runStep.getByRole('button', { name: 'Run the daily job now' }).click();
    const preview = page.getByRole('dialog', { name: 'Run the daily job now?' });
    await preview.getByText(/expires \d+ placements past their end/).waitFor();
    await look(page, 'playbook-cron-3-preview');
    await preview.getByRole('button', { name: 'Run now' }).click();
    await stepDone(page, 'Run the job now');
    const manual = await sql<{ status: string }[]>`
      select status from public.cron_jobs where job_name = 'featured-expiry-and-promotion' and trigger = 'manual' and status = 'success'`;
    expect(manual.length).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'playbook-cron-3-ran');

    // Step 4: what the run did, as numbers (read again).
    await page.getByRole('button', { name: 'Refresh' }).click();
    const verify = step(page, 'Verify the run');
    await expect
      .poll(
        async () => {
          const t = await verify.getByRole('term').allTextContents();
          const v = await verify.getByRole('definition').allTextContents();
          return Number(v[t.indexOf('Promoted today')]);
        },
        { timeout: 20_000 },
      )
      .toBeGreaterThanOrEqual(1);
    await verify.getByRole('button', { name: 'Mark as verified' }).click();
    await stepDone(page, 'Verify the run');
    await screenshot(page, 'playbook-cron-4-verify');

    // Step 5: the next scheduled run.
    const next = step(page, 'Check the next scheduled run');
    await next.getByText(/^Next scheduled run: /).waitFor();
    await next.getByRole('button', { name: 'Mark as checked' }).click();
    await stepDone(page, 'Check the next scheduled run');
    await screenshot(page, 'playbook-cron-5-next');

    // The alert resolved by the job's own successful run.
    const [resolved] = await sql<{ resolved_at: Date | null }[]>`select resolved_at from public.alerts where id = ${alert!.id}`;
    expect(resolved!.resolved_at).not.toBeNull();
    await syncNow(page);
    await goTo(page, 'Alerts & activity');
    await page.getByRole('heading', { name: /^Open alerts/ }).waitFor();
    await expect.poll(() => alertItem(page, alert!.message).count(), { timeout: 20_000 }).toBe(0);
    const title = (await sql<{ title: string }[]>`select title from public.incidents where playbook = 'cron_failed' and status = 'draft'`)[0]!.title;
    expect(title).toMatch(/^Daily job failed all attempts, \d{1,2} [A-Z][a-z]{2} \d{4}, /);
    await page.getByRole('button', { name: `Resume: ${title}` }).click();
    await page.getByRole('heading', { name: 'Playbook 4.3: Daily job failed all attempts', level: 1 }).waitFor({ timeout: 20_000 });

    const report = page.getByRole('form', { name: 'Incident report' });
    await page.getByRole('list', { name: 'Timeline' }).getByText('Alert resolved: the condition is no longer seen').waitFor({ timeout: 20_000 });
    await expect(report.getByLabel('Detection').inputValue()).resolves.toBe(`Dashboard alert: ${alert!.message}`);
    const response = await report.getByLabel('Response').inputValue();
    expect(response).toContain('- Understand the error: done');
    expect(response).toContain('- Run the job now: done');
    await look(page, 'playbook-cron-report');

    const { text } = await finishAndExport(page, {
      incidentId,
      kind: 'cron',
      file: 'cron-failed',
      startedAt: alert!.opened_at,
      expectInText: [title, `Dashboard alert: ${alert!.message}`, 'Run the job now: done', `RED alert opened: ${alert!.message}`],
    });
    expect(text).toMatch(/Report finished by/);
    expect((await drafts()).length).toBe(0);
  }, 240_000);
});
