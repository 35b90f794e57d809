// The demo incidents on a real local stack (embedded Postgres, the functions
// in Deno, the doubles): each plant raises its playbook's alert through the
// alerts refresh, leaves what it says it planted, and runs again without
// failing; the demo command's arguments and its "no stack" error.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eStack, type E2eStack } from '../../../e2e/stack.ts';
import { parseDemoArgs, runDemo } from './cli.ts';
import type { DemoStack } from './context.ts';
import { INCIDENT_KINDS, plantCronFailed, plantQueueOutOfOrder, plantRefundRate, plantWebhookFailed, plantZaiDown } from './incidents.ts';

let e2e: E2eStack;
let stack: DemoStack;
beforeAll(async () => {
  e2e = await startE2eStack('demo-incidents', {}, 4);
  stack = { sql: e2e.sql, info: e2e.stack.info };
}, 120_000);
afterAll(async () => e2e?.close());

const openAlert = async (kind: string, subject: string) =>
  (
    await e2e.sql<{ severity: string; message: string }[]>`
    select severity, message from public.alerts where kind = ${kind} and subject = ${subject} and resolved_at is null`
  )[0];

describe('demo incidents on a running stack', () => {
  it('zai: the double fails, 40 minutes of failures and fallbacks are on record, RED zai_down opens; a second run is fine', async () => {
    const planted = await plantZaiDown(stack);
    expect(planted.liveCallFailed).toBe(true);
    expect(e2e.stack.doubles.zai!.calls.failing).toBeGreaterThanOrEqual(1);
    const alert = await openAlert('zai_down', 'z_ai');
    expect(alert?.severity).toBe('RED');
    expect(alert?.message).toMatch(/^Z\.AI down since .* \(4\d min\); emergency triage is answering from the deterministic rules$/);
    const [health] = await e2e.sql<{ n: number; first: Date }[]>`
      select count(*)::int as n, min(checked_at) as first from public.ai_provider_health where provider = 'z_ai' and not ok`;
    expect(health!.n).toBe(planted.failuresBackdated + 1);
    expect(health!.first.getTime()).toBeLessThan(Date.now() - 30 * 60_000);
    const [fallbacks] = await e2e.sql<{ n: number }[]>`select count(*)::int as n from public.triage_logs where fell_back and provider = 'z_ai'`;
    expect(fallbacks!.n).toBe(planted.fallbacksBackdated + 1);

    await plantZaiDown(stack);
    expect((await openAlert('zai_down', 'z_ai'))?.severity).toBe('RED');
  });

  it('webhook: a paid charge Stripe knows, recorded with no placement, failed deliveries: RED orphaned_charge and webhook_failures', async () => {
    const planted = await plantWebhookFailed(stack);
    expect(e2e.stack.doubles.stripe!.store.charges.get(planted.chargeId)?.status).toBe('succeeded');
    const [orphan] = await e2e.sql`select 1 from public.orphaned_payments where payment_id = ${planted.paymentId}`;
    expect(orphan).toBeDefined();
    expect((await openAlert('orphaned_charge', planted.paymentId))?.severity).toBe('RED');
    expect((await openAlert('webhook_failures', 'stripe'))?.message).toMatch(/^\d+ Stripe webhook events failed in the last hour$/);
    const [complaint] = await e2e.sql<{ kind: string; status: string }[]>`select kind, status from public.complaints where id = ${planted.complaintId}`;
    expect(complaint).toEqual({ kind: 'not_featured', status: 'pending' });
  });

  it('cron: the real job fails all 5 attempts on the held lock, RED cron_failed; the settings it shortened are put back', async () => {
    const [before] = await e2e.sql<{ value: unknown }[]>`select value from public.settings where key = 'cron_retry_backoff_seconds'`;
    const planted = await plantCronFailed(stack);
    expect(planted.attempts.map((a) => a.status)).toEqual(['failure', 'failure', 'failure', 'failure', 'failure']);
    expect(planted.lastError).toBe('canceling statement due to lock timeout');
    expect((await openAlert('cron_failed', 'featured-expiry-and-promotion'))?.severity).toBe('RED');
    expect(planted.pastEnd).toHaveLength(2);
    const [stuck] = await e2e.sql<{ n: number }[]>`
      select count(*)::int as n from public.featured_placements where status = 'active' and featured_until < now() and council_id = ${planted.councilId}`;
    expect(stuck!.n).toBe(2);
    expect(planted.waiting).toBeGreaterThan(0);
    const [after] = await e2e.sql<{ value: unknown }[]>`select value from public.settings where key = 'cron_retry_backoff_seconds'`;
    expect(after?.value).toEqual(before?.value);
    const [fn] = await e2e.sql<
      { config: string[] }[]
    >`select proconfig as config from pg_proc where oid = 'public.expire_and_promote(timestamptz)'::regprocedure`;
    expect(fn!.config.some((c) => c.startsWith('lock_timeout'))).toBe(false);
  }, 150_000);

  it('queue: a later payer featured while an earlier one waits, the complaint, RED queue_out_of_order; a second run is fine', async () => {
    const planted = await plantQueueOutOfOrder(stack);
    expect(planted.ahead.paidAt.getTime()).toBeGreaterThan(planted.waiting.paidAt.getTime());
    const alert = await openAlert('queue_out_of_order', planted.councilId);
    expect(alert?.severity).toBe('RED');
    expect(alert?.message).toContain(`${planted.waiting.business} paid`);
    const [complaint] = await e2e.sql<{ kind: string; status: string }[]>`select kind, status from public.complaints where id = ${planted.complaintId}`;
    expect(complaint).toEqual({ kind: 'queue_position', status: 'pending' });

    const again = await plantQueueOutOfOrder(stack);
    expect(again.complaintId).toBe(planted.complaintId);
    expect(again.alerts).toHaveLength(1);
  });

  it('refunds: the 7-day rate past 15 % with a repeat refunder, YELLOW refund_rate asking for the investigation', async () => {
    const planted = await plantRefundRate(stack);
    expect(planted.rate.ratePct).toBeGreaterThan(15);
    const alert = await openAlert('refund_rate', 'featured');
    expect(alert?.severity).toBe('YELLOW');
    expect(alert?.message).toMatch(/: open the refund-pattern investigation$/);
    const [repeat] = await e2e.sql<{ n: number }[]>`
      select count(*)::int as n from public.payment_audit where business_id = ${planted.repeat.businessId} and status = 'refunded'`;
    expect(repeat!.n).toBe(2);
  });
});

describe('npm run demo', () => {
  const io = () => {
    const seen = { out: '', err: '' };
    return { seen, io: { out: (t: string) => void (seen.out += t), err: (t: string) => void (seen.err += t) } };
  };

  it('refuses an unknown kind, naming the kinds', async () => {
    const parsed = parseDemoArgs(['incident', 'volcano']);
    expect(parsed).toBeInstanceOf(Error);
    expect((parsed as Error).message).toBe('unknown incident "volcano"; the kinds are zai, webhook, cron, queue, refunds');
    expect(parseDemoArgs(['incident'])).toEqual(new Error('say which incident: one of zai, webhook, cron, queue, refunds'));
    expect(parseDemoArgs(['outage', 'zai'])).toBeInstanceOf(Error);
    expect(parseDemoArgs(['incident', 'zai', '--dir', '/x'])).toEqual({ help: false, kind: 'zai', dir: '/x' });
    const { seen, io: cli } = io();
    expect(await runDemo(['incident', 'volcano'], cli)).toBe(1);
    expect(seen.err).toMatch(/^demo: error: unknown incident "volcano"; the kinds are zai, webhook, cron, queue, refunds\n/);
  });

  it('--help lists every kind with its playbook', async () => {
    const { seen, io: cli } = io();
    expect(await runDemo(['incident', '--help'], cli)).toBe(0);
    for (const kind of INCIDENT_KINDS) expect(seen.out).toMatch(new RegExp(`^  ${kind} +4\\.\\d `, 'm'));
  });

  it('says so when no stack is running', async () => {
    const { seen, io: cli } = io();
    expect(await runDemo(['incident', 'zai', '--dir', join(e2e.dir, 'nothing-here')], cli)).toBe(1);
    expect(seen.err).toMatch(/^demo: error: no local stack found: .*stack\.json does not exist; start it with `npm run stack`/);
  });

  it('plants on the stack its stack.json names and says what the operator should see', async () => {
    const { seen, io: cli } = io();
    expect(await runDemo(['incident', 'refunds', '--dir', join(e2e.dir, 'stack')], cli)).toBe(0);
    expect(seen.out).toContain("YELLOW alert 'Refund rate ");
    expect(seen.out).toContain('Open it in Alerts & activity and press Open playbook.');
  });
});
