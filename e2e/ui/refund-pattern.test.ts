// Playbook 5 in real Chromium on the demo data: refunds planted until the
// 7-day rate passes the 15 % line (a new trainer refunding both purchases,
// others once), the alerts job raises the YELLOW "open the refund-pattern
// investigation", and the operator follows it from the alert to the Refunds
// screen, runs the analysis from the keyboard, reads the findings and flags
// the repeat refunder. Screenshot, axe.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, goTo, screenshot, startSignedInWorld, type UiWorld } from './harness.ts';

let world: UiWorld;
beforeAll(async () => {
  world = await startSignedInWorld();
}, 180_000);
afterAll(async () => world?.close());

/** A trainer who listed a business `listedDaysAgo` and bought `refunds` placements two days ago, each refunded. */
async function refunder(name: string, refunds: number, listedDaysAgo: number) {
  const { sql } = world;
  const owner = randomUUID();
  await sql`insert into auth.users (id, email) values (${owner}, ${`${owner.slice(0, 8)}@example.test`})`;
  await sql`insert into public.profiles (id, role, email, display_name) values (${owner}, 'trainer', ${`${owner.slice(0, 8)}@example.test`}, ${name})`;
  const [b] = await sql<{ id: string; council_id: string }[]>`
    insert into public.businesses (owner_id, council_id, name, status, age_specialties, behavior_issues, suburb, created_at)
    values (${owner}, 'yarra', ${`${name} Dog Training`}, 'active', '{puppy}', '{pulling}', 'Richmond', now() - make_interval(days => ${listedDaysAgo}))
    returning id, council_id`;
  for (let i = 0; i < refunds; i++) {
    const [p] = await sql<{ id: string }[]>`
      insert into public.payment_audit (business_id, council_id, stripe_payment_intent_id, stripe_charge_id, amount_cents, status, paid_at, refunded_at)
      values (${b!.id}, ${b!.council_id}, ${`pi_${randomUUID()}`}, ${`ch_${randomUUID()}`}, 2200, 'refunded', now() - interval '2 days', now() - interval '1 day')
      returning id`;
    await sql`insert into public.refund_requests (payment_id, business_id, requested_by, reason, status, decided_at)
              values (${p!.id}, ${b!.id}, ${owner}, 'No new clients', 'approved', now() - interval '1 day')`;
  }
  return owner;
}

describe('the refund pattern (playbook 5)', () => {
  it('from the refund-rate alert to the analysis, read by keyboard, then the repeat refunder flagged', async () => {
    const { page, sql } = world;
    const repeat = await refunder('Riley Repeat', 2, 3);
    // Enough one-off refunds to pass the 15 % line whatever the demo week holds.
    const [now] = await sql<{ refunds: number; purchases: number }[]>`select refunds, purchases from public.refund_rate_7d()`;
    const more = Math.max(1, Math.ceil((0.16 * now!.purchases - now!.refunds) / 0.84));
    for (let i = 0; i < more; i++) await refunder(`One-off ${i + 1}`, 1, 60);
    await sql`select public.refresh_operations_alerts()`;
    const [rate] = await sql<
      { rate: number; refunds: number; purchases: number }[]
    >`select rate_pct::float8 as rate, refunds, purchases from public.refund_rate_7d()`;
    expect(rate!.rate).toBeGreaterThan(15);

    await page.getByRole('button', { name: 'Sync now' }).first().click();
    await goTo(page, 'Alerts & activity');
    await page.getByText(/^Refund rate [\d.]+% over 7 days .*: open the refund-pattern investigation$/).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Open the refund pattern (playbook 5)' }).click();
    await page.getByRole('heading', { name: 'Refund requests', level: 1 }).waitFor();

    const analyze = page.getByRole('button', { name: 'Analyze the refund pattern' });
    await analyze.focus();
    await page.keyboard.press('Enter');
    const section = page.getByRole('region', { name: 'Refund pattern, last 7 days (playbook 5)' });
    const findings = section.getByRole('list', { name: 'Findings' });
    await findings
      .getByText(`Refund rate ${rate!.rate}% over 7 days (${rate!.refunds} refunds of ${rate!.purchases} purchases), above the 15% line`, { exact: false })
      .waitFor({ timeout: 20_000 });
    await expect(
      findings
        .getByText(/^Look Riley Repeat \(Riley Repeat Dog Training\): 2 refunds of 2 purchases in 7 days \(every purchase refunded\): possible abuse/)
        .count(),
    ).resolves.toBe(1);
    const byTrainer = section.getByRole('table', { name: 'Refunds by trainer' });
    await expect(byTrainer.getByRole('row', { name: /^Riley Repeat Riley Repeat Dog Training 2 2/ }).count()).resolves.toBe(1);
    await expect(
      section
        .getByRole('list', { name: 'Refund reasons' })
        .getByText(/^“No new clients” ×\d+$/)
        .count(),
    ).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'refund-pattern');

    await byTrainer.getByRole('button', { name: 'Flag Riley Repeat for review' }).click();
    await expect.poll(() => section.getByRole('status').textContent(), { timeout: 20_000 }).toBe("Flagged Riley Repeat's account for review");
    const [profile] = await sql<
      { account_status: string; flagged_reason: string }[]
    >`select account_status, flagged_reason from public.profiles where id = ${repeat}`;
    expect(profile).toEqual({ account_status: 'flagged_for_review', flagged_reason: '2 refunds of 2 purchases in 7 days, possible abuse (refund pattern)' });
    // The verdict shows from the one call; the analysis read again then shows the account flagged.
    await expect.poll(() => byTrainer.getByRole('row', { name: /^Riley Repeat .* flagged for review$/ }).count(), { timeout: 20_000 }).toBe(1);
  });
});
