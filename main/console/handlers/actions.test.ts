// The operator's other actions. The measure for a dossier action
// (activate a paid charge's placement, email the trainer, flag the account):
// ONE call that costs at most two HTTP requests (a push and a pull) and
// answers the server's verdict: applied, rejected in the server's words (and
// kept in the verdict inbox), or queued when offline. Checked against a fake
// server and once against the real operator handler and Postgres.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStripeDouble, type StripeDouble } from '../../../server-functions/local/doubles/stripe.ts';
import { signJwt } from '../../../server-functions/local/stack/keys.ts';
import { hs256Verifier } from '../../../server-functions/supabase/functions/_shared/auth.ts';
import { createStripe } from '../../../server-functions/supabase/functions/_shared/stripe.ts';
import { createOperatorHandler } from '../../../server-functions/supabase/functions/operator/handler.ts';
import { freshDatabase, type TestDatabase } from '../../../server-functions/test/db.ts';
import { createBusiness, createCouncil, createPayment, createPerson } from '../../../server-functions/test/fixtures.ts';
import { flagAccount } from '../../../shared/commands/accounts.ts';
import { emailTrainer } from '../../../shared/commands/emails.ts';
import { activateOrphanedPayment } from '../../../shared/commands/payments.ts';
import { openConsole } from '../open.ts';
import { createWorld, failureOf, id, type World } from '../testing/world.ts';

let w: World;
beforeEach(() => {
  w = createWorld();
});
afterEach(() => w.close());

const payment = id();
const business = id();
const profile = id();
const dossierActions = [
  ['activateOrphan', activateOrphanedPayment.type, () => w.api.activateOrphan(payment), 'Activate a featured placement for a paid charge'],
  ['emailTrainer', emailTrainer.type, () => w.api.emailTrainer(business, 'featured_activated'), 'Email a trainer (featured_activated)'],
  ['flagAccount', flagAccount.type, () => w.api.flagAccount(profile, 'Five refunds in a week'), 'Flag an account for review'],
] as const;

describe('a dossier action', () => {
  it('activates a paid charge in one call of at most two requests, answering what the server did', async () => {
    await w.load();
    const placement = id();
    w.server.judge = () => ({ status: 'applied', details: { placement_id: placement, featured_until: '2026-12-27T00:00:00.000Z' } });
    const outcome = await w.api.activateOrphan(payment);
    expect(w.server.requests.length).toBeLessThanOrEqual(2);
    expect(w.server.requests).toEqual(['push', 'pull']);
    expect(outcome).toMatchObject({ status: 'applied', details: { placement_id: placement } });
    expect(w.server.received).toEqual([
      expect.objectContaining({ id: outcome.commandId, type: activateOrphanedPayment.type, payload: { paymentId: payment } }),
    ]);
    expect(await w.api.outbox()).toEqual([]);
  });

  it.each(dossierActions)('%s: applied costs one push and one pull', async (_name, type, act) => {
    await w.load();
    const outcome = await act();
    expect(outcome).toMatchObject({ status: 'applied' });
    expect(w.server.requests).toEqual(['push', 'pull']);
    expect(w.server.received.map((c) => c.type)).toEqual([type]);
  });

  it.each(dossierActions)('%s: refused, answers the server reason and lands in the verdict inbox', async (_name, _type, act, label) => {
    await w.load();
    const reason = 'the server says no: nothing to do for this one';
    w.server.judge = () => ({ status: 'rejected', kind: 'refused', reason });
    const outcome = await act();
    expect(outcome).toEqual({ commandId: outcome.commandId, status: 'rejected', reason });
    expect(w.server.requests.length).toBeLessThanOrEqual(2);
    expect(await w.api.verdicts()).toEqual([expect.objectContaining({ commandId: outcome.commandId, label, kind: 'refused', reason })]);
    expect(await w.api.outbox()).toEqual([]);
  });

  it.each(dossierActions)('%s: offline, is queued and goes once the console is back', async (_name, type, act, label) => {
    await w.load();
    w.server.online = false;
    const outcome = await act();
    expect(outcome).toEqual({ commandId: outcome.commandId, status: 'queued' });
    expect(await w.api.outbox()).toEqual([expect.objectContaining({ commandId: outcome.commandId, state: 'pending', label })]);

    w.server.online = true;
    expect(await w.api.syncNow()).toMatchObject({ pushed: 1, applied: 1 });
    expect(w.server.received.map((c) => [c.id, c.type])).toEqual([[outcome.commandId, type]]);
    expect(await w.api.outbox()).toEqual([]);
  });
});

describe('the other actions', () => {
  it('switching the AI mode is online only: offline it says so and queues nothing', async () => {
    await w.load();
    w.server.online = false;
    expect(await failureOf(() => w.api.setAiMode('deterministic'))).toMatchObject({
      kind: 'offline',
      message: expect.stringMatching(/^Switching the AI mode needs a connection to the server.*Nothing was queued/),
    });
    expect(await w.api.outbox()).toEqual([]);
  });

  it('an incident report waits in the outbox under its title', async () => {
    await w.load();
    const commandId = await w.api.writeIncident({ title: 'Z.AI down', severity: 'RED', kind: 'zai_down', startedAt: '2026-11-26T03:00:00Z' });
    expect(await w.api.outbox()).toEqual([expect.objectContaining({ commandId, label: 'Write incident report "Z.AI down"', reviewDecision: null })]);
  });

  it('lists flagged accounts only, and incidents and emails newest first', async () => {
    const flagged = {
      id: id(),
      displayName: 'Jo',
      email: 'jo@x.example',
      accountStatus: 'flagged_for_review' as const,
      flaggedReason: 'refunds',
      flaggedAt: null,
    };
    const cleared = { ...flagged, id: id(), accountStatus: 'active' as const };
    const incident = (startedAt: string) => ({
      id: id(),
      title: 'Stripe slow',
      severity: 'YELLOW' as const,
      kind: 'stripe',
      startedAt,
      resolvedAt: null,
      updatedAt: startedAt,
      status: 'final' as const,
      playbook: null,
      version: 1,
    });
    const email = (createdAt: string) => ({
      id: id(),
      to: 'jo@x.example',
      template: 'featured_activated',
      subject: 'Featured',
      body: 'You are featured',
      status: 'sent' as const,
      attempts: 1,
      lastError: null,
      createdAt,
      sentAt: createdAt,
    });
    const [oldIncident, newIncident] = [incident('2026-11-01T00:00:00Z'), incident('2026-11-20T00:00:00Z')];
    const [oldEmail, newEmail] = [email('2026-11-02T00:00:00Z'), email('2026-11-21T00:00:00Z')];
    await w.load({ accounts: [flagged, cleared], incidents: [oldIncident, newIncident], emails: [oldEmail, newEmail] });
    expect((await w.api.accounts()).map((a) => a.id)).toEqual([flagged.id]);
    expect((await w.api.incidents()).map((i) => i.id)).toEqual([newIncident.id, oldIncident.id]);
    expect((await w.api.emails()).map((e) => e.id)).toEqual([newEmail.id, oldEmail.id]);
  });
});

describe('against the real operator handler and Postgres', () => {
  const SECRET = 'actions-test-secret';
  let db: TestDatabase;
  let stripeDouble: StripeDouble;
  let handler: ReturnType<typeof createOperatorHandler>;
  let token: string;
  let dir: string;

  beforeAll(async () => {
    db = await freshDatabase();
    stripeDouble = await startStripeDouble();
    dir = mkdtempSync(join(tmpdir(), 'dtd-actions-'));
    handler = createOperatorHandler({
      sql: db.sql,
      verifier: hs256Verifier(SECRET),
      stripe: createStripe('sk_test_double', stripeDouble.url),
      sleep: async () => {},
    });
    const operator = await createPerson(db.sql, { profileRole: 'operator' });
    token = await signJwt(SECRET, { sub: operator, aud: 'authenticated', role: 'authenticated', app_metadata: { role: 'operator' } }, 3600);
  });
  afterAll(async () => {
    await stripeDouble?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('activates an orphaned paid charge in one call of at most two requests; a second try is refused in the server words', async () => {
    const council = await createCouncil(db.sql, 'darebin');
    const owner = await createPerson(db.sql);
    const k9 = await createBusiness(db.sql, owner, council, { name: 'Missed Webhook K9' });
    // Stripe took the money and it is recorded, but no placement or queue entry came of it.
    const paid = stripeDouble.createPaidCharge({ amount: 2200, emitEvents: false, metadata: { business_id: k9, council_id: council } });
    const orphan = await createPayment(db.sql, k9, council, { paymentIntentId: paid.paymentIntent.id, chargeId: paid.charge.id });

    const requests: string[] = [];
    const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input).replace(/^.*\/functions\/v1/, 'http://x');
      requests.push(new URL(url).pathname);
      return handler(new Request(url, init));
    }) as typeof globalThis.fetch;
    const c = openConsole({ dbPath: join(dir, `${randomUUID()}.sqlite`), apiUrl: 'http://operator.test', getAccessToken: async () => token, fetch });
    try {
      await c.api.syncNow();
      requests.length = 0;

      const outcome = await c.api.activateOrphan(orphan);
      expect(requests.length).toBeLessThanOrEqual(2);
      expect(requests).toEqual(['/operator/push', '/operator/pull']);
      expect(outcome).toMatchObject({ status: 'applied', details: { outcome: 'applied', placement_id: expect.any(String) } });
      const placements = await db.sql`select id, business_id, status from public.featured_placements where payment_id = ${orphan}`;
      expect(placements).toEqual([{ id: outcome.details!.placement_id, business_id: k9, status: 'active' }]);

      requests.length = 0;
      const again = await c.api.activateOrphan(orphan);
      expect(requests).toHaveLength(2);
      expect(again).toMatchObject({ status: 'rejected', reason: `payment ${orphan} already has an active placement` });
      expect((await c.api.verdicts()).map((v) => [v.commandId, v.label])).toEqual([[again.commandId, 'Activate a featured placement for a paid charge']]);
      expect(await db.sql`select count(*)::int as n from public.featured_placements where payment_id = ${orphan}`).toEqual([{ n: 1 }]);
    } finally {
      await c.close();
    }
  });
});
