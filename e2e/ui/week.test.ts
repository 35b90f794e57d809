// The operator's whole week in real Chromium, through the guided run (spec
// Parts 1–2), every click, key press and field filled counted by one helper
// the test cannot go around (counting.ts): the Monday check with a RED alert
// (the daily job failed all retries, for real) deferred to Thursday; then the
// Thursday batch: the 51 reviews (the bulk approval at the line, each edge
// case by its one key), the refunds by the policy in one action, the
// reconciliation's planted discrepancy fixed, the cron failure dealt with,
// the three complaints done as their findings say and closed with the line
// written for them, and the weekly log. It prints the count from the first
// screen after sign-in to the log (goal: 30 or fewer) and the time per
// session, and checks in Postgres that each decision was applied once and
// that the log says what Postgres says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoStack, plantCronFailed } from '../../server-functions/local/demo/incidents.ts';
import { type Counter, countActions } from './counting.ts';
import { axeViolations, screenshot, signIn, startUiWorld, type UiWorld } from './harness.ts';

let world: UiWorld;
let ui: Counter;
let cronAlert = '';
beforeAll(async () => {
  // The engine's own clock far away: the console syncs when an action asks it to (or the test does), so what waits is countable.
  world = await startUiWorld({ engine: { baseDelayMs: 200, maxDelayMs: 2_000, intervalMs: 600_000 } });
  const stack: DemoStack = { sql: world.sql, info: world.stack.info };
  // Monday morning: the daily job failed all five attempts (RED).
  const planted = await plantCronFailed(stack);
  cronAlert = planted.alerts.find((a) => a.kind === 'cron_failed')!.message;
  await signIn(world.page, world.stack.info.OPERATOR_EMAIL, world.stack.info.OPERATOR_PASSWORD);
  ui = countActions(world.page);
}, 240_000);
afterAll(async () => world?.close());

const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
async function look(name: string) {
  expect(await axeViolations(world.page)).toEqual([]);
  await screenshot(world.page, name);
}
/** The run's panel: the session it is at. */
const panel = () => ui.page.getByRole('region', { name: /^Thursday batch/ });
const atSession = (title: RegExp) =>
  expect.poll(async () => (await panel().count()) && panel().getByRole('heading').textContent(), { timeout: 30_000 }).toMatch(title);

describe('the week through the guided run', () => {
  it('Monday: the RED alert deferred to Thursday, in one action', async () => {
    const page = ui.page;
    await page.getByRole('heading', { name: 'Dashboard: the Monday check' }).waitFor();
    const defer = page.getByRole('button', { name: `Defer to Thursday: ${cronAlert}` }).first();
    await defer.waitFor({ timeout: 30_000 });
    ui.mark('monday');
    await ui.click(defer, 'Defer to Thursday');
    await page.getByText('Deferred to Thursday').first().waitFor();
    await look('week-monday');
  });

  it('Thursday: the batch starts at the reviews; the bulk approval and one key per edge case clear them', async () => {
    const page = ui.page;
    ui.mark('reviews');
    await ui.click(page.getByRole('button', { name: 'Start the Thursday batch' }), 'Start the Thursday batch');
    await page.getByRole('heading', { name: 'Reviews', level: 1 }).waitFor();
    await atSession(/session 1 of 5: Manual review queue/);
    const bulk = page.getByRole('button', { name: /^Approve all \d+ at ≥ 0\.90$/ });
    await expect.poll(() => bulk.isEnabled(), { timeout: 20_000 }).toBe(true);
    await look('week-reviews');
    await ui.click(bulk, 'Approve all at ≥ 0.90');
    await ui.click(page.getByRole('dialog').getByRole('button', { name: /^Approve \d+$/ }), 'Approve N (the bulk)');
    // The bulk approval is queued (the keys wait while a call is in flight).
    await expect.poll(() => page.getByRole('dialog').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: /^Approve all 0 at/ }).count(), { timeout: 20_000 }).toBe(1);
    // Each edge case read at the cursor and decided with its one key.
    const edge = await world.sql<{ id: string; body: string; flags: string[] | null }[]>`
      select id, body, ai_flags as flags from public.reviews where status = 'pending' and coalesce(ai_confidence, 0) < 0.9`;
    const keyFor = (flags: string[] | null) => (flags?.includes('spam') ? 's' : flags?.includes('profanity') ? 'p' : flags?.includes('off_topic') ? 'o' : 'a');
    const decidedHere = async () => Number(/· (\d+) decided here/.exec((await page.getByText(/pending, oldest first/).textContent()) ?? '')?.[1] ?? -1);
    const bulkCount = await decidedHere();
    for (let i = 0; i < edge.length; i++) {
      // The review at the cursor, read as the operator reads it (the same text always carries the same flag).
      const text = (await page.getByRole('blockquote', { name: 'Review text' }).textContent({ timeout: 10_000 }))?.trim() ?? '';
      const r = edge.find((x) => x.body.trim() === text);
      expect(r, `the review at the cursor is an edge case: ${text.slice(0, 60)}`).toBeDefined();
      await ui.press(keyFor(r!.flags), `review ${i + 1} of ${edge.length}`);
      if (i < edge.length - 1) await expect.poll(decidedHere, { timeout: 10_000 }).toBe(bulkCount + i + 1);
    }
    // Every review decided: the run moves on to the refunds by itself.
    await page.getByRole('heading', { name: 'Refund requests', level: 1 }).waitFor({ timeout: 30_000 });
  });

  it('refunds: the policy decides the three requests in one action after showing each outcome and email', async () => {
    const page = ui.page;
    ui.mark('refunds');
    await atSession(/session 2 of 5: Refund requests/);
    await ui.click(page.getByRole('button', { name: /^Apply the refund policy to the \d+ requests?$/ }));
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: /^Decide \d+ by the policy$/ }).waitFor();
    await look('week-refund-policy');
    await ui.click(dialog.getByRole('button', { name: /^Decide \d+ by the policy$/ }));
    await page.getByRole('heading', { name: 'Payment reconciliation', level: 1 }).waitFor({ timeout: 30_000 });
  });

  it('reconciliation: the planted discrepancy found and fixed; the comparison matches', async () => {
    const page = ui.page;
    ui.mark('reconciliation');
    await atSession(/session 3 of 5: Payment reconciliation/);
    await look('week-reconciliation');
    if ((await page.getByRole('button', { name: 'Recover missed payments' }).count()) === 0) {
      await ui.click(page.getByRole('button', { name: 'Run reconciliation' }));
    }
    const recover = page.getByRole('button', { name: 'Recover missed payments' });
    await recover.waitFor({ timeout: 30_000 });
    await ui.click(recover);
    await page
      .getByRole('heading', { name: 'Cron', level: 1 })
      .or(page.getByRole('heading', { name: /Daily job/, level: 1 }))
      .first()
      .waitFor({ timeout: 60_000 });
  });

  it('cron: Monday’s deferred failure is there; Run now, and the session completes', async () => {
    const page = ui.page;
    ui.mark('cron');
    await atSession(/session 4 of 5: Cron job health/);
    await look('week-cron');
    await ui.click(page.getByRole('button', { name: 'Run now' }));
    await page.getByRole('heading', { name: 'Trainer complaints', level: 1 }).waitFor({ timeout: 60_000 });
  });

  it('complaints: each investigated, done as its findings say, closed with the line written for it', async () => {
    const page = ui.page;
    ui.mark('complaints');
    await atSession(/session 5 of 5: Complaint investigation/);
    await look('week-complaints');
    await ui.click(page.getByRole('button', { name: /^Investigate / }).first());
    for (let i = 0; i < 3; i++) {
      const dossier = page.getByRole('article');
      await dossier.waitFor({ timeout: 30_000 });
      const doIt = page.getByRole('button', { name: /^Do what the findings say/ });
      await expect.poll(() => doIt.count(), { timeout: 20_000 }).toBeGreaterThan(0);
      await ui.click(doIt);
      const line = page.getByLabel('What was done (the log line)');
      await expect.poll(() => line.inputValue(), { timeout: 30_000 }).not.toBe('');
      await look(`week-complaint-${i + 1}`);
      await ui.click(page.getByRole('button', { name: 'Close complaint' }));
      if (i < 2)
        await expect
          .poll(
            () =>
              page
                .getByRole('status')
                .filter({ hasText: /Next: / })
                .count(),
            { timeout: 30_000 },
          )
          .toBeGreaterThan(0);
    }
    await page.getByRole('heading', { name: 'The week', level: 1 }).waitFor({ timeout: 30_000 });
  });

  it('the weekly log: written by the server from what Postgres says, in ≤ 30 actions', async () => {
    const page = ui.page;
    ui.mark('log');
    await ui.click(page.getByRole('button', { name: 'Finish and write the weekly log' }));
    const log = page.getByRole('region', { name: 'Weekly log' });
    await log.waitFor({ timeout: 30_000 });
    await look('week-log');
    const marks = ui.marks();
    const lines = marks.map(
      (m, i) => `${m.label}: ${(marks[i + 1]?.at ?? ui.count()) - m.at} actions, ${minutes((marks[i + 1]?.time ?? Date.now()) - m.time)}`,
    );
    console.log(`THE WEEK IN ${ui.count()} ACTIONS (goal ≤ 30)\n${lines.join('\n')}\n${ui.log().join('\n')}`);

    const [run] = await world.sql<
      { log: string; counts: { reviewsApproved: number; reviewsRejected: number; refundsApproved: number; refundsDenied: number } }[]
    >`
      select log, counts from public.operator_runs where kind = 'thursday' and status = 'finished'`;
    const [r] = await world.sql<{ approved: number; rejected: number; pending: number }[]>`
      select count(*) filter (where status = 'approved' and moderated_at > now() - interval '1 hour')::int as approved,
             count(*) filter (where status = 'rejected' and moderated_at > now() - interval '1 hour')::int as rejected,
             count(*) filter (where status = 'pending')::int as pending from public.reviews`;
    expect(r!.pending).toBe(0);
    expect(run!.counts).toMatchObject({ reviewsApproved: r!.approved, reviewsRejected: r!.rejected, refundsApproved: 2, refundsDenied: 1 });
    expect(run!.log).toContain(`Approved ${r!.approved} reviews, rejected ${r!.rejected}`);
    expect(run!.log).toContain('Approved 2 refunds, denied 1');
    expect(run!.log).toContain('Reconciliation completed, amounts match');
    expect(run!.log).toContain(`${cronAlert}: deferred to Thursday`);
    await expect(log.getByText(`Approved ${r!.approved} reviews, rejected ${r!.rejected}`, { exact: false }).count()).resolves.toBeGreaterThan(0);
    // Each decision applied once: one verdict per command, no refund twice, every complaint closed once.
    const [dup] = await world.sql<{ n: number }[]>`
      select count(*)::int as n from (select subject_id from public.audit_log where action in ('command.refund.approve', 'command.refund.deny') group by subject_id having count(*) > 1) x`;
    expect(dup!.n).toBe(0);
    const [open] = await world.sql<{ n: number }[]>`select count(*)::int as n from public.complaints where status = 'pending'`;
    expect(open!.n).toBe(0);
    expect(ui.count()).toBeLessThanOrEqual(30);
  });
});
