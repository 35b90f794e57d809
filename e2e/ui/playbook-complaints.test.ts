// Playbooks 4.4 (queue position dispute) and 4.5 (high refund rate) in real
// Chromium, on their planted conditions (the demo plants: rows backdated and
// the alerts refresh called, never a wait on the scheduler). The queue
// dispute opens from the trainer's complaint while the RED queue alert is
// open: the queue data read, the order checked (out of order), the position
// and ETA emailed, the escalation recorded, the first step skipped with a
// reason by keyboard, the alert resolved on the Alerts screen, the report
// pre-filled from the timeline, finished and exported as text and PDF (their
// SHA-256 in the audit entry). The refund playbook opens from its YELLOW
// alert, reads the refund pattern, flags the repeat refunder, documents it for
// the product team, resumes from the command palette by name (the same run)
// and ends the same way. Screenshots of every step, axe on each screen state.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantQueueOutOfOrder, plantRefundRate } from '../../server-functions/local/demo/incidents.ts';
import { axeViolations, goTo, SCREENS_DIR, screenshot, startSignedInWorld, type UiWorld } from './harness.ts';

let world: UiWorld;
beforeAll(async () => {
  world = await startSignedInWorld();
}, 180_000);
afterAll(async () => world?.close());

const demo = () => ({ sql: world.sql, info: world.stack.info });
const syncNow = (page: Page) => page.getByRole('button', { name: 'Sync now' }).first().click();
const step = (page: Page, title: string) => page.getByRole('listitem', { name: title });
const shot = async (page: Page, name: string, axe = true) => {
  if (axe) expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, name);
};
/** The Melbourne calendar day of an instant, as the report's file name writes it. */
const melbourneDay = (at: Date | string) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Melbourne' }).format(new Date(at));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The report finished from its pre-filled form, then saved as text and PDF; checks both against the audit entry's SHA-256. */
async function finishAndExport(page: Page, incidentId: string, kind: string, file: string) {
  const { sql } = world;
  const form = page.getByRole('form', { name: 'Incident report' });
  await page.getByRole('button', { name: 'Finish the report' }).click();
  const confirm = page.getByRole('dialog', { name: 'Finish the incident report?' });
  await confirm.waitFor();
  await shot(page, `playbook-${kind}-finish-confirm`);
  await confirm.getByRole('button', { name: 'Finish', exact: true }).click();
  await page.getByRole('button', { name: 'Export as text' }).waitFor({ timeout: 20_000 });
  await expect(form.getByRole('textbox', { name: 'Root cause', exact: true }).getAttribute('readonly')).resolves.not.toBeNull();
  const [incident] = await sql<{ status: string; started_at: Date; report_name: string; report_text_sha256: string; report_pdf_sha256: string }[]>`
    select status, started_at, report_name, report_text_sha256, report_pdf_sha256 from public.incidents where id = ${incidentId}`;
  expect(incident!.status).toBe('final');
  const name = `incident_${melbourneDay(incident!.started_at)}_${file}`;
  expect(incident!.report_name).toBe(name);
  const [audit] = await sql<{ details: { after: { status: string; text_sha256: string; pdf_sha256: string } } }[]>`
    select details from public.audit_log where action = 'command.incident.finish' and subject_id = ${incidentId}`;
  expect(audit!.details.after).toMatchObject({ status: 'final', text_sha256: incident!.report_text_sha256, pdf_sha256: incident!.report_pdf_sha256 });
  const archived = page.getByRole('definition').filter({ hasText: /^SHA-256 / });
  await expect(archived.allTextContents()).resolves.toEqual([`SHA-256 ${incident!.report_text_sha256}`, `SHA-256 ${incident!.report_pdf_sha256}`]);
  await shot(page, `playbook-${kind}-final`);

  const [txt] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as text' }).click()]);
  expect(txt.suggestedFilename()).toBe(`${name}.txt`);
  const txtPath = join(SCREENS_DIR, `playbook-${kind}-${name}.txt`);
  await txt.saveAs(txtPath);
  const text = await readFile(txtPath);
  expect(sha256(text)).toBe(audit!.details.after.text_sha256);

  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as PDF' }).click()]);
  expect(pdf.suggestedFilename()).toBe(`${name}.pdf`);
  const pdfPath = join(SCREENS_DIR, `playbook-${kind}-${name}.pdf`);
  await pdf.saveAs(pdfPath);
  expect(sha256(await readFile(pdfPath))).toBe(audit!.details.after.pdf_sha256);
  const png = join(SCREENS_DIR, `playbook-${kind}-report`);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', pdfPath, png]);
  expect(existsSync(`${png}.png`)).toBe(true);
  // The PDF's words, its wrapped lines joined.
  const pdfText = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  return { text: text.toString('utf8'), pdfText };
}

describe('playbooks opened from complaints and business alerts', () => {
  it('4.4 queue position dispute: from the complaint, the order found wrong, the trainer emailed, escalated, the alert resolved, the report finished and exported', async () => {
    const { page, sql } = world;
    const plant = await plantQueueOutOfOrder(demo());
    const [alert] = plant.alerts;
    expect(alert).toMatchObject({ severity: 'RED', kind: 'queue_out_of_order', subject: plant.councilId });
    const [waiting] = await sql<{ email: string; council: string }[]>`
      select p.email, c.name as council from public.businesses b join public.profiles p on p.id = b.owner_id
      join public.councils c on c.id = b.council_id where b.id = ${plant.waiting.businessId}`;

    // The RED alert, after a sync.
    await syncNow(page);
    await goTo(page, 'Alerts & activity');
    const alertItem = page.getByRole('listitem').filter({ hasText: alert!.message });
    await alertItem.waitFor({ timeout: 20_000 });
    await expect(alertItem.getByText('RED', { exact: true }).count()).resolves.toBe(1);
    await expect(alertItem.getByRole('button', { name: 'Open playbook: Queue position dispute' }).count()).resolves.toBe(1);
    await shot(page, 'playbook-queue-alert');

    // Opened from the trainer's complaint.
    await goTo(page, 'Complaints');
    const complaint = page.getByRole('listitem', { name: `Queue position: ${plant.waiting.business}` });
    await complaint.getByText(/^I paid first!/).waitFor({ timeout: 20_000 });
    await shot(page, 'playbook-queue-complaint');
    await complaint.getByRole('button', { name: 'Open playbook: Queue position dispute' }).click();
    await page.getByRole('heading', { name: 'Playbook 4.4: Queue position dispute', level: 1 }).waitFor({ timeout: 20_000 });
    const [run] = await sql<{ id: string; signal_kind: string; signal_id: string }[]>`
      select id, signal_kind, signal_id from public.incidents where playbook = 'queue_dispute' and status = 'draft'`;
    expect(run).toMatchObject({ signal_kind: 'complaint', signal_id: plant.complaintId });
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByText(`Trainer complaint from ${plant.waiting.business}: "I paid first!`, { exact: false }).waitFor();
    await expect(page.getByRole('heading', { name: 'Evidence now', level: 2 }).count()).resolves.toBe(1);
    await shot(page, 'playbook-queue-opened');

    // Step 1: the waiting trainer's queue data, read live.
    const verify = step(page, 'Verify the queue data');
    await verify.getByRole('button', { name: 'Read the queue data' }).click();
    await verify
      .getByText(new RegExp(`^${plant.waiting.business} \\(${waiting!.council}\\): queue position #1, paid \\d+ \\w+ \\d{4}, estimated start`))
      .waitFor({ timeout: 20_000 });
    await shot(page, 'playbook-queue-data');

    // ... and skipped with its reason, from the keyboard: the order check in step 2 compares the payment times.
    await verify.getByRole('button', { name: 'Skip…' }).focus();
    await page.keyboard.press('Enter');
    const skip = page.getByRole('dialog', { name: 'Skip “Verify the queue data”' });
    await skip.waitFor();
    await expect(
      skip.getByRole('textbox', { name: 'Why is this step skipped? (kept in the timeline)' }).evaluate((e) => e === e.ownerDocument.activeElement),
    ).resolves.toBe(true);
    const reason = 'Position read above; the payment times are compared by the order check in step 2';
    await page.keyboard.type(reason);
    await shot(page, 'playbook-queue-skip-dialog');
    await page.keyboard.press('Tab'); // Cancel
    await page.keyboard.press('Tab'); // Skip the step
    await page.keyboard.press('Enter');
    await verify.getByText(`Skipped: ${reason}`).waitFor({ timeout: 20_000 });
    await timeline.getByText(`Step 1 "Verify the queue data" skipped: ${reason}`).waitFor();
    expect(await sql`select outcome, note from public.incident_steps where incident_id = ${run!.id} and step = 'verify'`).toEqual([
      { outcome: 'skipped', note: reason },
    ]);

    // Step 2: the order checked: out of order, the later payer featured ahead of the waiting one.
    const order = step(page, 'Check the queue is in payment order');
    await order.getByRole('button', { name: 'Check the queue order' }).click();
    await order.getByText('Out of order', { exact: true }).waitFor({ timeout: 20_000 });
    await expect(
      order
        .getByText(
          new RegExp(
            `Queue position out of order in ${waiting!.council}\\. ${plant.waiting.business} paid .*, before ${plant.ahead.business} \\(paid .*\\), but`,
          ),
        )
        .count(),
    ).resolves.toBe(1);
    await order.getByText('Done', { exact: true }).waitFor({ timeout: 20_000 });
    // The report below follows the run as it goes (pre-filled, not yet edited), without leaving the screen.
    const form = page.getByRole('form', { name: 'Incident report' });
    await expect
      .poll(() => form.getByRole('textbox', { name: 'Response', exact: true }).inputValue(), { timeout: 20_000 })
      .toMatch(/^- Verify the queue data: skipped .*\n- Check the queue is in payment order: done \(Data integrity issue/);
    await shot(page, 'playbook-queue-order');

    // Step 3: the position and ETA emailed to the waiting trainer.
    const email = step(page, 'Email the trainer');
    await email.getByRole('button', { name: 'Email the queue position and ETA' }).click();
    await email.getByText('Done', { exact: true }).waitFor({ timeout: 20_000 });
    const [mail] = await sql<{ body: string }[]>`
      select body_text as body from public.email_outbox where to_email = ${waiting!.email} and template = 'queue_position_reply'`;
    expect(mail!.body).toMatch(/You're currently position #1 in the queue for the .* region\./);
    expect(await sql`select outcome, command_type, command_status from public.incident_steps where incident_id = ${run!.id} and step = 'email'`).toEqual([
      { outcome: 'done', command_type: 'email.send', command_status: 'applied' },
    ]);
    await shot(page, 'playbook-queue-emailed');

    // Step 4: escalated, with who was told what.
    const escalate = step(page, 'Escalate if the order is wrong');
    const note = `Escalated to the product owner: ${plant.ahead.business} was activated ahead of ${plant.waiting.business}; fix the order or refund`;
    await escalate.getByRole('textbox', { name: 'Who it was escalated to, and what they were told' }).fill(note);
    await escalate.getByRole('button', { name: 'Record the escalation' }).click();
    await escalate.getByText('Done', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await sql`select outcome, note from public.incident_steps where incident_id = ${run!.id} and step = 'escalate'`).toEqual([
      { outcome: 'done', note },
    ]);
    await shot(page, 'playbook-queue-escalated');

    // The alert resolved the existing way: the Alerts screen's Resolve…, with a note; gone after a sync.
    await goTo(page, 'Alerts & activity');
    await page.getByRole('button', { name: `Resolve alert: ${alert!.message}` }).click();
    const resolve = page.getByRole('dialog', { name: 'Resolve alert' });
    await resolve.getByRole('textbox', { name: 'Resolution note (optional)' }).fill('Escalated to the product owner (playbook 4.4)');
    await shot(page, 'playbook-queue-resolve');
    await resolve.getByRole('button', { name: 'Resolve alert' }).click();
    await expect
      .poll(async () => (await sql`select resolved_at from public.alerts where kind = 'queue_out_of_order' and subject = ${plant.councilId}`)[0]?.resolved_at, {
        timeout: 30_000,
      })
      .not.toBeNull();
    await syncNow(page);
    await expect.poll(() => page.getByText(alert!.message).count(), { timeout: 20_000 }).toBe(0);
    await shot(page, 'playbook-queue-resolved');
    const [resolvedAlert] = await sql<{ resolved_at: Date }[]>`
      select resolved_at from public.alerts where kind = 'queue_out_of_order' and subject = ${plant.councilId}`;

    // Back to the run (resumed from the incident reports list): the alert's life in the timeline, the end pre-filled from it.
    await page.getByRole('button', { name: 'Resume: Queue position dispute', exact: false }).click();
    await page.getByRole('heading', { name: 'Playbook 4.4: Queue position dispute', level: 1 }).waitFor({ timeout: 20_000 });
    await timeline.getByText(`RED alert opened: ${alert!.message}`).waitFor({ timeout: 20_000 });
    await timeline.getByText('RED alert resolved', { exact: true }).waitFor();
    await expect(form.getByRole('textbox', { name: 'End (ISO time; empty while unresolved)', exact: true }).inputValue()).resolves.toBe(
      resolvedAlert!.resolved_at.toISOString(),
    );

    // The trainer's complaint closed from the dossier the playbook opens (the complaint beside it).
    await step(page, 'Verify the queue data').getByRole('button', { name: 'Open the dossier' }).click();
    await page.getByRole('heading', { name: /^Complaint: Queue position/, level: 2 }).waitFor({ timeout: 20_000 });
    await page.getByRole('article', { name: plant.waiting.business }).waitFor({ timeout: 20_000 });
    const closing = 'Queue out of order: position and ETA emailed, escalated to the product owner (playbook 4.4)';
    await page.getByRole('textbox', { name: 'What was done (the log line)' }).fill(closing);
    await shot(page, 'playbook-queue-dossier');
    await page.getByRole('button', { name: 'Close complaint' }).click();
    await expect
      .poll(async () => (await sql`select status from public.complaints where id = ${plant.complaintId}`)[0]?.status, { timeout: 30_000 })
      .toBe('closed');

    // Back by name from the command palette: the same run.
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.getByRole('combobox', { name: 'Command' }).fill('queue position');
    await palette.getByRole('option', { name: 'Playbook: Queue position dispute' }).click();
    await page.getByRole('heading', { name: 'Playbook 4.4: Queue position dispute', level: 1 }).waitFor({ timeout: 20_000 });
    await timeline.getByText(`Complaint closed: ${closing}`).waitFor({ timeout: 20_000 });
    expect(await sql`select id from public.incidents where playbook = 'queue_dispute'`).toEqual([{ id: run!.id }]);
    const [closed] = await sql<{ closed_at: Date }[]>`select closed_at from public.complaints where id = ${plant.complaintId}`;
    await expect(form.getByRole('textbox', { name: 'End (ISO time; empty while unresolved)', exact: true }).inputValue()).resolves.toBe(
      closed!.closed_at.toISOString(),
    );

    // The report pre-filled from the timeline.
    await expect(form.getByRole('textbox', { name: 'Detection', exact: true }).inputValue()).resolves.toContain(
      `Trainer complaint from ${plant.waiting.business}: "I paid first!`,
    );
    const response = await form.getByRole('textbox', { name: 'Response', exact: true }).inputValue();
    expect(response).toContain(`- Verify the queue data: skipped (${reason})`);
    expect(response).toMatch(/- Check the queue is in payment order: done \(Data integrity issue: Queue position out of order/);
    expect(response).toMatch(/- Email the trainer: done, .* — applied/);
    expect(response).toContain(`- Escalate if the order is wrong: done (${note})`);
    await expect(form.getByRole('textbox', { name: 'Root cause', exact: true }).inputValue()).resolves.toBe('Trainer question about their queue position');
    // The operator corrects what the run found: this was not a mere question.
    await form
      .getByRole('textbox', { name: 'Root cause', exact: true })
      .fill(`${plant.ahead.business}'s missed payment was activated by hand in a full council, ahead of the queue`);
    await form
      .getByRole('textbox', { name: 'User impact', exact: true })
      .fill(`${plant.waiting.business} kept waiting while a later payer was featured (trust, fairness)`);
    await shot(page, 'playbook-queue-report-form');

    const files = await finishAndExport(page, run!.id, 'queue', 'queue-dispute');
    for (const t of [files.text, files.pdfText]) {
      expect(t).toContain('Queue position dispute');
      expect(t).toContain('missed payment was activated by hand in a full council');
      expect(t).toContain(`Step 1 "Verify the queue data" skipped: ${reason}`);
      expect(t).toContain('RED alert resolved');
      expect(t).toContain(`Complaint closed: ${closing}`);
      expect(t).toContain('Report finished');
    }
    expect(files.text).toMatch(/Start time: \d{4}-\d{2}-\d{2} \d{2}:\d{2} AE[DS]T/);
  }, 240_000);

  it('4.5 high refund rate: from the YELLOW alert, the pattern read, the repeat refunder flagged, documented, resumed from the palette, the report finished and exported', async () => {
    const { page, sql } = world;
    const plant = await plantRefundRate(demo());
    const [alert] = plant.alerts;
    expect(alert).toMatchObject({ severity: 'YELLOW', kind: 'refund_rate' });
    expect(plant.rate.ratePct).toBeGreaterThan(15);

    await syncNow(page);
    await goTo(page, 'Alerts & activity');
    const alertItem = page.getByRole('listitem').filter({ hasText: alert!.message });
    await alertItem.waitFor({ timeout: 20_000 });
    await expect(alertItem.getByText('YELLOW', { exact: true }).count()).resolves.toBe(1);
    await shot(page, 'playbook-refunds-alert');
    // From the keyboard.
    await alertItem.getByRole('button', { name: 'Open playbook: High refund rate' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Playbook 4.5: High refund rate', level: 1 }).waitFor({ timeout: 20_000 });
    const [run] = await sql<{ id: string; signal_kind: string; signal_id: string }[]>`
      select id, signal_kind, signal_id from public.incidents where playbook = 'refund_rate' and status = 'draft'`;
    expect(run!.signal_kind).toBe('alert');
    await shot(page, 'playbook-refunds-opened');

    // Step 1: the refund pattern, with its findings.
    const analyze = step(page, 'Analyze the refund pattern');
    const region = analyze.getByRole('region', { name: 'Refund pattern, last 7 days (playbook 5)' });
    await region.getByRole('button', { name: 'Analyze the refund pattern' }).click();
    const findings = region.getByRole('list', { name: 'Findings' });
    await findings
      .getByText(`Refund rate ${plant.rate.ratePct}% over 7 days (${plant.rate.refunds} refunds of ${plant.rate.purchases} purchases), above the 15% line`, {
        exact: false,
      })
      .waitFor({ timeout: 20_000 });
    await expect(findings.getByText(/Riley Repeat .*: 2 refunds of 2 purchases in 7 days \(every purchase refunded\): possible abuse/).count()).resolves.toBe(
      1,
    );
    await shot(page, 'playbook-refunds-pattern');
    await analyze.getByRole('button', { name: 'Mark as analyzed' }).click();
    await analyze.getByText('Done', { exact: true }).waitFor({ timeout: 20_000 });

    // Step 2: the repeat refunder flagged for review.
    const act = step(page, 'Flag repeat refunders');
    await act.getByRole('button', { name: "Flag Riley Repeat's account for review" }).click();
    await act.getByText('Done', { exact: true }).waitFor({ timeout: 20_000 });
    await expect
      .poll(async () => (await sql`select account_status from public.profiles where id = ${plant.repeat.ownerId}`)[0]?.account_status, { timeout: 20_000 })
      .toBe('flagged_for_review');
    expect(await sql`select outcome, command_type, command_status from public.incident_steps where incident_id = ${run!.id} and step = 'act'`).toEqual([
      { outcome: 'done', command_type: 'account.flag', command_status: 'applied' },
    ]);
    await shot(page, 'playbook-refunds-flagged');

    // Step 3: the note for the product team, pre-written from the findings, recorded offline: the network drops,
    // the step is kept here and says it waits; the connection back, it lands once.
    const doc = step(page, 'Document for the product team');
    const noteBox = doc.getByRole('textbox', { name: 'Note for the product team' });
    await expect(noteBox.inputValue()).resolves.toMatch(new RegExp(`^Refund rate ${plant.rate.ratePct}% over 7 days`));
    await noteBox.fill(`${await noteBox.inputValue()} Riley Repeat flagged for review; consider a refund limit for new trainers.`);
    world.proxy.cut();
    await doc.getByRole('button', { name: 'Mark as documented' }).click();
    await doc.getByText('Done here: waiting to sync', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await sql`select 1 from public.incident_steps where incident_id = ${run!.id} and step = 'document'`).toEqual([]);
    await shot(page, 'playbook-refunds-documented-offline');
    world.proxy.restore();
    await syncNow(page);
    await doc.getByText('Done', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await sql`select count(*)::int as n from public.incident_steps where incident_id = ${run!.id} and step = 'document'`).toEqual([{ n: 1 }]);
    const [documented] = await sql<{ note: string }[]>`select note from public.incident_steps where incident_id = ${run!.id} and step = 'document'`;
    expect(documented!.note).toContain('consider a refund limit for new trainers');
    await shot(page, 'playbook-refunds-documented');

    // The rate stays above the line until these refunds leave the 7-day window: the operator resolves the alert with
    // what was done (playbook 4.5 step 3: monitor next week), the existing way. (The minute's refresh may raise it again:
    // only this alert's row is checked.)
    await goTo(page, 'Alerts & activity');
    await page.getByRole('button', { name: `Resolve alert: ${alert!.message}` }).click();
    const resolve = page.getByRole('dialog', { name: 'Resolve alert' });
    await resolve.getByRole('textbox', { name: 'Resolution note (optional)' }).fill('Repeat refunder flagged; monitoring next week (playbook 4.5)');
    await resolve.getByRole('button', { name: 'Resolve alert' }).click();
    await expect
      .poll(async () => (await sql`select resolved_at from public.alerts where kind = 'refund_rate' and opened_at = ${alert!.openedAt}`)[0]?.resolved_at, {
        timeout: 30_000,
      })
      .not.toBeNull();

    // Opened again by name from the command palette: the same run resumes.
    await syncNow(page);
    await goTo(page, 'Dashboard');
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.getByRole('combobox', { name: 'Command' }).fill('Playbook: High');
    await palette.getByRole('option', { name: 'Playbook: High refund rate' }).waitFor();
    await shot(page, 'playbook-refunds-palette');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Playbook 4.5: High refund rate', level: 1 }).waitFor({ timeout: 20_000 });
    await step(page, 'Document for the product team').getByText('Done', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await sql`select id from public.incidents where playbook = 'refund_rate'`).toEqual([{ id: run!.id }]);

    // The report pre-filled from the timeline.
    const form = page.getByRole('form', { name: 'Incident report' });
    await expect(form.getByRole('textbox', { name: 'Detection', exact: true }).inputValue()).resolves.toBe(`Dashboard alert: ${alert!.message}`);
    await expect.poll(() => form.getByRole('textbox', { name: /^End/ }).inputValue(), { timeout: 20_000 }).not.toBe('');
    const response = await form.getByRole('textbox', { name: 'Response', exact: true }).inputValue();
    expect(response).toMatch(/- Analyze the refund pattern: done \(/);
    expect(response).toMatch(/- Flag repeat refunders: done, .* — applied/);
    expect(response).toMatch(/- Document for the product team: done \(Refund rate/);
    await shot(page, 'playbook-refunds-report-form');

    const files = await finishAndExport(page, run!.id, 'refunds', 'refund-rate');
    for (const t of [files.text, files.pdfText]) {
      expect(t).toContain('High refund rate');
      expect(t).toContain('Repeat refunders flagged for review');
      expect(t).toContain('Report finished');
    }
  }, 240_000);
});
