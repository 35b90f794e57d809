// Catalog-wide guarantees, checked for every table and function in schema
// public (so a table added later without RLS or with a stray grant fails
// here): RLS is on everywhere, the API roles can never delete, truncate or
// write directly, anon reads only the public directory, and security definer
// functions pin their search_path and are callable only by whom they serve.
// The same privileges must come out on a database that, like a hosted
// Supabase project, grants ALL to the API roles by default.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from 'postgres';
import { applyMigrations } from '../local/stack/migrate.ts';
import { MIGRATIONS_DIR, applySupabaseShim } from '../local/stack/database.ts';
import { emptyDatabase, freshDatabase, type TestDatabase } from './db.ts';

const API_ROLES = ['anon', 'authenticated'] as const;

let db: TestDatabase;
let hosted: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
  // Hosted Supabase: the API roles get ALL on every new table, sequence and
  // function in public through default privileges, before our migrations run.
  hosted = await emptyDatabase();
  await applySupabaseShim(hosted.sql);
  await hosted.sql.unsafe(`
    alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
    alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
    alter default privileges in schema public grant all on functions to anon, authenticated, service_role;`);
  await applyMigrations(hosted.sql, MIGRATIONS_DIR);
});
afterAll(async () => {
  await db?.drop();
  await hosted?.drop();
});

async function publicTables(sql: Sql): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`;
  return rows.map((r) => r.name);
}

/** Every privilege each API role holds on tables, columns and functions in public, as sorted lines. */
async function privilegeMatrix(sql: Sql): Promise<string[]> {
  const rows = await sql<{ line: string }[]>`
    with roles(r) as (values ('anon'), ('authenticated'), ('service_role')),
         tables as (select c.oid, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                    where n.nspname = 'public' and c.relkind in ('r', 'p')),
         privs(p) as (values ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER'))
    select r || ' ' || p || ' ' || t.relname as line
    from roles, tables t, privs where has_table_privilege(r, t.oid, p)
    union all
    select r || ' ' || p || ' ' || t.relname || '.' || a.attname
    from roles, tables t
      join pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped,
      (values ('SELECT'), ('INSERT'), ('UPDATE')) cp(p)
    where has_column_privilege(r, t.oid, a.attnum, p) and not has_table_privilege(r, t.oid, p)
    union all
    select r || ' EXECUTE ' || f.oid::regprocedure::text
    from roles, pg_proc f join pg_namespace n on n.oid = f.pronamespace
    where n.nspname = 'public' and has_function_privilege(r, f.oid, 'EXECUTE')
    order by 1`;
  return rows.map((r) => r.line);
}

describe.each([
  ['the test database', () => db],
  ['a database with hosted Supabase default privileges', () => hosted],
])('on %s', (_label, current) => {
  it('has row level security enabled on every table in public', async () => {
    const rows = await current().sql<{ name: string }[]>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity`;
    expect(await publicTables(current().sql)).toContain('audit_log');
    expect(rows.map((r) => r.name)).toEqual([]);
  });

  it('gives anon and authenticated no DELETE, TRUNCATE or INSERT on any table', async () => {
    const held: string[] = [];
    for (const table of await publicTables(current().sql)) {
      for (const role of API_ROLES) {
        for (const priv of ['DELETE', 'TRUNCATE', 'INSERT', 'REFERENCES', 'TRIGGER']) {
          const [r] = await current().sql`select has_table_privilege(${role}, ${'public.' + table}, ${priv}) as held`;
          if (r!.held) held.push(`${role} ${priv} ${table}`);
        }
        const [ins] = await current().sql`select has_any_column_privilege(${role}, ${'public.' + table}, 'INSERT') as held`;
        if (ins!.held) held.push(`${role} INSERT (columns) ${table}`);
      }
    }
    expect(held).toEqual([]);
  });

  it('lets clients UPDATE nothing but the content columns of a business listing', async () => {
    const matrix = await privilegeMatrix(current().sql);
    const updates = matrix.filter((l) => /^(anon|authenticated) UPDATE /.test(l));
    expect(updates).toEqual(
      ['description', 'email', 'name', 'phone', 'service_types', 'suburb', 'website', 'age_specialties', 'behavior_issues']
        .map((c) => `authenticated UPDATE businesses.${c}`)
        .sort(),
    );
  });

  it('lets anon read only councils, public business columns and approved-review columns', async () => {
    const matrix = await privilegeMatrix(current().sql);
    const anonReads = matrix.filter((l) => l.startsWith('anon SELECT '));
    expect(anonReads.filter((l) => !/ (councils|businesses\.\w+|reviews\.\w+)$/.test(l))).toEqual([]);
    expect(anonReads).toContain('anon SELECT councils');
    expect(anonReads).not.toContain('anon SELECT businesses.owner_id');
    expect(anonReads).not.toContain('anon SELECT businesses.status');
    expect(anonReads).not.toContain('anon SELECT reviews.submitted_ip_hash');
    expect(anonReads).not.toContain('anon SELECT reviews.ai_confidence');
  });

  it('never lets anon or authenticated read a review submitter IP hash', async () => {
    for (const role of API_ROLES) {
      const [r] = await current().sql`select has_column_privilege(${role}, 'public.reviews', 'submitted_ip_hash', 'SELECT') as held`;
      expect(r!.held, role).toBe(false);
    }
  });

  it('lets service_role read and append the audit log but never change it', async () => {
    const matrix = await privilegeMatrix(current().sql);
    expect(matrix.filter((l) => l.startsWith('service_role ') && l.endsWith(' audit_log'))).toEqual([
      'service_role INSERT audit_log',
      'service_role SELECT audit_log',
    ]);
  });

  it('pins search_path on every security definer function and exposes each only to its callers', async () => {
    const rows = await current().sql<{ fn: string; config: string[] | null; callers: string[] }[]>`
      select f.oid::regprocedure::text as fn, f.proconfig as config,
             array(select r from unnest(array['public', 'anon', 'authenticated', 'service_role']) r
                   where case when r = 'public' then exists (select 1 from aclexplode(coalesce(f.proacl, acldefault('f', f.proowner))) x where x.grantee = 0)
                              else has_function_privilege(r, f.oid, 'EXECUTE') end order by 1) as callers
      from pg_proc f join pg_namespace n on n.oid = f.pronamespace
      where n.nspname = 'public' and f.prosecdef order by 1`;
    for (const r of rows) expect(r.config ?? [], r.fn).toContain('search_path=""');
    // Server-only writes: callable by the service role alone.
    const serverOnly = [
      'activate_orphaned_payment(uuid,uuid,timestamp with time zone)',
      'activate_paid_payment(uuid,uuid,timestamp with time zone)',
      'mark_payment_failed(uuid,text,timestamp with time zone)',
      'start_placement(payment_audit,timestamp with time zone)',
      'metrics_days(date,timestamp with time zone)',
      'metrics_series(date,timestamp with time zone)',
      'rollup_metrics(timestamp with time zone)',
      'apply_refund_decision(uuid,text,uuid,uuid,text,text,timestamp with time zone)',
      'refund_eligibility(uuid)',
      'ai_provider_summary(timestamp with time zone)',
      'ai_budget_state(timestamp with time zone)',
      'refresh_ai_budget_alert(timestamp with time zone)',
      'audit(uuid,text,text,text,text,integer,jsonb)',
      'business_contact(uuid)',
      'expire_and_promote(timestamp with time zone)',
      'ingest_stripe_event(text,text,timestamp with time zone,jsonb,timestamp with time zone,text,jsonb)',
      'open_alert(text,text,text,text,jsonb,timestamp with time zone)',
      'promote_from_queue(text[],timestamp with time zone)',
      'promote_settled(timestamp with time zone)',
      'check_queue_integrity(text,timestamp with time zone)',
      'queue_email(text,text,jsonb,text)',
      'queue_position(uuid,timestamp with time zone)',
      'record_db_probe(numeric,boolean,text,timestamp with time zone)',
      'refresh_alerts(text,timestamp with time zone)',
      'refresh_db_alert(timestamp with time zone)',
      'refresh_operations_alerts(timestamp with time zone)',
      'refresh_payment_red_alerts(timestamp with time zone)',
      'review_precheck(uuid,text,text,integer)',
      'take_ai_slot(text,integer,timestamp with time zone)',
      'record_payment_succeeded(uuid,integer,text,timestamp with time zone,text,text,text,timestamp with time zone,timestamp with time zone)',
      'record_refund(uuid,integer,text,timestamp with time zone,timestamp with time zone,text,text,text,timestamp with time zone,timestamp with time zone)',
      'refresh_ai_alerts(timestamp with time zone)',
      'record_cron_unreachable(text,text,timestamp with time zone,timestamp with time zone)',
      'refund_rate_7d(timestamp with time zone)',
      'renote_unplaced_payments()',
      'refresh_money_alerts(timestamp with time zone)',
      'resolve_alert(text,text,timestamp with time zone)',
      'submit_review(uuid,integer,text,text,numeric,text[],text,integer)',
    ];
    expect(Object.fromEntries(rows.map((r) => [r.fn, r.callers]))).toEqual({
      ...Object.fromEntries(serverOnly.map((fn) => [fn, ['service_role']])),
      // The general promotion runs only through promote_from_queue (which skips full councils).
      'promote_from_queue_all(text[],timestamp with time zone)': [],
      // Trigger functions keeping public.unplaced_payments: nobody calls them.
      'note_unplaced_payment()': [],
      'clear_unplaced_payment()': [],
      // Public search returns public columns of visible businesses only.
      'search_businesses(text,text[],text[],text,text,boolean,text,uuid,integer)': ['anon', 'authenticated', 'service_role'],
      'submit_refund_request(uuid,text)': ['authenticated'],
      'submit_complaint(uuid,text,text,uuid,uuid)': ['authenticated'],
    });
  });
});

describe('hosted Supabase default privileges', () => {
  it('produce exactly the same grants as the test database', async () => {
    expect(await privilegeMatrix(hosted.sql)).toEqual(await privilegeMatrix(db.sql));
  });
});
