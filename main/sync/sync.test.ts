// The console's store, sync engine and API against the real operator handler
// and a real database (the HTTP transport's fetch calls the handler in
// process). The network can be "pulled" to test offline behaviour.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeDouble, type StripeDouble } from '../../server-functions/local/doubles/stripe.ts';
import { signJwt } from '../../server-functions/local/stack/keys.ts';
import { hs256Verifier } from '../../server-functions/supabase/functions/_shared/auth.ts';
import { createStripe } from '../../server-functions/supabase/functions/_shared/stripe.ts';
import { createOperatorHandler } from '../../server-functions/supabase/functions/operator/handler.ts';
import { freshDatabase, rowCount, type TestDatabase } from '../../server-functions/test/db.ts';
import { createBusiness, createCouncil, createPayment, createPerson, createRefundRequest, createReview } from '../../server-functions/test/fixtures.ts';
import { openConsole, type OpenConsole } from '../console/open.ts';
import { integrityCheck, LocalMigrationError, openLocalDatabase } from '../store/db.ts';
import { MIGRATIONS } from '../store/migrations.ts';

const SECRET = 'sync-test-secret';
let db: TestDatabase;
let stripeDouble: StripeDouble;
let dir: string;
let handler: ReturnType<typeof createOperatorHandler>;
let operator: string;
let other: string;
let token: string;
let otherToken: string;
let business: string;
let trainer: string;
const network: { up: boolean; pullGate: Promise<void> | null } = { up: true, pullGate: null };

beforeAll(async () => {
  db = await freshDatabase();
  stripeDouble = await startStripeDouble();
  dir = mkdtempSync(join(tmpdir(), 'dtd-console-'));
  handler = createOperatorHandler({
    sql: db.sql,
    verifier: hs256Verifier(SECRET),
    stripe: createStripe('sk_test_double', stripeDouble.url),
    sleep: async () => {},
  });
  operator = await createPerson(db.sql, { profileRole: 'operator' });
  other = await createPerson(db.sql, { profileRole: 'operator' });
  await db.sql`update public.profiles set display_name = 'Robin Second' where id = ${other}`;
  const claims = (sub: string) => ({ sub, aud: 'authenticated', role: 'authenticated', app_metadata: { role: 'operator' } });
  token = await signJwt(SECRET, claims(operator), 3600);
  otherToken = await signJwt(SECRET, claims(other), 3600);
  const council = await createCouncil(db.sql, 'darebin');
  trainer = await createPerson(db.sql);
  business = await createBusiness(db.sql, trainer, council);
});
afterAll(async () => {
  await stripeDouble?.close();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function client(accessToken = token, engine = {}): OpenConsole {
  return openConsole({
    dbPath: join(dir, `c${++n}.sqlite`),
    apiUrl: 'http://operator.test',
    getAccessToken: async () => accessToken,
    engine: { baseDelayMs: 1, maxDelayMs: 2, ...engine },
  });
}
// The real HTTP transport, with fetch answered by the real handler (or failing like a dead network).
const realFetch = globalThis.fetch;
globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
  if (!String(input).startsWith('http://operator.test')) return realFetch(input, init); // Stripe's SDK, to its double
  if (!network.up) throw new TypeError('fetch failed (network unreachable)');
  const url = String(input).replace(/^.*\/functions\/v1/, 'http://x');
  if (url.endsWith('/operator/pull')) await network.pullGate;
  return handler(new Request(url, init));
}) as typeof fetch;

describe('local database', () => {
  it('refuses to open when an applied migration was edited, naming it', () => {
    const path = join(dir, 'edited.sqlite');
    openLocalDatabase(path).close();
    const edited = MIGRATIONS.map((m) => (m.version === 1 ? { ...m, sql: m.sql + '\n-- tweak' } : m));
    expect(() => openLocalDatabase(path, edited)).toThrowError(LocalMigrationError);
    expect(() => openLocalDatabase(path, edited)).toThrowError(/migration 1 \(cache_outbox_verdicts\) was edited/);
    const ok = openLocalDatabase(path);
    expect(ok.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(ok.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(ok.pragma('page_size', { simple: true })).toBe(8192);
    ok.close();
  });
});

describe('an offline batch', () => {
  it('decides offline, previews, edits the outbox, then syncs each decision exactly once', async () => {
    const reviews = await Promise.all([1, 2, 3, 4].map(() => createReview(db.sql, business)));
    const paid = stripeDouble.createPaidCharge({ amount: 2200, emitEvents: false });
    const payment = await createPayment(db.sql, business, 'darebin', { paymentIntentId: paid.paymentIntent.id, chargeId: paid.charge.id });
    const refund = await createRefundRequest(db.sql, payment, business, trainer);
    const c = client();
    await c.api.syncNow();
    expect((await c.api.reviews()).map((r) => r.id)).toEqual(expect.arrayContaining(reviews));
    expect(c.db.pragma('synchronous', { simple: true })).toBe(2); // the pull's relaxed commit leaves decisions on FULL

    network.up = false;
    const [a, b, cc, d] = reviews as [string, string, string, string];
    await c.api.decideReview(a, { kind: 'approve' });
    await c.api.decideReview(b, { kind: 'approve' });
    const rejectB = (await c.api.decideReview(b, { kind: 'reject', reason: 'spam' })).localDecision!.commandId; // re-deciding changes the waiting command
    const toCancel = (await c.api.decideReview(cc, { kind: 'approve' })).localDecision!.commandId;
    await c.api.decideReview(d, { kind: 'reject', reason: 'off_topic', note: 'about a cafe' });
    // The policy both ways, refused at once in the server's words (nothing queued: the outbox stays at 4 below).
    await expect(async () => c.api.decideRefund(refund, { kind: 'deny' })).rejects.toThrow(
      /^Requested \d+ h \d+ min \d+ s after purchase, inside the 72 h refund window: the policy is to refund it, so it can only be approved\.$/,
    );
    await c.api.decideRefund(refund, { kind: 'approve' });
    await c.api.cancelCommand(toCancel);
    expect((await c.api.reviews()).find((r) => r.id === b)!.localDecision).toMatchObject({ commandId: rejectB, type: 'review.reject' });
    expect((await c.api.previewUpload()).summary).toBe('1 approval, 2 rejections, 1 refund totalling $22.00');

    // Online-only actions say so and queue nothing.
    await expect(c.api.runJobNow()).rejects.toThrow(/needs a connection.*Nothing was queued/);
    await expect(c.api.setAiMode('deterministic')).rejects.toThrow(/offline/);
    expect(await c.api.outbox()).toHaveLength(4);
    await expect(c.api.syncNow()).rejects.toThrow(/cannot reach the server/);
    const offline = await c.api.status();
    expect(offline).toMatchObject({ online: false, pending: 4 });
    expect(offline.oldestPendingAgeMs).toBeGreaterThanOrEqual(0);
    expect(offline.nextAttemptAt).not.toBeNull();

    network.up = true;
    const report = await c.api.syncNow();
    expect(await c.api.outbox()).toEqual([]);
    expect(report).toMatchObject({ pushed: 4, applied: 4, rejected: 0 });
    expect(await c.api.outbox()).toEqual([]);
    const server = await db.sql`select id, status from public.reviews where id = any(${reviews}::uuid[]) order by id`;
    expect(Object.fromEntries(server.map((r) => [r.id, r.status]))).toEqual({ [a]: 'approved', [b]: 'rejected', [cc]: 'pending', [d]: 'rejected' });
    expect((await db.sql`select status from public.refund_requests where id = ${refund}`)[0]!.status).toBe('approved');
    expect(stripeDouble.store.refunds.size).toBe(1);
    // The pull after the push brought the decided state back.
    expect((await c.api.reviews({ status: 'all' })).find((r) => r.id === a)).toMatchObject({ status: 'approved', localDecision: null });
    expect(await rowCount(db.sql, 'operator_commands')).toBe(4);
    expect(integrityCheck(c.db)).toBe('ok');
    await c.close();
  });

  it('a crash while sending resends on restart and the server applies it once', async () => {
    const review = await createReview(db.sql, business);
    const path = join(dir, 'crash.sqlite');
    const first = openConsole({ dbPath: path, apiUrl: 'http://operator.test', getAccessToken: async () => token });
    await first.api.syncNow();
    const id = (await first.api.decideReview(review, { kind: 'approve' })).localDecision!.commandId;
    // The request reached the server, but the console died before recording the answer.
    const claimed = first.store.claimBatch(10);
    await first.transport.push(claimed);
    first.db.close();
    const again = openConsole({ dbPath: path, apiUrl: 'http://operator.test', getAccessToken: async () => token });
    expect((await again.api.outbox())[0]).toMatchObject({ commandId: id, state: 'sending' });
    const report = await again.api.syncNow();
    expect(report).toMatchObject({ pushed: 1, applied: 1 });
    expect((await db.sql`select count(*)::int as n from public.audit_log where subject_id = ${review} and action = 'command.review.approve'`)[0]!.n).toBe(1);
    await again.close();
  });
});

describe('verdicts', () => {
  it('a decision another operator beat lands in the verdict inbox with their name, until dismissed', async () => {
    const review = await createReview(db.sql, business);
    const mine = client();
    const theirs = client(otherToken);
    await Promise.all([mine.api.syncNow(), theirs.api.syncNow()]);
    await theirs.api.decideReview(review, { kind: 'reject', reason: 'profanity' });
    const id = (await mine.api.decideReview(review, { kind: 'approve' })).localDecision!.commandId;
    await theirs.api.syncNow();
    const report = await mine.api.syncNow();
    expect(report).toMatchObject({ applied: 0, rejected: 1 });
    const [v] = await mine.api.verdicts();
    expect(v).toMatchObject({ commandId: id, kind: 'stale', decidedBy: { id: other, name: 'Robin Second' }, current: { status: 'rejected' } });
    expect(v!.reason).toMatch(/already rejected by Robin Second/);
    expect((await mine.api.reviews({ status: 'all' })).find((r) => r.id === review)).toMatchObject({ status: 'rejected', localDecision: null });
    expect(await mine.api.dismissVerdict(id)).toBe(true);
    expect(await mine.api.verdicts()).toEqual([]);
    await Promise.all([mine.close(), theirs.close()]);
  });

  it('a command the server keeps failing on goes to the dead-letter lane and never blocks the ones behind it', async () => {
    const review = await createReview(db.sql, business);
    const c = client();
    await c.api.syncNow();
    // A fault, not a verdict: the database fails this command's insert every time (a trigger planted for the test).
    await db.sql.unsafe(`
      create or replace function public.test_incidents_fault() returns trigger language plpgsql as
        $$ begin raise exception 'planted fault: incidents unwritable'; end $$;
      create trigger test_incidents_fault before insert on public.incidents for each row execute function public.test_incidents_fault();`);
    const broken = await c.api.writeIncident({
      title: 'Clock skew',
      severity: 'YELLOW',
      kind: 'other',
      startedAt: '2026-11-20T10:00:00Z',
      resolvedAt: '2026-11-20T11:00:00Z',
    });
    await c.api.decideReview(review, { kind: 'approve' });
    const first = await c.api.syncNow();
    expect(first).toMatchObject({ applied: 1, failed: 1 });
    expect((await db.sql`select status from public.reviews where id = ${review}`)[0]!.status).toBe('approved');
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 5)); // past the (shortened) back-off
      await c.api.syncNow();
    }
    const [entry] = await c.api.outbox();
    expect(entry).toMatchObject({ commandId: broken, state: 'dead', attempts: 5 });
    expect(entry!.lastError).toMatch(/planted fault: incidents unwritable/);
    expect((await c.api.verdicts()).find((v) => v.commandId === broken)).toMatchObject({ kind: 'dead_letter' });
    expect((await c.api.previewUpload()).summary).toMatch(/1 command held in the dead-letter lane/);
    expect((await c.api.status()).dead).toBe(1);
    await db.sql`drop trigger test_incidents_fault on public.incidents`;
    await c.close();
  });
});

describe('the engine', () => {
  it('backs off exponentially with jitter, within bounds', () => {
    const c = client(token, { baseDelayMs: 1000, maxDelayMs: 60_000, random: () => 0.5 });
    const low = client(token, { baseDelayMs: 1000, maxDelayMs: 60_000, random: () => 0 });
    expect([1, 2, 3, 4].map((a) => c.engine.backoff(a))).toEqual([750, 1500, 3000, 6000]);
    expect([1, 2, 3, 4].map((a) => low.engine.backoff(a))).toEqual([500, 1000, 2000, 4000]);
    expect(c.engine.backoff(20)).toBeLessThanOrEqual(60_000);
    void c.close();
    void low.close();
  });

  it('a send-now while a sync is running sends the command queued after that run took its batch', async () => {
    const review = await createReview(db.sql, business);
    const c = client();
    await c.api.syncNow();
    let open!: () => void;
    network.pullGate = new Promise((r) => (open = r));
    const background = c.api.syncNow(); // its push found an empty outbox; it now waits on its pull
    await new Promise((r) => setTimeout(r, 20));
    const id = (await c.api.decideReview(review, { kind: 'approve' })).localDecision!.commandId;
    const sendNow = c.api.syncNow();
    network.pullGate = null;
    open();
    expect(await background).toMatchObject({ pushed: 0 });
    expect(await sendNow).toMatchObject({ pushed: 1, applied: 1 });
    expect((await c.api.outbox()).map((e) => e.commandId)).not.toContain(id);
    expect((await db.sql`select status from public.reviews where id = ${review}`)[0]!.status).toBe('approved');
    await c.close();
  });

  it('reports a stalled outbox once nothing has moved for the watchdog period', async () => {
    let now = Date.now();
    const c = openConsole({
      dbPath: join(dir, 'stall.sqlite'),
      apiUrl: 'http://operator.test',
      getAccessToken: async () => token,
      engine: { watchdogMs: 60_000, clock: () => now, baseDelayMs: 1, maxDelayMs: 2 },
    });
    await c.api.syncNow();
    const review = await createReview(db.sql, business);
    await c.api.syncNow();
    await c.api.decideReview(review, { kind: 'approve' });
    expect((await c.api.status()).stalled).toBe(false);
    now += 61_000;
    expect((await c.api.status()).stalled).toBe(true);
    await c.api.syncNow();
    expect(await c.api.status()).toMatchObject({ stalled: false, pending: 0 });
    await c.close();
  });
});
