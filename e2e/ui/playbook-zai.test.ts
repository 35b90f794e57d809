// Playbook 4.1 (Z.AI down) in real Chromium, as the operator works it: the
// Z.AI double failing with its failures backdated past 30 minutes (the demo
// plant), the RED alert after "Sync now", the playbook opened from it, the
// evidence (minutes failing, the recommendation), the switch to
// deterministic through its preview, the spec's four cases run live through
// the real emergency-triage function, the product team told; then Z.AI
// recovers, the re-test sees it, the switch back is offered and taken (the
// cases re-run through Z.AI), the alert resolves, the report pre-filled from
// the timeline is finished and exported as text and PDF (SHA-256s checked
// against the audit entry, the PDF rendered to a PNG and looked at).
// Second: the scheduled probe in the alerts refresh seeing recovery by itself.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { plantZaiDown } from '../../server-functions/local/demo/incidents.ts';
import { axeViolations, goTo, SCREENS_DIR, screenshot, startSignedInWorld, type UiWorld } from './harness.ts';

let world: UiWorld;
beforeAll(async () => {
  world = await startSignedInWorld();
}, 180_000);
afterAll(async () => world?.close());

const demoStack = () => ({ sql: world.sql, info: world.stack.info });

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The scheduler's alerts refresh, called now with the service role key. */
const alertsRefresh = () =>
  post(`${world.stack.info.FUNCTIONS_URL}/alerts-refresh`, { scope: 'all' }, { authorization: `Bearer ${world.stack.info.SERVICE_ROLE_KEY}` });

const aiMode = async () => (await world.sql<{ value: string }[]>`select value from public.feature_flags where key = 'AI_MODE'`)[0]?.value;

/** The screen as it is now: screenshot saved, no serious axe violations. */
async function shot(page: Page, step: string) {
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, `playbook-zai-${step}`);
}

/** The download a click starts, saved under the screens folder. */
async function download(page: Page, click: () => Promise<void>) {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = join(SCREENS_DIR, d.suggestedFilename());
  await d.saveAs(path);
  return { name: d.suggestedFilename(), path, bytes: await readFile(path) };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('playbook 4.1: Z.AI down', () => {
  it('from the RED alert to deterministic, the four cases live, recovery and the switch back, the report finished and exported', async () => {
    const { page, sql } = world;
    onTestFailed(async () => {
      // What the operator saw when it failed.
      await screenshot(page, 'playbook-zai-failure').catch(() => undefined);
      const body = page.locator('body');
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, line by line, is what helps here
      const seen = await body.innerText().catch(() => '');
      console.log(seen);
    });
    const { ZAI_DOUBLE_URL } = world.stack.info;
    expect(ZAI_DOUBLE_URL).toBeTruthy();
    expect(await aiMode()).toBe('z_ai');
    const planted = await plantZaiDown(demoStack());
    expect(planted.alerts.map((a) => [a.severity, a.kind])).toEqual([['RED', 'zai_down']]);
    const alertMessage = planted.alerts[0]!.message;
    expect(alertMessage).toMatch(/^Z\.AI down since .* \(4\d min\)/);

    // The alert, after a sync.
    await page.getByRole('button', { name: 'Sync now' }).first().click();
    await goTo(page, 'Alerts & activity');
    await page.getByText(alertMessage).waitFor({ timeout: 20_000 });
    await shot(page, '0-alert');
    await page.getByRole('button', { name: 'Open playbook: Z.AI down' }).click();
    await page.getByRole('heading', { name: 'Playbook 4.1: Z.AI down', level: 1 }).waitFor({ timeout: 20_000 });
    const [incident] = await sql<{ id: string; status: string; signal_kind: string }[]>`
      select id, status, signal_kind from public.incidents where playbook = 'zai_down'`;
    expect(incident).toMatchObject({ status: 'draft', signal_kind: 'alert' });

    // Evidence now: the minutes failing (≥ 30) and step 1's recommendation.
    const evidence = page.getByRole('region', { name: 'Evidence now' });
    const summary = evidence.getByText(/^Z\.AI has been failing for (\d+) minutes/);
    await summary.waitFor();
    const minutes = Number(/failing for (\d+) minutes/.exec((await summary.textContent()) ?? '')![1]);
    expect(minutes).toBeGreaterThanOrEqual(30);
    await expect(evidence.getByText(/Mode now: z_ai\. Failing over 30 minutes: switch to deterministic\./).count()).resolves.toBe(1);
    await expect(evidence.getByText(/^Read at /).count()).resolves.toBe(1);

    // Step 1: the facts, a re-test (still failing), confirmed.
    const step = (title: string) => page.getByRole('listitem', { name: title });
    const confirm = step('Confirm how long Z.AI has been failing');
    await expect(confirm.getByText(`${minutes} minutes, since`, { exact: false }).count()).resolves.toBe(1);
    await expect(confirm.getByText('Failing over 30 minutes: switch to deterministic.').count()).resolves.toBe(1);
    await confirm.getByRole('button', { name: 'Re-test Z.AI now' }).click();
    await confirm.getByText(/Re-tested .*: Z\.AI failed: /).waitFor({ timeout: 20_000 });
    await shot(page, '1-evidence');
    await confirm.getByRole('button', { name: 'Mark as confirmed' }).click();
    await confirm.getByText('Done', { exact: true }).waitFor({ timeout: 20_000 });

    // Step 2: the switch, previewed; confirmed from the keyboard (focus starts on Cancel).
    const switchStep = step('Switch the AI mode');
    await switchStep.getByRole('button', { name: 'Switch to deterministic' }).click();
    const preview = page.getByRole('dialog', { name: 'Switch the AI mode?' });
    await preview.getByText('This switches emergency triage from z_ai to deterministic for every visitor. Switch?').waitFor();
    await shot(page, '2-preview');
    await expect.poll(() => preview.getByRole('button', { name: 'Cancel' }).evaluate((b) => b.ownerDocument.activeElement === b)).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await switchStep.getByText('Done', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await aiMode()).toBe('deterministic');
    await evidence.getByText(/Mode now: deterministic\./).waitFor({ timeout: 20_000 });

    // Step 3: the four cases through the real emergency-triage function, in deterministic mode.
    const test = step('Test the fallback');
    const [{ sentAt }] = (await sql<{ sentAt: Date }[]>`select now() as "sentAt"`) as unknown as [{ sentAt: Date }];
    await test.getByRole('button', { name: 'Run the four test cases' }).click();
    // Right after the switch the server first waits for every triage instance to see it, and says so here.
    await test
      .getByRole('status')
      .getByText(/^Running the four cases… Right after a switch this waits up to 30 seconds/)
      .waitFor();
    await shot(page, '3-running');
    const cases = test.getByRole('table', { name: /^The four test cases in deterministic mode, run .*: all as expected$/ });
    await cases.waitFor({ timeout: 60_000 });
    for (const [text, expected] of [
      ['Bleeding from paw', 'medical'],
      ['Aggressive dog', 'crisis'],
      ['Lost dog', 'stray'],
      ["Won't listen", 'normal'],
    ]) {
      await expect(cases.getByRole('row', { name: `${text} ${expected} ${expected} Pass` }).count()).resolves.toBe(1);
    }
    await test.getByText('Done', { exact: true }).waitFor({ timeout: 20_000 });
    // The calls were real triage calls, answered by the rules in deterministic mode: none asked of Z.AI and fallen back.
    const logged = await sql<{ provider: string; fell_back: boolean; n: number }[]>`
      select provider, fell_back, count(*)::int as n from public.triage_logs where occurred_at >= ${sentAt} group by provider, fell_back`;
    expect(logged).toEqual([{ provider: 'deterministic', fell_back: false, n: 4 }]);
    await shot(page, '3-cases');

    // Step 4: the message, written from the facts, kept in the timeline.
    const notify = step('Tell the product team');
    const message = notify.getByRole('textbox', { name: 'Message to the product team' });
    await expect(message.inputValue()).resolves.toMatch(/Emergency triage now runs in deterministic mode/);
    await notify.getByRole('button', { name: 'Mark as told' }).click();
    await notify.getByText('Done', { exact: true }).waitFor({ timeout: 20_000 });
    const steps = await sql<{ step: string; outcome: string; command_type: string | null }[]>`
      select step, outcome, command_type from public.incident_steps where incident_id = ${incident!.id} order by id`;
    expect(steps).toEqual([
      { step: 'confirm', outcome: 'done', command_type: null },
      { step: 'switch', outcome: 'done', command_type: 'ai_mode.set' },
      { step: 'test', outcome: 'done', command_type: null },
      { step: 'notify', outcome: 'done', command_type: null },
    ]);
    await shot(page, '4-told');

    // Z.AI recovers: the re-test records a good health row, and the switch back is offered.
    expect((await post(`${ZAI_DOUBLE_URL}/__double/mode`, { mode: 'ok' })).status).toBe(200);
    const goodBefore = await sql<{ n: number }[]>`select count(*)::int as n from public.ai_provider_health where provider = 'z_ai' and ok`;
    await confirm.getByRole('button', { name: 'Re-test Z.AI now' }).click();
    await confirm.getByText(/Re-tested .*: Z\.AI answered well in \d+ ms\./).waitFor({ timeout: 20_000 });
    const goodAfter = await sql<{ n: number }[]>`select count(*)::int as n from public.ai_provider_health where provider = 'z_ai' and ok`;
    expect(goodAfter[0]!.n).toBeGreaterThan(goodBefore[0]!.n);
    const recover = step('Watch for recovery and switch back');
    await recover.getByText(/Last check: .*, answered well in \d+ ms\./).waitFor({ timeout: 20_000 });
    const back = recover.getByRole('button', { name: 'Z.AI answers again: switch back to z_ai' });
    await back.waitFor();
    await shot(page, '5-recovered');
    await back.click();
    const backPreview = page.getByRole('dialog', { name: 'Switch back to Z.AI?' });
    await backPreview.getByText('This switches emergency triage from deterministic to z_ai for every visitor. Switch?').waitFor();
    await backPreview.getByRole('button', { name: 'Switch back' }).click();
    await recover.getByText('Done', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await aiMode()).toBe('z_ai');
    // The cases re-run, now through Z.AI.
    const again = recover.getByRole('table', { name: /^The four test cases in z_ai mode, run .*: all as expected$/ });
    await again.waitFor({ timeout: 60_000 });
    await expect(again.getByRole('cell', { name: 'Pass' }).count()).resolves.toBe(4);
    // The earlier steps keep what they did: no second switch offered, step 3 not showing step 5's z_ai re-run as its own.
    await expect(switchStep.getByRole('button').count()).resolves.toBe(0);
    await expect(test.getByRole('table').count()).resolves.toBe(0);
    await expect(notify.getByRole('textbox', { name: 'Message to the product team' }).inputValue()).resolves.toMatch(/now runs in deterministic mode/);
    await shot(page, '6-switched-back');

    // The alerts refresh resolves zai_down; after a sync the console no longer lists it.
    expect((await alertsRefresh()).status).toBe(200);
    const [alert] = await sql<{ resolved_at: Date | null }[]>`select resolved_at from public.alerts where kind = 'zai_down' order by opened_at desc limit 1`;
    expect(alert!.resolved_at).not.toBeNull();
    await page.getByRole('button', { name: 'Sync now' }).first().click();
    await goTo(page, 'Alerts & activity');
    // (The incident reports list below keeps the run, titled after the alert: only the open alerts are looked at.)
    const openAlerts = page.getByRole('region', { name: /^Open alerts/ });
    await expect.poll(() => openAlerts.getByText(alertMessage).count(), { timeout: 20_000 }).toBe(0);
    await expect(page.getByRole('button', { name: 'Open playbook: Z.AI down' }).count()).resolves.toBe(0);
    await shot(page, '7-alert-gone');

    // Back to the run (the reports list resumes it): the report pre-filled from the timeline.
    await page.getByRole('button', { name: /^Resume: Z\.AI down/ }).click();
    await page.getByRole('heading', { name: 'Playbook 4.1: Z.AI down', level: 1 }).waitFor({ timeout: 20_000 });
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByText(/Z\.AI answered well again/).waitFor({ timeout: 20_000 });
    await expect(timeline.getByText(alertMessage, { exact: false }).count()).resolves.toBeGreaterThan(0);
    const report = page.getByRole('form', { name: 'Incident report' });
    await expect(report.getByLabel('Detection').inputValue()).resolves.toBe(`Dashboard alert: ${alertMessage}`);
    await expect(report.getByLabel('Cost impact').inputValue()).resolves.toMatch(/^-\$[\d.]+ \(saved \d+ Z\.AI calls? × \$0\.001\)$/);
    await expect(report.getByLabel('Resolution').inputValue()).resolves.toBe('Z.AI recovered, switched back');
    await expect(report.getByLabel('End (ISO time; empty while unresolved)').inputValue()).resolves.not.toBe('');
    const response = await report.getByLabel('Response').inputValue();
    expect(response).toMatch(/deterministic/);
    await shot(page, '8-report');

    const finishButton = page.getByRole('button', { name: 'Finish the report' });
    await finishButton.click();
    await page.getByRole('dialog', { name: 'Finish the incident report?' }).getByRole('button', { name: 'Finish' }).click();
    const files = page.getByRole('definition').filter({ hasText: /^SHA-256 / });
    await expect.poll(() => files.count(), { timeout: 20_000 }).toBe(2);
    const [final] = await sql<{ status: string; report_name: string; report_text_sha256: string; report_pdf_sha256: string }[]>`
      select status, report_name, report_text_sha256, report_pdf_sha256 from public.incidents where id = ${incident!.id}`;
    expect(final!.status).toBe('final');
    expect(final!.report_name).toMatch(/^incident_\d{4}-\d{2}-\d{2}_z-ai-down$/);
    const [audit] = await sql<{ text_sha256: string; pdf_sha256: string }[]>`
      select details -> 'after' ->> 'text_sha256' as text_sha256, details -> 'after' ->> 'pdf_sha256' as pdf_sha256
      from public.audit_log where action = 'command.incident.finish' and subject_id = ${incident!.id}`;
    expect(audit).toEqual({ text_sha256: final!.report_text_sha256, pdf_sha256: final!.report_pdf_sha256 });
    await shot(page, '9-final');

    // The spec's text file, then the PDF, their SHA-256s those of the audit entry.
    const text = await download(page, () => page.getByRole('button', { name: 'Export as text', exact: true }).click());
    expect(text.name).toBe(`${final!.report_name}.txt`);
    expect(sha256(text.bytes)).toBe(audit!.text_sha256);
    const body = text.bytes.toString('utf8');
    for (const line of [
      /^INCIDENT REPORT: /,
      /^Playbook: 4\.1 Z\.AI down \(RED\)$/m,
      /^Root cause: Z\.AI API degradation$/m,
      new RegExp(`^Detection: Dashboard alert: ${alertMessage.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'),
      /^Cost impact: -\$[\d.]+ \(saved \d+ Z\.AI calls? × \$0\.001\)$/m,
      /^TIMELINE \(Melbourne time\)$/m,
      /Z\.AI answered well again/,
      /Report finished by /,
    ]) {
      expect(body).toMatch(line);
    }
    const pdf = await download(page, () => page.getByRole('button', { name: 'Export as PDF', exact: true }).click());
    expect(pdf.name).toBe(`${final!.report_name}.pdf`);
    expect(sha256(pdf.bytes)).toBe(audit!.pdf_sha256);
    const png = join(SCREENS_DIR, 'playbook-zai-report');
    execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', pdf.path, png]);
    expect(existsSync(`${png}.png`)).toBe(true);
    expect(execFileSync('pdftotext', [pdf.path, '-'], { encoding: 'utf8' })).toContain('Z.AI API degradation');
  }, 300_000);

  it('the scheduled probe: while AI_MODE is not z_ai, the alerts refresh re-tests Z.AI at most once every 5 minutes', async () => {
    const { sql } = world;
    // Z.AI answers (the first test leaves it so; said again so this test stands alone).
    expect((await post(`${world.stack.info.ZAI_DOUBLE_URL}/__double/mode`, { mode: 'ok' })).status).toBe(200);
    await sql`update public.feature_flags set value = 'deterministic' where key = 'AI_MODE'`;
    // The last Z.AI record 6 minutes old: the probe is due.
    await sql`
      update public.ai_provider_health set checked_at = checked_at - ((select now() - max(checked_at) from public.ai_provider_health where provider = 'z_ai') + interval '6 minutes')
      where provider = 'z_ai'`;
    const count = async () => (await sql<{ n: number }[]>`select count(*)::int as n from public.ai_provider_health where provider = 'z_ai'`)[0]!.n;
    const before = await count();
    const first = await alertsRefresh();
    expect(first.status).toBe(200);
    expect(first.body.zaiProbe).toMatchObject({ probed: true, check: { ok: true } });
    expect(await count()).toBe(before + 1);
    const second = await alertsRefresh();
    expect(second.status).toBe(200);
    expect(second.body.zaiProbe).toMatchObject({ probed: false, reason: expect.stringMatching(/less than 5 minutes ago/) });
    expect(await count()).toBe(before + 1);
    await sql`update public.feature_flags set value = 'z_ai' where key = 'AI_MODE'`;
  }, 60_000);
});
