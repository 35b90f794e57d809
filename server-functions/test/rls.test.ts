// Row level security, tested as the role each rule restricts: the public
// (anon), two trainers who must never see each other's money, an operator,
// and a trainer who faked profiles.role = 'operator'. Everything runs in a
// rolled-back transaction (asRole), so tests cannot leak into each other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransactionSql } from 'postgres';
import { randomUUID } from 'node:crypto';
import { anonClaims, asRole, failureOf, freshDatabase, operatorClaims, trainerClaims, type Claims, type TestDatabase } from './db.ts';
import {
  createAlert,
  createBusiness,
  createCouncil,
  createPayment,
  createPerson,
  createPlacement,
  createQueueEntry,
  createRefundRequest,
  createReview,
} from './fixtures.ts';

let db: TestDatabase;
// Trainer A owns one visible business and three hidden ones; trainer B owns
// one visible and one suspended business. Each has a payment, a placement, a
// queue entry and a refund request.
const A = { id: '', visible: '', suspended: '', deleted: '', incomplete: '', payment: '', queuedPayment: '', placement: '', queue: '', refund: '' };
const B = { id: '', visible: '', suspended: '', payment: '', queuedPayment: '', placement: '', queue: '', refund: '' };
const reviews = { approved: '', pending: '', rejected: '', approvedOfHidden: '' };
let operatorId = '';
let fakerId = '';

beforeAll(async () => {
  db = await freshDatabase();
  const sql = db.sql;
  await createCouncil(sql, 'melbourne');
  await createCouncil(sql, 'monash');
  A.id = await createPerson(sql);
  B.id = await createPerson(sql);
  operatorId = await createPerson(sql, { profileRole: 'operator' });
  fakerId = await createPerson(sql, { profileRole: 'operator' });

  A.visible = await createBusiness(sql, A.id, 'melbourne', { name: 'A visible' });
  A.suspended = await createBusiness(sql, A.id, 'melbourne', { name: 'A suspended', status: 'suspended' });
  A.deleted = await createBusiness(sql, A.id, 'melbourne', { name: 'A deleted', deleted: true });
  A.incomplete = await createBusiness(sql, A.id, 'melbourne', { name: 'A incomplete', behaviorIssues: [] });
  B.visible = await createBusiness(sql, B.id, 'monash', { name: 'B visible' });
  B.suspended = await createBusiness(sql, B.id, 'monash', { name: 'B suspended', status: 'suspended' });

  for (const [t, council] of [
    [A, 'melbourne'],
    [B, 'monash'],
  ] as const) {
    t.payment = await createPayment(sql, t.visible, council);
    t.queuedPayment = await createPayment(sql, t.visible, council);
    t.placement = await createPlacement(sql, t.visible, council, t.payment);
    t.queue = await createQueueEntry(sql, t.visible, council, t.queuedPayment);
    t.refund = await createRefundRequest(sql, t.payment, t.visible, t.id);
  }

  reviews.approved = await createReview(sql, A.visible, 'approved');
  reviews.pending = await createReview(sql, A.visible, 'pending');
  reviews.rejected = await createReview(sql, A.visible, 'rejected');
  reviews.approvedOfHidden = await createReview(sql, A.suspended, 'approved');

  await createAlert(sql);
  await sql`insert into public.cron_jobs (job_name, run_id, status, finished_at)
            values ('featured-expiry-and-promotion', ${randomUUID()}, 'success', now())`;
  await sql`select public.audit(${operatorId}, 'operator', 'review.approved', 'review', ${reviews.approved})`;
});
afterAll(async () => {
  await db.drop();
});

async function ids(tx: TransactionSql, table: string): Promise<string[]> {
  const rows = await tx.unsafe(`select id::text as id from public.${table}`);
  return rows.map((r) => r.id as string).sort();
}
const sorted = (...xs: string[]) => [...xs].sort();
const PERMISSION_DENIED = /permission denied/;

describe('the public (anon)', () => {
  it('sees only businesses that are active, not deleted and have specialties and issues', async () => {
    const seen = await asRole(db.sql, anonClaims, (tx) => ids(tx, 'businesses'));
    expect(seen).toEqual(sorted(A.visible, B.visible));
  });

  it('sees only approved reviews of visible businesses', async () => {
    const seen = await asRole(db.sql, anonClaims, (tx) => ids(tx, 'reviews'));
    expect(seen).toEqual([reviews.approved]);
  });

  it('reads councils', async () => {
    const rows = await asRole(db.sql, anonClaims, (tx) => tx`select id from public.councils order by id`);
    expect(rows.map((r) => r.id)).toEqual(['melbourne', 'monash']);
  });

  it('cannot read who owns a business, its status, or a reviewer IP hash', async () => {
    await asRole(db.sql, anonClaims, async (tx) => {
      expect(await failureOf(tx, (sp) => sp`select owner_id from public.businesses`)).toMatch(PERMISSION_DENIED);
      expect(await failureOf(tx, (sp) => sp`select status from public.businesses`)).toMatch(PERMISSION_DENIED);
      expect(await failureOf(tx, (sp) => sp`select submitted_ip_hash from public.reviews`)).toMatch(PERMISSION_DENIED);
      expect(await failureOf(tx, (sp) => sp`select * from public.reviews`)).toMatch(PERMISSION_DENIED);
    });
  });

  it('cannot read payments, placements, queues, refunds, profiles, alerts, settings, flags, cron runs or the audit log', async () => {
    const tables = [
      'payment_audit',
      'featured_placements',
      'featured_queue',
      'refund_requests',
      'profiles',
      'alerts',
      'settings',
      'feature_flags',
      'cron_jobs',
      'audit_log',
      'stripe_events',
      'email_outbox',
      'operator_commands',
      'incidents',
      'triage_logs',
      'ai_provider_health',
      'search_events',
      'search_daily_rollup',
      'complaints',
      'metrics_daily',
    ];
    const readable = await asRole(db.sql, anonClaims, async (tx) => {
      const ok: string[] = [];
      for (const t of tables) if ((await failureOf(tx, (sp) => sp.unsafe(`select 1 from public.${t}`))) === null) ok.push(t);
      return ok;
    });
    expect(readable).toEqual([]);
  });

  it('cannot insert a review directly, approved or pending', async () => {
    await asRole(db.sql, anonClaims, async (tx) => {
      for (const status of ['approved', 'pending']) {
        const err = await failureOf(
          tx,
          (sp) => sp`
          insert into public.reviews (business_id, rating, body, status) values (${A.visible}, 5, 'Great!', ${status})`,
        );
        expect(err, status).toMatch(PERMISSION_DENIED);
      }
    });
  });
});

describe('a trainer', () => {
  const asA = <T>(fn: (tx: TransactionSql) => Promise<T>) => asRole(db.sql, trainerClaims(A.id), fn);

  it('sees their own businesses, hidden ones included, and only the visible ones of others', async () => {
    expect(await asA((tx) => ids(tx, 'businesses'))).toEqual(sorted(A.visible, A.suspended, A.deleted, A.incomplete, B.visible));
  });

  it('sees only their own payments, placements, queue entries and refund requests', async () => {
    const seen = await asA(async (tx) => ({
      payments: await ids(tx, 'payment_audit'),
      placements: await ids(tx, 'featured_placements'),
      queue: await ids(tx, 'featured_queue'),
      refunds: await ids(tx, 'refund_requests'),
    }));
    expect(seen).toEqual({
      payments: sorted(A.payment, A.queuedPayment),
      placements: [A.placement],
      queue: [A.queue],
      refunds: [A.refund],
    });
  });

  it('files complaints only through submit_complaint, about their own businesses, and reads only their own', async () => {
    const { mine, others, direct } = await asA(async (tx) => {
      await tx`select * from public.submit_complaint(${A.incomplete}, 'not_in_search', 'My profile does not appear in search results')`;
      const refused = await failureOf(tx, (sp) => sp`select * from public.submit_complaint(${B.visible}, 'other', 'Not mine')`);
      const direct = await failureOf(
        tx,
        (sp) => sp`insert into public.complaints (business_id, filed_by, kind, message) values (${A.visible}, ${A.id}, 'other', 'direct')`,
      );
      return { mine: await tx`select business_id, kind, status from public.complaints`, others: refused, direct };
    });
    expect(mine).toEqual([{ business_id: A.incomplete, kind: 'not_in_search', status: 'pending' }]);
    expect(others).toMatch(/complaint refused: business .* is not one of your businesses/);
    expect(direct).toMatch(PERMISSION_DENIED);
  });

  it('sees only their own profile', async () => {
    expect(await asA((tx) => ids(tx, 'profiles'))).toEqual([A.id]);
  });

  it('sees approved reviews of businesses they may see (their own hidden ones too), never pending or rejected ones', async () => {
    expect(await asA((tx) => ids(tx, 'reviews'))).toEqual(sorted(reviews.approved, reviews.approvedOfHidden));
    // Trainer B may not see A's suspended listing, so not its reviews either.
    expect(await asRole(db.sql, trainerClaims(B.id), (tx) => ids(tx, 'reviews'))).toEqual([reviews.approved]);
  });

  it('sees no alerts, settings, flags, cron runs, audit entries or Stripe events', async () => {
    const counts = await asA(async (tx) => {
      const out: Record<string, number> = {};
      for (const t of ['alerts', 'settings', 'feature_flags', 'cron_jobs', 'audit_log', 'stripe_events', 'operator_commands']) {
        const [r] = await tx.unsafe(`select count(*)::int as n from public.${t}`);
        out[t] = r!.n as number;
      }
      return out;
    });
    expect(counts).toEqual({ alerts: 0, settings: 0, feature_flags: 0, cron_jobs: 0, audit_log: 0, stripe_events: 0, operator_commands: 0 });
  });

  it("edits the content of their own listing but not another trainer's", async () => {
    const result = await asA(async (tx) => ({
      own: (await tx`update public.businesses set description = 'New words' where id = ${A.visible} returning id`).length,
      other: (await tx`update public.businesses set description = 'Hacked' where id = ${B.visible} returning id`).length,
    }));
    expect(result).toEqual({ own: 1, other: 0 });
  });

  it("cannot change a listing's status, deletion, owner or council, or write any money table", async () => {
    await asA(async (tx) => {
      for (const set of ["status = 'active'", 'deleted = false', `owner_id = '${B.id}'`, "council_id = 'monash'"]) {
        expect(await failureOf(tx, (sp) => sp.unsafe(`update public.businesses set ${set} where id = '${A.suspended}'`)), set).toMatch(PERMISSION_DENIED);
      }
      expect(await failureOf(tx, (sp) => sp`update public.payment_audit set status = 'refunded' where id = ${A.payment}`)).toMatch(PERMISSION_DENIED);
      expect(await failureOf(tx, (sp) => sp`update public.featured_queue set paid_at = now() - interval '1 year' where id = ${A.queue}`)).toMatch(
        PERMISSION_DENIED,
      );
      expect(await failureOf(tx, (sp) => sp`update public.refund_requests set requested_at = now() - interval '1 day' where id = ${A.refund}`)).toMatch(
        PERMISSION_DENIED,
      );
      expect(await failureOf(tx, (sp) => sp`update public.profiles set role = 'operator' where id = ${A.id}`)).toMatch(PERMISSION_DENIED);
    });
  });
});

describe('an operator (JWT app_metadata.role = operator)', () => {
  const asOperator = <T>(fn: (tx: TransactionSql) => Promise<T>) => asRole(db.sql, operatorClaims(operatorId), fn);

  it('reads pending and rejected reviews, every refund request, alert, cron run and payment', async () => {
    const seen = await asOperator(async (tx) => ({
      reviews: await ids(tx, 'reviews'),
      refunds: await ids(tx, 'refund_requests'),
      payments: (await ids(tx, 'payment_audit')).length,
      alerts: (await ids(tx, 'alerts')).length,
      cron: (await tx`select count(*)::int as n from public.cron_jobs`)[0]!.n,
      audit: (await tx`select count(*)::int as n from public.audit_log`)[0]!.n,
      settings: (await tx`select count(*)::int as n from public.settings`)[0]!.n,
      businesses: (await ids(tx, 'businesses')).length,
    }));
    expect(seen).toEqual({
      reviews: sorted(reviews.approved, reviews.pending, reviews.rejected, reviews.approvedOfHidden),
      refunds: sorted(A.refund, B.refund),
      payments: 4,
      alerts: 1,
      cron: 1,
      audit: 1,
      settings: expect.any(Number),
      businesses: 6,
    });
    expect(seen.settings).toBeGreaterThanOrEqual(16);
  });

  it('still cannot read a reviewer IP hash, or decide anything by writing tables directly', async () => {
    await asOperator(async (tx) => {
      expect(await failureOf(tx, (sp) => sp`select submitted_ip_hash from public.reviews`)).toMatch(PERMISSION_DENIED);
      expect(await failureOf(tx, (sp) => sp`update public.reviews set status = 'approved' where id = ${reviews.pending}`)).toMatch(PERMISSION_DENIED);
      expect(await failureOf(tx, (sp) => sp`update public.feature_flags set value = 'deterministic' where key = 'AI_MODE'`)).toMatch(PERMISSION_DENIED);
      expect(await failureOf(tx, (sp) => sp`update public.settings set value = '1' where key = 'featured_price_cents'`)).toMatch(PERMISSION_DENIED);
    });
  });

  it('is recognised by the JWT alone, with or without a profile row', async () => {
    const stranger = randomUUID();
    const result = await asRole(db.sql, operatorClaims(stranger), async (tx) => {
      const [r] = await tx`select public.is_operator() as op, (select count(*)::int from public.alerts) as alerts`;
      return r!;
    });
    expect(result).toEqual({ op: true, alerts: 1 });
  });
});

describe('a trainer claiming to be an operator', () => {
  const fakes: [string, () => Claims][] = [
    ['profiles.role = operator', () => trainerClaims(fakerId)],
    ['user_metadata.role = operator (user-editable)', () => ({ ...trainerClaims(fakerId), user_metadata: { role: 'operator' } })],
    ['top-level role claim "operator"', () => ({ sub: fakerId, role: 'operator', app_metadata: { role: 'trainer' } })],
    ['anon with app_metadata.role = operator', () => ({ role: 'anon', app_metadata: { role: 'operator' } })],
  ];

  it.each(fakes)('is not an operator via %s', async (_how, claims) => {
    const seen = await asRole(db.sql, claims(), async (tx) => {
      const [op] = await tx`select public.is_operator() as op`;
      // Savepoints, so a refusal (anon may not read alerts at all) does not abort the next query.
      const pending = await tx.savepoint((sp) => sp`select id from public.reviews where id = ${reviews.pending}`).catch(() => []);
      const alerts = await tx.savepoint((sp) => sp`select id from public.alerts`).catch(() => []);
      return { op: op!.op, pending: pending.length, alerts: alerts.length };
    });
    expect(seen).toEqual({ op: false, pending: 0, alerts: 0 });
  });
});

describe('nobody', () => {
  const roles: [string, () => Claims][] = [
    ['anon', () => anonClaims],
    ['a trainer', () => trainerClaims(A.id)],
    ['an operator', () => operatorClaims(operatorId)],
  ];

  it.each(roles)('can delete or truncate any table as %s', async (_who, claims) => {
    const tables = (
      await db.sql<{ name: string }[]>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`
    ).map((r) => r.name);
    const allowed = await asRole(db.sql, claims(), async (tx) => {
      const ok: string[] = [];
      for (const t of tables) {
        if ((await failureOf(tx, (sp) => sp.unsafe(`delete from public.${t}`))) === null) ok.push(`delete ${t}`);
        if ((await failureOf(tx, (sp) => sp.unsafe(`truncate public.${t} cascade`))) === null) ok.push(`truncate ${t}`);
      }
      return ok;
    });
    expect(tables.length).toBeGreaterThanOrEqual(21);
    expect(allowed).toEqual([]);
  });
});
