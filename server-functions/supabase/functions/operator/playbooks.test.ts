// The playbooks' live evidence and checks (spec Part 4, issue 19) on the real
// database, each on its planted condition: Z.AI failing for 35, 12 and 3
// minutes and then answering again; orphaned charges with Stripe's state
// from the Stripe double; the daily job failing with each class of error.
// The live checks go through the real emergency-triage and stripe-webhook
// handlers, built here in-process and reached through callFunction as the
// deployed operator function reaches them over HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  CronEvidence,
  PlaybookEvidence,
  TriageCheck,
  WebhookEvidence,
  WebhookHealth,
  ZaiEvidence,
  ZaiProbeResult,
} from '../../../../shared/api/playbooks.ts';
import { DAILY_JOB } from '../../../../shared/jobs/schedule.ts';
import { startStripeDouble, type StripeDouble } from '../../../local/doubles/stripe.ts';
import { startZaiDouble, type ZaiDouble } from '../../../local/doubles/zai.ts';
import { signJwt } from '../../../local/stack/keys.ts';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { createBusiness, createCouncil, createPayment, createPerson, createPlacement, createQueueEntry } from '../../../test/fixtures.ts';
import { createAiModeReader } from '../_shared/ai/mode.ts';
import { probeZai } from '../_shared/ai/probe.ts';
import type { ProviderConfig } from '../_shared/ai/provider.ts';
import { createAiRouter } from '../_shared/ai/router.ts';
import { hs256Verifier } from '../_shared/auth.ts';
import { runDailyJob } from '../_shared/jobs/daily.ts';
import type { RouteDeps } from '../_shared/operator/routes.ts';
import { classifyCronError } from '../_shared/playbooks/cron.ts';
import { createStripe } from '../_shared/stripe.ts';
import { createAlertsRefreshHandler } from '../alerts-refresh/handler.ts';
import { createTriageHandler } from '../emergency-triage/handler.ts';
import { createStripeWebhookHandler } from '../stripe-webhook/handler.ts';
import { createOperatorHandler } from './handler.ts';

const SECRET = 'playbooks-secret';
const WEBHOOK_SECRET = 'whsec_playbooks_test';
let db: TestDatabase;
let stripeDouble: StripeDouble;
let zai: ZaiDouble;
let zaiConfig: ProviderConfig;
let operatorId: string;
let opToken: string;
let trainerToken: string;
let serviceToken: string;

const MIN = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms);

/** The operator API as deployed, its live checks reaching the real function handlers in-process. */
function operatorApi(webhookSecret: string | null = WEBHOOK_SECRET, functionsSecret = WEBHOOK_SECRET) {
  const stripe = createStripe('sk_test_double', stripeDouble.url);
  const triage = createTriageHandler({
    sql: db.sql,
    ask: createAiRouter({ sql: db.sql, providers: { z_ai: zaiConfig }, aiMode: createAiModeReader(db.sql, 0), timeoutMs: 500 }),
    ipSalt: 'playbooks-salt',
  });
  const webhook = createStripeWebhookHandler({ sql: db.sql, stripe, webhookSecret: functionsSecret });
  const callFunction: RouteDeps['callFunction'] = async (name, init) => {
    const handler = name === 'emergency-triage' ? triage : name === 'stripe-webhook' ? webhook : null;
    if (!handler) throw new Error(`no function ${name}`);
    return handler(
      new Request(`http://functions.local/functions/v1/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...init.headers },
        body: init.body,
      }),
    );
  };
  return createOperatorHandler({ sql: db.sql, verifier: hs256Verifier(SECRET), stripe, callFunction, webhookSecret, zai: zaiConfig });
}
let api: ReturnType<typeof operatorApi>;

const post = (route: string, body: unknown, token = opToken, handler = api) =>
  handler(
    new Request(`http://x/operator${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
async function evidence<T>(incidentId: string): Promise<T> {
  const res = await post('/playbook', { incidentId });
  expect(res.status, await res.clone().text()).toBe(200);
  const e = (await res.json()) as PlaybookEvidence;
  expect(e.run.incidentId).toBe(incidentId);
  return e.facts as T;
}

/** A playbook run as the incidents domain opens it (migration 3300: one draft per playbook, so the last test's goes). */
async function openRun(playbook: string, signal: { kind: 'alert' | 'complaint' | 'palette'; id: string | null }, openedAt = new Date()): Promise<string> {
  await db.sql`delete from public.incidents where playbook = ${playbook} and status = 'draft'`;
  const [row] = await db.sql<{ id: string }[]>`
    insert into public.incidents (title, severity, kind, started_at, playbook, signal_kind, signal_id, status, created_by, created_at)
    values (${`Test ${playbook}`}, 'RED', ${playbook}, ${openedAt}, ${playbook}, ${signal.kind}, ${signal.id}, 'draft', ${operatorId}, ${openedAt})
    returning id`;
  return row!.id;
}
const setMode = (mode: string) => db.sql`update public.feature_flags set value = ${mode} where key = 'AI_MODE'`;

beforeAll(async () => {
  db = await freshDatabase();
  [stripeDouble, zai] = await Promise.all([startStripeDouble(), startZaiDouble()]);
  zaiConfig = { name: 'z_ai', baseUrl: zai.url, apiKey: 'test-key', model: 'glm', costCentsPerCall: 0.1 };
  operatorId = await createPerson(db.sql, { profileRole: 'operator' });
  const claims = (sub: string, role: string) => ({ sub, aud: 'authenticated', role: 'authenticated', app_metadata: { role } });
  opToken = await signJwt(SECRET, claims(operatorId, 'operator'), 600);
  trainerToken = await signJwt(SECRET, claims(await createPerson(db.sql), 'trainer'), 600);
  serviceToken = await signJwt(SECRET, { role: 'service_role' }, 600);
  api = operatorApi();
});
afterAll(async () => {
  await Promise.all([stripeDouble?.close(), zai?.close()]);
  await db?.drop();
});

// First: its impact counts every council's slots and queue, before the other blocks add theirs.
describe('playbook 3: the daily job failed all its attempts', () => {
  async function failedRun(error: string, at: Date, attempts = 5) {
    const [run] = await db.sql<{ id: string }[]>`select gen_random_uuid() as id`;
    for (let a = 1; a <= attempts; a++) {
      await db.sql`insert into public.cron_jobs (job_name, run_id, attempt, max_attempts, trigger, started_at, finished_at, duration_ms, status, error)
                   values (${DAILY_JOB}, ${run!.id}, ${a}, ${attempts}, 'schedule', ${new Date(at.getTime() + a * 1000)}, ${new Date(at.getTime() + a * 1000 + 500)}, 500, 'failure', ${error})`;
    }
    return run!.id;
  }

  it('classes the spec’s three errors', () => {
    expect(classifyCronError('canceling statement due to statement timeout')).toBe('A');
    expect(classifyCronError('connection timeout after 30000 ms')).toBe('A');
    expect(classifyCronError('canceling statement due to lock timeout')).toBe('B');
    expect(classifyCronError('could not obtain lock on relation "featured_queue"')).toBe('B');
    expect(classifyCronError('function unreachable: HTTP 502 bad gateway')).toBe('C');
    expect(classifyCronError('division by zero')).toBe('unknown');
  });

  it('shows the last failed run, its class and advice, the impact and the next run', async () => {
    const council = await createCouncil(db.sql, 'monash', 'City of Monash');
    const owner = await createPerson(db.sql);
    const business = await createBusiness(db.sql, owner, council);
    // Five slots: two placements past their end (not expired: the job failed), two running, four purchases waiting.
    for (let i = 0; i < 4; i++) {
      const placement = await createPlacement(db.sql, business, council, await createPayment(db.sql, business, council, { paidAt: ago(40 * 24 * 60 * MIN) }));
      if (i < 2)
        await db.sql`update public.featured_placements set featured_from = now() - interval '31 days', featured_until = now() - interval '1 hour' where id = ${placement}`;
      else
        await db.sql`update public.featured_placements set featured_from = now() - interval '10 days', featured_until = now() + interval '20 days' where id = ${placement}`;
    }
    for (let i = 0; i < 4; i++) {
      const other = await createBusiness(db.sql, await createPerson(db.sql), council, { name: `Waiting ${i}` });
      await createQueueEntry(db.sql, other, council, await createPayment(db.sql, other, council, { paidAt: ago(2 * 24 * 60 * MIN) }));
    }
    // Paid two days ago, as their payments say (settled: the promoter takes them).
    await db.sql`update public.featured_queue q set paid_at = pa.paid_at, created_at = pa.paid_at from public.payment_audit pa where pa.id = q.payment_id`;
    const none = await evidence<CronEvidence>(await openRun('cron_failed', { kind: 'palette', id: null }));
    expect(none).toMatchObject({ lastFailure: null, errorClass: 'unknown', impact: { pastEnd: 2, waiting: 4, promotable: 3 } });

    const timeoutRun = await failedRun('canceling statement due to statement timeout', ago(60 * MIN));
    const incident = await openRun('cron_failed', { kind: 'palette', id: null });
    const a = await evidence<CronEvidence>(incident);
    expect(a.lastFailure).toMatchObject({ runId: timeoutRun, attempts: 5, error: 'canceling statement due to statement timeout' });
    expect(a.errorClass).toBe('A');
    expect(a.advice).toMatch(/Do not force a run now/);
    // 5 slots − 2 running = 3 free once the two past their end expire; 4 wait: 3 could be promoted now.
    expect(a.impact).toEqual({ pastEnd: 2, waiting: 4, promotable: 3 });
    expect(Date.parse(a.nextRunAt)).toBeGreaterThan(Date.now());

    await failedRun('canceling statement due to lock timeout', ago(30 * MIN));
    const b = await evidence<CronEvidence>(incident);
    expect([b.errorClass, b.advice]).toEqual(['B', expect.stringMatching(/Wait 5 minutes/)]);

    // Class C, from the caller's side: the scheduler saw a 502 and the function recorded nothing after the call.
    const [c] = await db.sql<{ r: { recorded: boolean } }[]>`
      select public.record_cron_unreachable(${DAILY_JOB}, 'HTTP 502 bad gateway', ${ago(5 * MIN)}, now()) as r`;
    expect(c!.r.recorded).toBe(true);
    const unreachable = await evidence<CronEvidence>(incident);
    expect(unreachable).toMatchObject({ errorClass: 'C', lastFailure: { attempts: 1, error: 'function unreachable: HTTP 502 bad gateway' } });
    const [alert] = await db.sql`select message from public.alerts where kind = 'cron_failed' and resolved_at is null`;
    expect(alert!.message).toMatch(/was not run: function unreachable/);

    // Run now (the back-off setting need not matter: it succeeds first time), then step 4's numbers.
    const run = await runDailyJob({ sql: db.sql }, 'manual', operatorId);
    expect(run.status).toBe('success');
    const verified = await evidence<CronEvidence>(incident);
    expect(verified.verification).toMatchObject({ promotedToday: 3, newActiveToday: 3 });
    expect(verified.verification.lastSuccessAt).not.toBeNull();
    expect(verified.impact).toEqual({ pastEnd: 0, waiting: 1, promotable: 0 });
    // A success is not a failed run: the last failure is still the unreachable one.
    expect(verified.lastFailure?.error).toMatch(/function unreachable/);
  });

  it('records nothing from the caller when the function did record its own run', async () => {
    const calledAt = ago(2000);
    await failedRun('boom', new Date());
    const [c] = await db.sql<{ r: { recorded: boolean } }[]>`select public.record_cron_unreachable(${DAILY_JOB}, 'HTTP 500', ${calledAt}, now()) as r`;
    expect(c!.r.recorded).toBe(false);
  });
});

describe('playbook 1: Z.AI down', () => {
  beforeEach(async () => {
    await db.sql`delete from public.ai_provider_health`;
    await db.sql`delete from public.triage_logs`;
    await setMode('z_ai');
    zai.setMode('ok');
  });

  /** Z.AI answered well `okAgoMin` minutes ago, then failed every minute from `minutes` ago. */
  async function plantFailures(minutes: number, okAgoMin = minutes + 10) {
    await db.sql`insert into public.ai_provider_health (provider, checked_at, ok, latency_ms, cost_cents) values ('z_ai', ${ago(okAgoMin * MIN)}, true, 800, 0.1)`;
    for (let m = minutes; m >= 1; m--) {
      await db.sql`insert into public.ai_provider_health (provider, checked_at, ok, latency_ms, error)
                   values ('z_ai', ${ago(m * MIN)}, false, null, ${`z_ai timeout: no answer within 3000 ms (${m})`})`;
    }
  }
  async function zaiAlert(): Promise<string> {
    await db.sql`select public.refresh_ai_alerts(now())`;
    const [a] = await db.sql<{ id: string }[]>`select id from public.alerts where kind = 'zai_down' and resolved_at is null`;
    return a!.id;
  }

  it('over 30 minutes: the decision tree says deterministic, with the failures, the last error and the calls it saved', async () => {
    await plantFailures(35);
    // Triage calls meanwhile: three answered by the rules, one before it started failing (not counted).
    await db.sql`insert into public.triage_logs (occurred_at, provider, category, latency_ms, cost_cents, fell_back, error)
                 values (${ago(50 * MIN)}, 'z_ai', 'normal', 900, 0.1, false, null),
                        (${ago(30 * MIN)}, 'z_ai', 'medical', 3000, 0, true, 'z_ai timeout'),
                        (${ago(20 * MIN)}, 'deterministic', 'stray', 2, 0, false, null),
                        (${ago(10 * MIN)}, 'deterministic', 'normal', 2, 0, false, null)`;
    const incident = await openRun('zai_down', { kind: 'alert', id: await zaiAlert() });
    const z = await evidence<ZaiEvidence>(incident);
    expect(z).toMatchObject({
      playbook: 'zai_down',
      minutesFailing: 35,
      failedCalls: 35,
      lastError: 'z_ai timeout: no answer within 3000 ms (1)',
      recommendation: 'deterministic',
      mode: 'z_ai',
      recovered: false,
      callsAvoided: 3,
      costAvoidedCents: 0.3,
    });
    expect(Date.parse(z.failingSince!)).toBeCloseTo(ago(35 * MIN).getTime(), -4);
    expect(z.lastCheck).toMatchObject({ ok: false, error: 'z_ai timeout: no answer within 3000 ms (1)' });

    // Z.AI answers again: recovery is seen (offer the switch back), nothing is failing now.
    await db.sql`insert into public.ai_provider_health (provider, checked_at, ok, latency_ms, cost_cents) values ('z_ai', now(), true, 700, 0.1)`;
    const after = await evidence<ZaiEvidence>(incident);
    expect(after).toMatchObject({ failingSince: null, minutesFailing: 0, failedCalls: 0, recommendation: 'none', recovered: true, callsAvoided: 3 });
    expect(after.lastCheck).toMatchObject({ ok: true, latencyMs: 700, error: null });
  });

  it('5 to 30 minutes: switch to secondary; under 5: wait and re-test', async () => {
    await plantFailures(12);
    const twelve = await evidence<ZaiEvidence>(await openRun('zai_down', { kind: 'palette', id: null }));
    expect([twelve.minutesFailing, twelve.recommendation, twelve.recovered]).toEqual([12, 'secondary', false]);

    await db.sql`delete from public.ai_provider_health`;
    await plantFailures(3);
    const three = await evidence<ZaiEvidence>(await openRun('zai_down', { kind: 'palette', id: null }));
    expect([three.minutesFailing, three.recommendation]).toEqual([3, 'wait']);
  });

  it('not failing: no recommendation and no recovery to offer', async () => {
    await db.sql`insert into public.ai_provider_health (provider, checked_at, ok, latency_ms, cost_cents) values ('z_ai', ${ago(MIN)}, true, 600, 0.1)`;
    await setMode('deterministic');
    const z = await evidence<ZaiEvidence>(await openRun('zai_down', { kind: 'palette', id: null }));
    expect(z).toMatchObject({ failingSince: null, recommendation: 'none', mode: 'deterministic', recovered: false, callsAvoided: 0 });
  });

  it('runs the spec’s four cases through the real emergency-triage function: in deterministic mode all match', async () => {
    await setMode('deterministic');
    const incident = await openRun('zai_down', { kind: 'palette', id: null });
    const res = await post('/playbook/triage-check', { incidentId: incident });
    expect(res.status).toBe(200);
    const check = (await res.json()) as TriageCheck;
    expect(check.mode).toBe('deterministic');
    expect(check.cases.map((c) => [c.text, c.got, c.source, c.ok])).toEqual([
      ['Bleeding from paw', 'medical', 'deterministic', true],
      ['Aggressive dog', 'crisis', 'deterministic', true],
      ['Lost dog', 'stray', 'deterministic', true],
      ["Won't listen", 'normal', 'deterministic', true],
    ]);
    expect(check.allOk).toBe(true);
    // Real calls: each one logged like a visitor's.
    const [logged] = await db.sql<{ n: number }[]>`select count(*)::int as n from public.triage_logs where provider = 'deterministic'`;
    expect(logged!.n).toBe(4);
  });

  it('right after a switch it waits out the functions’ AI_MODE cache (aiModeTtlMs) before sending the cases', async () => {
    const sent: number[] = [];
    const handler = createOperatorHandler({
      sql: db.sql,
      verifier: hs256Verifier(SECRET),
      stripe: createStripe('sk_test_double', stripeDouble.url),
      aiModeTtlMs: 1200,
      callFunction: async () => {
        sent.push(Date.now());
        return new Response(JSON.stringify({ category: 'normal', provider: 'deterministic' }), { headers: { 'content-type': 'application/json' } });
      },
    });
    const incident = await openRun('zai_down', { kind: 'palette', id: null });
    await setMode('deterministic');
    const switchedAt = Date.now();
    expect((await post('/playbook/triage-check', { incidentId: incident }, opToken, handler)).status).toBe(200);
    expect(sent).toHaveLength(4);
    expect(Math.min(...sent) - switchedAt).toBeGreaterThanOrEqual(1000);
    // Long after the switch: sent at once.
    sent.length = 0;
    // (touch_updated_at would stamp now(): the switch backdated with it off.)
    await db.sql.begin(async (tx) => {
      await tx`alter table public.feature_flags disable trigger feature_flags_touch_updated_at`;
      await tx`update public.feature_flags set updated_at = now() - interval '1 minute' where key = 'AI_MODE'`;
      await tx`alter table public.feature_flags enable trigger feature_flags_touch_updated_at`;
    });
    const t0 = Date.now();
    await post('/playbook/triage-check', { incidentId: incident }, opToken, handler);
    expect(Math.max(...sent) - t0).toBeLessThan(500);
  });

  it('in z_ai mode the same four cases say Z.AI answered them', async () => {
    const incident = await openRun('zai_down', { kind: 'palette', id: null });
    const check = (await (await post('/playbook/triage-check', { incidentId: incident })).json()) as TriageCheck;
    expect(check.cases.map((c) => c.source)).toEqual(['z_ai', 'z_ai', 'z_ai', 'z_ai']);
    expect(check.allOk).toBe(true);
  });
});

describe('the Z.AI provider probe', () => {
  beforeEach(async () => {
    await db.sql`delete from public.ai_provider_health`;
    await setMode('deterministic');
    zai.setMode('ok');
  });
  const probe = (at: Date, scheduled = true) => probeZai({ sql: db.sql, zai: zaiConfig, now: () => at }, { scheduled });
  const spent = async () => Number((await db.sql<{ s: { spent_cents: number } }[]>`select public.ai_budget_state() as s`)[0]!.s.spent_cents);

  it('records one small call in the AI health records, counted in the budget, then waits 5 minutes', async () => {
    const before = await spent();
    const first = await probe(new Date());
    expect(first).toMatchObject({ probed: true, check: { ok: true, error: null } });
    const rows = await db.sql<{ ok: boolean; cost_cents: string }[]>`select ok, cost_cents from public.ai_provider_health where provider = 'z_ai'`;
    expect(rows).toEqual([{ ok: true, cost_cents: '0.1000' }]);
    expect(await spent()).toBeCloseTo(before + 0.1, 4);

    expect(await probe(new Date(Date.now() + 4 * MIN))).toMatchObject({ probed: false, reason: expect.stringMatching(/less than 5 minutes ago/) });
    expect(await probe(new Date(Date.now() + 6 * MIN))).toMatchObject({ probed: true });
  });

  it('never double-probes when two instances ask at once', async () => {
    const at = new Date();
    const outcomes = await Promise.all([probe(at), probe(at), probe(at)]);
    expect(outcomes.filter((o) => o.probed)).toHaveLength(1);
    const [n] = await db.sql<{ n: number }[]>`select count(*)::int as n from public.ai_provider_health`;
    expect(n!.n).toBe(1);
  });

  it('leaves Z.AI to the real calls while AI_MODE is z_ai; a failing Z.AI is recorded as a failure at no cost', async () => {
    await setMode('z_ai');
    expect(await probe(new Date())).toMatchObject({ probed: false, reason: expect.stringMatching(/AI_MODE is z_ai/) });
    await setMode('secondary');
    zai.setMode('failing');
    expect(await probe(new Date())).toMatchObject({ probed: true, check: { ok: false, error: expect.stringMatching(/z_ai http: HTTP 500/) } });
    const rows = await db.sql<{ ok: boolean; cost_cents: string }[]>`select ok, cost_cents from public.ai_provider_health`;
    expect(rows).toEqual([{ ok: false, cost_cents: '0.0000' }]);
  });

  it('the alerts refresh probes while the mode is not z_ai, sees Z.AI answer again and resolves zai_down', async () => {
    for (let m = 40; m >= 6; m -= 2) {
      await db.sql`insert into public.ai_provider_health (provider, checked_at, ok, error) values ('z_ai', ${ago(m * MIN)}, false, 'z_ai network: connection reset')`;
    }
    await db.sql`select public.refresh_ai_alerts(now())`;
    const [open] = await db.sql`select 1 from public.alerts where kind = 'zai_down' and resolved_at is null`;
    expect(open).toBeDefined();
    const refresh = createAlertsRefreshHandler({ sql: db.sql, verifier: hs256Verifier(SECRET), zai: zaiConfig });
    const res = await refresh(
      new Request('http://x/alerts-refresh', {
        method: 'POST',
        headers: { authorization: `Bearer ${serviceToken}`, 'content-type': 'application/json' },
        body: '{"scope":"red"}',
      }),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { zaiProbe: unknown }).zaiProbe).toMatchObject({ probed: true, check: { ok: true } });
    const [still] = await db.sql`select 1 from public.alerts where kind = 'zai_down' and resolved_at is null`;
    expect(still).toBeUndefined();
  });

  it('the operator’s probe asks now, whatever the mode and however recent the last check', async () => {
    await setMode('z_ai');
    await db.sql`insert into public.ai_provider_health (provider, checked_at, ok, error) values ('z_ai', now(), false, 'z_ai http: HTTP 500')`;
    const incident = await openRun('zai_down', { kind: 'palette', id: null });
    const res = await post('/playbook/probe-zai', { incidentId: incident });
    expect(res.status).toBe(200);
    const result = (await res.json()) as ZaiProbeResult;
    expect(result).toMatchObject({ probed: true, reason: null, lastCheck: { ok: true, error: null } });
    const z = await evidence<ZaiEvidence>(incident);
    expect(z.lastCheck).toEqual(result.lastCheck);
  });
});

describe('playbook 2: Stripe webhook failed', () => {
  it('lists every orphaned charge with Stripe’s state now, the last day’s count, the webhook failures and the activations', async () => {
    const council = await createCouncil(db.sql, 'yarra', 'City of Yarra');
    const owner = await createPerson(db.sql, { email: 'sarah@example.test' });
    const business = await createBusiness(db.sql, owner, council, { name: 'Sarah’s Dogs' });
    const paid = stripeDouble.createPaidCharge({ amount: 2200, currency: 'aud', metadata: { business_id: business }, emitEvents: false });
    const yesterday = await createPayment(db.sql, business, council, {
      paidAt: ago(20 * 60 * MIN),
      chargeId: paid.charge.id,
      paymentIntentId: paid.paymentIntent.id,
    });
    const older = await createPayment(db.sql, business, council, { paidAt: ago(3 * 24 * 60 * MIN), chargeId: 'ch_not_at_stripe' });
    // Not orphans: a placement, a queue entry.
    await createPlacement(db.sql, business, council, await createPayment(db.sql, business, council));
    await createQueueEntry(db.sql, business, council, await createPayment(db.sql, business, council));
    await db.sql`insert into public.stripe_events (id, type, created_at_stripe, payload, received_at, error)
                 values ('evt_failed_recent', 'charge.succeeded', now(), '{}', ${ago(10 * MIN)}, 'timeout'),
                        ('evt_failed_old', 'charge.succeeded', now(), '{}', ${ago(2 * 60 * MIN)}, 'timeout')`;
    const incident = await openRun('webhook_failed', { kind: 'palette', id: null }, ago(MIN));

    const w = await evidence<WebhookEvidence>(incident);
    expect(w.orphans.map((o) => [o.paymentId, o.businessName, o.ownerEmail, o.chargeId, o.amountCents, o.stripeStatus])).toEqual([
      [yesterday, 'Sarah’s Dogs', 'sarah@example.test', paid.charge.id, 2200, 'succeeded'],
      [older, 'Sarah’s Dogs', 'sarah@example.test', 'ch_not_at_stripe', 2200, null],
    ]);
    expect(w.orphans[0]!.stripeError).toBeNull();
    expect(w.orphans[1]!.stripeError).toMatch(/Stripe has no ch_not_at_stripe/);
    expect([w.last24h, w.webhookFailuresLastHour, w.activated]).toEqual([1, 1, []]);

    // Step 2's action (the existing command's SQL): the activation and its email show up.
    await db.sql`select public.activate_paid_payment(${yesterday}, ${operatorId}, now())`;
    const after = await evidence<WebhookEvidence>(incident);
    expect(after.orphans.map((o) => o.paymentId)).toEqual([older]);
    expect(after.activated).toEqual([
      { paymentId: yesterday, businessId: business, businessName: 'Sarah’s Dogs', featuredUntil: expect.any(String), emailed: true },
    ]);
  });

  it('checks the webhook endpoint with a signed test event that moves no money', async () => {
    const incident = await openRun('webhook_failed', { kind: 'palette', id: null });
    const [paymentsBefore] = await db.sql<{ n: number }[]>`select count(*)::int as n from public.payment_audit`;
    const res = await post('/playbook/webhook-health', { incidentId: incident });
    expect(res.status).toBe(200);
    const h = (await res.json()) as WebhookHealth;
    expect(h).toMatchObject({
      ok: true,
      status: 200,
      answer: expect.stringMatching(/received and recorded: ignored, event type dtd.webhook_health_check is not used/),
    });
    expect(h.ms).toBeGreaterThanOrEqual(0);
    const [event] = await db.sql`select type, processed_at, error from public.stripe_events where id like 'evt_health_check_%'`;
    expect(event).toMatchObject({ type: 'dtd.webhook_health_check', error: null });
    expect(event!.processed_at).not.toBeNull();
    const [paymentsAfter] = await db.sql<{ n: number }[]>`select count(*)::int as n from public.payment_audit`;
    expect(paymentsAfter!.n).toBe(paymentsBefore!.n);
  });

  it('says the endpoint is not healthy when the signature does not verify, and why it could not check without a secret', async () => {
    const incident = await openRun('webhook_failed', { kind: 'palette', id: null });
    const wrong = (await (await post('/playbook/webhook-health', { incidentId: incident }, opToken, operatorApi('whsec_wrong'))).json()) as WebhookHealth;
    expect(wrong).toMatchObject({ ok: false, status: 400, answer: expect.stringMatching(/stripe-signature does not verify/) });
    const none = (await (await post('/playbook/webhook-health', { incidentId: incident }, opToken, operatorApi(null))).json()) as WebhookHealth;
    expect(none).toMatchObject({ ok: false, status: 0, answer: expect.stringMatching(/STRIPE_WEBHOOK_SECRET\) is not configured/) });
  });
});

describe('the daily job checks every queue is in payment order', () => {
  it('opens queue_out_of_order for a council where an earlier payer waits behind a later one', async () => {
    const council = await createCouncil(db.sql, 'boroondara', 'City of Boroondara');
    const early = await createBusiness(db.sql, await createPerson(db.sql), council, { name: 'Early Bird' });
    await createQueueEntry(db.sql, early, council, await createPayment(db.sql, early, council, { paidAt: ago(5 * 24 * 60 * MIN) }));
    await db.sql`update public.featured_queue set paid_at = ${ago(5 * 24 * 60 * MIN)} where business_id = ${early}`;
    for (let i = 0; i < 5; i++) {
      const later = await createBusiness(db.sql, await createPerson(db.sql), council, { name: `Later ${i}` });
      await createPlacement(db.sql, later, council, await createPayment(db.sql, later, council, { paidAt: ago(24 * 60 * MIN) }));
    }
    const run = await runDailyJob({ sql: db.sql }, 'manual', operatorId);
    expect(run.status).toBe('success');
    const result = run.result as { queues_checked: number; queues_out_of_order: string[] };
    expect(result.queues_out_of_order).toContain(council);
    expect(result.queues_checked).toBeGreaterThanOrEqual(1);
    const [alert] = await db.sql`select severity from public.alerts where kind = 'queue_out_of_order' and subject = ${council} and resolved_at is null`;
    expect(alert!.severity).toBe('RED');
  });
});

describe('playbooks 4 and 5 wrap the existing checks', () => {
  it('names the council and the business from the complaint, and the council from a queue alert', async () => {
    const council = await createCouncil(db.sql, 'darebin', 'City of Darebin');
    const owner = await createPerson(db.sql);
    const business = await createBusiness(db.sql, owner, council);
    const [complaint] = await db.sql<{ id: string }[]>`
      insert into public.complaints (business_id, filed_by, kind, message) values (${business}, ${owner}, 'queue_position', 'Why am I still waiting?') returning id`;
    const fromComplaint = await evidence<PlaybookEvidence['facts']>(await openRun('queue_dispute', { kind: 'complaint', id: complaint!.id }));
    expect(fromComplaint).toEqual({ playbook: 'queue_dispute', councilId: council, businessId: business });
    const [alert] = await db.sql<{ id: string }[]>`
      insert into public.alerts (severity, kind, subject, message) values ('RED', 'queue_out_of_order', ${council}, 'out of order') returning id`;
    expect(await evidence(await openRun('queue_dispute', { kind: 'alert', id: alert!.id }))).toEqual({
      playbook: 'queue_dispute',
      councilId: council,
      businessId: null,
    });
    expect(await evidence(await openRun('refund_rate', { kind: 'palette', id: null }))).toEqual({ playbook: 'refund_rate', councilId: null, businessId: null });
  });
});

describe('the playbook routes', () => {
  it.each([
    ['/playbook', {}, 'incidentId'],
    ['/playbook', { incidentId: 'nope' }, 'incidentId'],
    ['/playbook/triage-check', { incidentId: 42 }, 'incidentId'],
    ['/playbook/webhook-health', { incidentId: crypto.randomUUID(), extra: 1 }, 'extra'],
    ['/playbook/probe-zai', '[1]', 'body'],
  ])('refuses bad input to %s with a 400 naming the field', async (route, body, field) => {
    const before = await db.sql<{ n: number }[]>`select (select count(*) from public.ai_provider_health) + (select count(*) from public.stripe_events) as n`;
    const res = await post(route, body);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { field: string; message: string } };
    expect(error.field).toBe(field);
    expect(error.message.length).toBeGreaterThan(0);
    const after = await db.sql<{ n: number }[]>`select (select count(*) from public.ai_provider_health) + (select count(*) from public.stripe_events) as n`;
    expect(after[0]!.n).toEqual(before[0]!.n);
  });

  it('answers 404 naming an incident that is not a playbook run', async () => {
    const id = crypto.randomUUID();
    const res = await post('/playbook', { incidentId: id });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(id);
  });

  it('is the operator’s alone', async () => {
    const incident = await openRun('zai_down', { kind: 'palette', id: null });
    for (const route of ['/playbook', '/playbook/triage-check', '/playbook/webhook-health', '/playbook/probe-zai']) {
      expect((await post(route, { incidentId: incident }, trainerToken)).status).toBe(403);
    }
  });
});
