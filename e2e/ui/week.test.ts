// The operator's whole week in real Chromium, through the guided run (spec
// Parts 1–2), every click, key press and field filled counted by one helper
// the test cannot go around (counting.ts): the Monday check with a RED alert
// (the daily job failed all retries, for real) deferred to Thursday; then the
// Thursday batch as the run leads it: the 51 reviews (the bulk approval at
// the line, each edge case by its one key), the refunds by the policy in one
// action, the reconciliation's planted discrepancy fixed, the cron failure
// dealt with, the three complaints done as their findings say and closed
// with the line written for them, and the weekly log. It prints the count
// from the first screen after sign-in to the log (goal: 30 or fewer) and the
// time per session, and checks in Postgres that each decision was applied
// once and that the log says what Postgres says.
//
// The same week a second time with the console's window closed half-way
// through the reviews, opened again with the network gone (the run resumes
// where it was; reviews and refunds go on offline, the sessions that need a
// connection wait), then back online: the same final state and log.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoStack, plantCronFailed } from '../../server-functions/local/demo/incidents.ts';
import { type Counter, countActions } from './counting.ts';
import { axeViolations, PAGE_OPTIONS, screenshot, signIn, startUiWorld, type UiWorld } from './harness.ts';

const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
const keyFor = (flags: string[] | null) => (flags?.includes('spam') ? 's' : flags?.includes('profanity') ? 'p' : flags?.includes('off_topic') ? 'o' : 'a');

function theWeek(title: string, opts: { prefix: string; closeAfterReviews?: number }) {
  let world: UiWorld;
  let ui: Counter;
  let page: Page; // the window the screenshots and axe look at (read-only actions go through ui.page)
  let cronAlert = '';
  const look = async (name: string) => {
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `${opts.prefix}-${name}`);
  };
  /** The run's panel, and the session it is at ("" once every session is through). */
  const panel = () => ui.page.getByRole('region', { name: /^Thursday batch/ });
  const current = async () => {
    if ((await panel().count()) === 0) return null;
    return /session \d of 5: (.+)$/.exec((await panel().getByRole('heading').textContent()) ?? '')?.[1] ?? '';
  };

  describe(title, () => {
    beforeAll(async () => {
      // The engine's own clock far away: the console syncs when an action asks it to (or the network comes back).
      world = await startUiWorld({ engine: { baseDelayMs: 200, maxDelayMs: 2_000, intervalMs: 600_000 } });
      const stack: DemoStack = { sql: world.sql, info: world.stack.info };
      // Monday morning: the daily job failed all five attempts (RED).
      const planted = await plantCronFailed(stack);
      cronAlert = planted.alerts.find((a) => a.kind === 'cron_failed')!.message;
      await signIn(world.page, world.stack.info.OPERATOR_EMAIL, world.stack.info.OPERATOR_PASSWORD);
      page = world.page;
      ui = countActions(world.page);
    }, 240_000);
    afterAll(async () => world?.close());

    it('Monday: the RED alert deferred to Thursday, in one action', async () => {
      await ui.page.getByRole('heading', { name: 'Dashboard: the Monday check' }).waitFor();
      const defer = ui.page.getByRole('button', { name: `Defer to Thursday: ${cronAlert}` }).first();
      await defer.waitFor({ timeout: 30_000 });
      ui.mark('monday');
      await ui.click(defer, 'Defer to Thursday');
      await ui.page.getByText('Deferred to Thursday').first().waitFor();
      await look('monday');
    });

    /** The window closed (main keeps the run, as it keeps the tray), opened again with the network gone; the run resumed from the dashboard. */
    async function closeAndResumeOffline() {
      await world.page.close();
      world.proxy.cut();
      page = await world.browser.newPage(PAGE_OPTIONS);
      await page.goto(world.consoleServer.url);
      world.page = page;
      ui.switchPage(page);
      // Opened again: the console is back at the session the run was at, without asking.
      await ui.page.getByRole('heading', { name: 'Reviews', level: 1 }).waitFor({ timeout: 30_000 });
      await expect.poll(current, { timeout: 30_000 }).toBe('Manual review queue');
      await look('resumed-offline');
    }

    async function reviews() {
      const p = ui.page;
      const bulk = p.getByRole('button', { name: /^Approve all \d+ at ≥ 0\.90$/ });
      await expect.poll(() => bulk.isEnabled(), { timeout: 20_000 }).toBe(true);
      await look('reviews');
      await ui.click(bulk, 'Approve all at ≥ 0.90');
      await ui.click(p.getByRole('dialog').getByRole('button', { name: /^Approve \d+$/ }), 'Approve N (the bulk)');
      // The bulk approval is queued (the keys wait while a call is in flight).
      await expect.poll(() => p.getByRole('dialog').count(), { timeout: 20_000 }).toBe(0);
      await expect.poll(() => p.getByRole('button', { name: /^Approve all 0 at/ }).count(), { timeout: 20_000 }).toBe(1);
      const edge = await world.sql<{ body: string; flags: string[] | null }[]>`
        select body, ai_flags as flags from public.reviews where status = 'pending' and coalesce(ai_confidence, 0) < 0.9`;
      for (let i = 0; i < edge.length; i++) {
        if (i === opts.closeAfterReviews) await closeAndResumeOffline();
        const q = ui.page;
        const decidedHere = async () => Number(/· (\d+) decided here/.exec((await q.getByText(/pending, oldest first/).textContent()) ?? '')?.[1] ?? -1);
        const before = await decidedHere();
        // The review at the cursor, read as the operator reads it (the same text always carries the same flag).
        const text = (await q.getByRole('blockquote', { name: 'Review text' }).textContent({ timeout: 10_000 }))?.trim() ?? '';
        const r = edge.find((x) => x.body.trim() === text);
        expect(r, `the review at the cursor is an edge case: ${text.slice(0, 60)}`).toBeDefined();
        await ui.press(keyFor(r!.flags), `review ${i + 1} of ${edge.length}`);
        if (i < edge.length - 1) await expect.poll(decidedHere, { timeout: 10_000 }).toBe(before + 1);
      }
    }

    async function refunds() {
      const p = ui.page;
      await ui.click(p.getByRole('button', { name: /^Apply the refund policy to the \d+ requests?$/ }));
      const dialog = p.getByRole('dialog');
      await dialog.getByRole('button', { name: /^Decide \d+ by the policy$/ }).waitFor();
      await look('refund-policy');
      await ui.click(dialog.getByRole('button', { name: /^Decide \d+ by the policy$/ }));
      await p.getByRole('dialog').waitFor({ state: 'detached', timeout: 20_000 });
      if (opts.closeAfterReviews !== undefined) {
        // Offline the run goes on where it can: reconciliation and complaints wait; cron needs the server to run the job.
        await expect.poll(current, { timeout: 30_000 }).not.toBe('Refund requests');
        await ui.page.getByRole('button', { name: 'The run' }).waitFor();
        await look('offline-waiting');
        // The network comes back; the operator syncs: what waited is sent and the run picks the sessions up again.
        world.proxy.restore();
        await ui.click(ui.page.getByRole('status', { name: 'Sync status' }).getByRole('button', { name: 'Sync now' }));
        await expect.poll(() => ui.page.getByText(/^0 waiting to sync/).count(), { timeout: 60_000 }).toBe(1);
      }
    }

    async function reconciliation() {
      const p = ui.page;
      await look('reconciliation');
      if ((await p.getByRole('button', { name: 'Recover missed payments' }).count()) === 0) {
        await ui.click(p.getByRole('button', { name: 'Run reconciliation' }));
      }
      const recover = p.getByRole('button', { name: 'Recover missed payments' });
      await recover.waitFor({ timeout: 30_000 });
      await ui.click(recover);
    }

    async function cron() {
      await look('cron');
      await ui.click(ui.page.getByRole('button', { name: 'Run now' }));
    }

    async function complaints() {
      const p = ui.page;
      await look('complaints');
      await ui.click(p.getByRole('button', { name: /^Investigate / }).first());
      for (let i = 0; i < 3; i++) {
        await p.getByRole('article').waitFor({ timeout: 30_000 });
        const doIt = p.getByRole('button', { name: /^Do what the findings say/ });
        await expect.poll(() => doIt.count(), { timeout: 20_000 }).toBeGreaterThan(0);
        await ui.click(doIt);
        const line = p.getByLabel('What was done (the log line)');
        await expect.poll(() => line.inputValue(), { timeout: 30_000 }).not.toBe('');
        await look(`complaint-${i + 1}`);
        await ui.click(p.getByRole('button', { name: 'Close complaint' }));
        if (i < 2)
          await expect
            .poll(
              () =>
                p
                  .getByRole('status')
                  .filter({ hasText: /Next: / })
                  .count(),
              { timeout: 30_000 },
            )
            .toBeGreaterThan(0);
      }
    }

    const SESSIONS: Record<string, () => Promise<void>> = {
      'Manual review queue': reviews,
      'Refund requests': refunds,
      'Payment reconciliation': reconciliation,
      'Cron job health': cron,
      'Complaint investigation': complaints,
    };

    it('Thursday: the batch, each session where the run leads, until every one is through', async () => {
      ui.mark('start');
      await ui.click(ui.page.getByRole('button', { name: 'Start the Thursday batch' }), 'Start the Thursday batch');
      const done: string[] = [];
      for (;;) {
        await expect.poll(async () => (await current()) ?? 'no run', { timeout: 60_000 }).not.toBe(done.at(-1) ?? '-');
        const now = await current();
        if (!now) break; // every session through: the run's page is showing
        expect(Object.keys(SESSIONS), `a session of the batch: ${now}`).toContain(now);
        expect(done, `${now} comes once`).not.toContain(now);
        ui.mark(now);
        await SESSIONS[now]!();
        done.push(now);
      }
      expect([...done].sort()).toEqual(Object.keys(SESSIONS).sort());
      await ui.page.getByRole('heading', { name: 'The week', level: 1 }).waitFor({ timeout: 30_000 });
    }, 300_000);

    it('the weekly log: written by the server from what Postgres says, in ≤ 30 actions', async () => {
      ui.mark('log');
      await ui.click(ui.page.getByRole('button', { name: 'Finish and write the weekly log' }));
      const log = ui.page.getByRole('region', { name: 'Weekly log' });
      await log.waitFor({ timeout: 30_000 });
      await look('log');
      const marks = ui.marks();
      const lines = marks.map(
        (m, i) => `${m.label}: ${(marks[i + 1]?.at ?? ui.count()) - m.at} actions, ${minutes((marks[i + 1]?.time ?? Date.now()) - m.time)}`,
      );
      console.log(`${title.toUpperCase()}: THE WEEK IN ${ui.count()} ACTIONS (goal ≤ 30)\n${lines.join('\n')}\n${ui.log().join('\n')}`);

      const [run] = await world.sql<{ log: string; counts: Record<string, unknown> }[]>`
        select log, counts from public.operator_runs where kind = 'thursday' and status = 'finished'`;
      const [r] = await world.sql<{ approved: number; rejected: number; pending: number }[]>`
        select count(*) filter (where status = 'approved' and moderated_at > now() - interval '1 hour')::int as approved,
               count(*) filter (where status = 'rejected' and moderated_at > now() - interval '1 hour')::int as rejected,
               count(*) filter (where status = 'pending')::int as pending from public.reviews`;
      // The same final state either way: every review decided (40 at the line, the 11 flagged ones rejected), 2 refunds and a denial, the comparison matching, 3 complaints closed.
      expect(r).toEqual({ approved: 40, rejected: 11, pending: 0 });
      expect(run!.counts).toMatchObject({
        reviewsApproved: 40,
        reviewsRejected: 11,
        refundsApproved: 2,
        refundsDenied: 1,
        reconciliation: { discrepancies: 0 },
      });
      for (const line of [
        'Reviews: Approved 40 reviews, rejected 11',
        'Refunds: Approved 2 refunds, denied 1',
        'Reconciliation completed, amounts match',
        'Complaints: closed 3',
        `${cronAlert}: deferred to Thursday`,
      ]) {
        expect(run!.log).toContain(line);
      }
      await expect(log.getByText('Approved 40 reviews, rejected 11', { exact: false }).count()).resolves.toBeGreaterThan(0);
      // Each decision applied once: every review and refund decided by one applied command, every complaint closed once.
      const twice = await world.sql<{ subject_id: string }[]>`
        select subject_id from public.audit_log
        where action in ('command.refund.approve', 'command.refund.deny', 'command.review.approve', 'command.review.reject', 'command.complaint.close')
        group by subject_id having count(*) > 1`;
      expect(twice).toEqual([]);
      const [open] = await world.sql<{ n: number }[]>`select count(*)::int as n from public.complaints where status = 'pending'`;
      expect(open!.n).toBe(0);
      expect(ui.count()).toBeLessThanOrEqual(30);
    });
  });
}

theWeek('the week through the guided run', { prefix: 'week' });
theWeek('the same week, the window closed half-way through the reviews and opened again offline, then synced', {
  prefix: 'week-resumed',
  closeAfterReviews: 5,
});
