// The schema as a contract: migrations apply cleanly and only once, every
// table and column other code relies on exists (a later migration that drops
// or renames one fails here), every table and column is documented, and the
// seeded settings and flags hold the business numbers.
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../local/stack/migrate.ts';
import { MIGRATIONS_DIR, prepareDatabase } from '../local/stack/database.ts';
import { asRole, emptyDatabase, freshDatabase, type TestDatabase } from './db.ts';
import { createBusiness, createCouncil, createPerson, createReview } from './fixtures.ts';

/** Tables and the columns other code depends on. Additive only: extend, never shrink. */
const EXPECTED_COLUMNS: Record<string, string[]> = {
  councils: ['id', 'name', 'created_at'],
  profiles: ['id', 'role', 'account_status', 'flagged_reason', 'flagged_at', 'display_name', 'email', 'created_at', 'updated_at'],
  settings: ['key', 'value', 'description', 'updated_at'],
  feature_flags: ['key', 'value', 'description', 'updated_by', 'updated_at'],
  audit_log: ['id', 'occurred_at', 'actor_id', 'actor_kind', 'action', 'subject_type', 'subject_id', 'amount_cents', 'details'],
  businesses: [
    'id',
    'owner_id',
    'council_id',
    'name',
    'description',
    'status',
    'deleted',
    'age_specialties',
    'behavior_issues',
    'service_types',
    'suburb',
    'phone',
    'email',
    'website',
    'created_at',
    'updated_at',
  ],
  reviews: [
    'id',
    'business_id',
    'rating',
    'body',
    'display_name',
    'status',
    'ai_confidence',
    'ai_flags',
    'rejection_reason',
    'rejection_note',
    'moderated_by',
    'moderated_at',
    'version',
    'submitted_ip_hash',
    'created_at',
    'updated_at',
  ],
  search_events: ['id', 'occurred_at', 'council_id', 'filters', 'result_count', 'latency_ms'],
  search_daily_rollup: ['day', 'council_id', 'searches', 'zero_results', 'rolled_up_at'],
  payment_audit: [
    'id',
    'business_id',
    'council_id',
    'stripe_payment_intent_id',
    'stripe_charge_id',
    'stripe_checkout_session_id',
    'amount_cents',
    'currency',
    'status',
    'paid_at',
    'refunded_at',
    'stripe_refund_id',
    'last_stripe_event_at',
    'notes',
    'created_at',
    'updated_at',
  ],
  featured_placements: [
    'id',
    'business_id',
    'council_id',
    'payment_id',
    'status',
    'featured_from',
    'featured_until',
    'refund_status',
    'refunded_at',
    'created_at',
    'updated_at',
  ],
  featured_queue: ['id', 'business_id', 'council_id', 'payment_id', 'paid_at', 'promoted_at', 'placement_id', 'cancelled_at', 'created_at'],
  stripe_events: ['id', 'type', 'created_at_stripe', 'payload', 'received_at', 'processed_at', 'error', 'attempts'],
  refund_requests: [
    'id',
    'payment_id',
    'business_id',
    'requested_by',
    'requested_at',
    'reason',
    'status',
    'decided_by',
    'decided_at',
    'decision_note',
    'version',
    'created_at',
    'updated_at',
  ],
  cron_jobs: [
    'id',
    'job_name',
    'run_id',
    'attempt',
    'max_attempts',
    'trigger',
    'triggered_by',
    'started_at',
    'finished_at',
    'duration_ms',
    'status',
    'error',
    'result',
  ],
  alerts: ['id', 'severity', 'kind', 'subject', 'message', 'details', 'opened_at', 'resolved_at', 'acknowledged_by', 'acknowledged_at', 'updated_at'],
  incidents: [
    'id',
    'title',
    'severity',
    'kind',
    'started_at',
    'resolved_at',
    'root_cause',
    'response',
    'resolution',
    'user_impact',
    'created_by',
    'created_at',
    'updated_at',
  ],
  email_outbox: [
    'id',
    'to_email',
    'template',
    'subject',
    'body_text',
    'payload',
    'status',
    'provider_message_id',
    'attempts',
    'last_error',
    'created_at',
    'sent_at',
    'dedupe_key',
  ],
  triage_logs: ['id', 'occurred_at', 'provider', 'category', 'latency_ms', 'cost_cents', 'fell_back', 'error'],
  ai_provider_health: ['id', 'provider', 'checked_at', 'ok', 'latency_ms', 'error'],
  operator_commands: ['id', 'operator_id', 'type', 'payload', 'base_version', 'decided_at', 'received_at', 'status', 'result'],
};

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('migrations', () => {
  it('apply to an empty database in file order, and a second run applies nothing', async () => {
    const empty = await emptyDatabase();
    try {
      const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
      const applied = await prepareDatabase(empty.url);
      expect(applied).toEqual(files.map((f) => f.slice(0, 14)));
      expect(await prepareDatabase(empty.url)).toEqual([]);
    } finally {
      await empty.drop();
    }
  });

  it('applies nothing when run again on the migrated test database', async () => {
    expect(await applyMigrations(db.sql, MIGRATIONS_DIR)).toEqual([]);
  });

  it('creates every table and column the functions and the app rely on', async () => {
    const rows = await db.sql<{ table_name: string; column_name: string }[]>`
      select table_name, column_name from information_schema.columns where table_schema = 'public'`;
    const actual = new Map<string, Set<string>>();
    for (const r of rows) {
      if (!actual.has(r.table_name)) actual.set(r.table_name, new Set());
      actual.get(r.table_name)!.add(r.column_name);
    }
    const missing: string[] = [];
    for (const [table, columns] of Object.entries(EXPECTED_COLUMNS)) {
      if (!actual.has(table)) missing.push(table);
      else for (const c of columns) if (!actual.get(table)!.has(c)) missing.push(`${table}.${c}`);
    }
    expect(missing).toEqual([]);
  });

  it('documents every table and every column with a comment', async () => {
    const undocumented = await db.sql<{ what: string }[]>`
      select c.relname as what
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and obj_description(c.oid, 'pg_class') is null
      union all
      select c.relname || '.' || a.attname
      from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where n.nspname = 'public' and c.relkind in ('r', 'p') and col_description(c.oid, a.attnum) is null`;
    expect(undocumented.map((r) => r.what)).toEqual([]);
  });
});

describe('settings and feature flags', () => {
  it('hold the business numbers the rules read', async () => {
    const rows = await db.sql<{ key: string; value: unknown }[]>`select key, value from public.settings`;
    const settings = Object.fromEntries(rows.map((r) => [r.key, r.value]));
    expect(settings).toMatchObject({
      featured_price_cents: 2200,
      featured_currency: 'aud',
      featured_days: 30,
      featured_slots_per_council: 5,
      refund_window_hours: 72,
      queue_alert_threshold: 10,
      refund_rate_yellow_pct: 10,
      refund_rate_red_pct: 15,
      cron_stale_yellow_hours: 24,
      cron_stale_red_hours: 48,
      webhook_failures_per_hour_red: 3,
      zai_down_red_minutes: 30,
      ai_budget_cents_per_month: 25000,
      cron_max_attempts: 5,
      refund_abuse_limit: 3,
      refund_abuse_window_days: 7,
    });
  });

  it('start with AI_MODE = z_ai and accept the three known modes', async () => {
    const [flag] = await db.sql`select value from public.feature_flags where key = 'AI_MODE'`;
    expect(flag!.value).toBe('z_ai');
    await db.sql.begin(async (tx) => {
      for (const mode of ['deterministic', 'secondary', 'z_ai']) {
        await tx`update public.feature_flags set value = ${mode} where key = 'AI_MODE'`;
      }
    });
  });

  it('refuse an unknown AI_MODE, even from the server', async () => {
    await expect(db.sql`update public.feature_flags set value = 'gpt' where key = 'AI_MODE'`).rejects.toThrow(/feature_flags_ai_mode_known/);
    const [flag] = await db.sql`select value from public.feature_flags where key = 'AI_MODE'`;
    expect(flag!.value).toBe('z_ai');
  });
});

describe('row versions', () => {
  it('bump a review version on every update, whoever updates it', async () => {
    await createCouncil(db.sql);
    const owner = await createPerson(db.sql);
    const review = await createReview(db.sql, await createBusiness(db.sql, owner, 'melbourne'));
    await db.sql`update public.reviews set ai_confidence = 0.5 where id = ${review}`;
    const [after] = await db.sql`select version from public.reviews where id = ${review}`;
    expect(after!.version).toBe(2);
    const bumped = await asRole(db.sql, { role: 'service_role' }, async (tx) => {
      const [r] = await tx`update public.reviews set status = 'approved' where id = ${review} returning version`;
      return r!.version;
    });
    expect(bumped).toBe(3);
  });

  it('refuse a rejected review without a reason', async () => {
    const owner = await createPerson(db.sql);
    const review = await createReview(db.sql, await createBusiness(db.sql, owner, 'melbourne'));
    await expect(db.sql`update public.reviews set status = 'rejected' where id = ${review}`).rejects.toThrow(/reviews_rejected_has_reason/);
  });
});

describe('why a business is hidden', () => {
  it('business_hidden_reason names a reason exactly when business_is_visible is false, for every combination', async () => {
    const db = await freshDatabase();
    try {
      const rows = await db.sql<{ visible: boolean; reason: string | null }[]>`
        select public.business_is_visible(s, d, a, i) as visible, public.business_hidden_reason(s, d, a, i) as reason
        from (values ('active'), ('suspended')) st(s), (values (false), (true)) de(d),
             (values ('{}'::text[]), ('{puppy}'::text[])) ag(a), (values ('{}'::text[]), ('{pulling}'::text[])) iss(i)`;
      expect(rows).toHaveLength(16);
      for (const r of rows) expect(r.reason === null).toBe(r.visible);
      expect(new Set(rows.map((r) => r.reason))).toEqual(
        new Set([
          null,
          'the business is deleted',
          'the business is suspended',
          'the business lists no age specialties',
          'the business lists no behaviour issues',
        ]),
      );
    } finally {
      await db.drop();
    }
  });
});
