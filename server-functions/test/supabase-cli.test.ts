// Deployable unchanged: the real Supabase CLI (npm `supabase`, pinned)
// pushes our migrations to a fresh PostgreSQL carrying the local shim, the
// way `supabase db push` deploys them to a hosted project. Every migration
// file is applied, recorded where our own runner records it, and leaves the
// same schema; a second push finds nothing to do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { applySupabaseShim, MIGRATIONS_DIR } from '../local/stack/database.ts';
import { readMigrations } from '../local/stack/migrate.ts';
import { emptyDatabase, freshDatabase, type TestDatabase } from './db.ts';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../node_modules/.bin/supabase', import.meta.url));
const WORKDIR = fileURLToPath(new URL('../', import.meta.url)); // holds supabase/config.toml and supabase/migrations

let pushed: TestDatabase;
let ours: TestDatabase;
beforeAll(async () => {
  pushed = await emptyDatabase();
  ours = await freshDatabase(); // migrated by our runner (the test template)
  await applySupabaseShim(pushed.sql);
});
afterAll(async () => {
  await pushed?.drop();
  await ours?.drop();
});

const push = () =>
  run(CLI, ['db', 'push', '--db-url', `${pushed.url}?sslmode=disable`, '--workdir', WORKDIR, '--yes'], {
    env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
    timeout: 120_000,
  });

/** What a deployment must get right: every table, column, function signature, policy and grant in public. */
async function schemaOf(db: TestDatabase) {
  const [row] = await db.sql<{ tables: string[]; functions: string[]; policies: string[]; grants: string[] }[]>`
    select
      (select array_agg(x order by x) from (select table_name || '.' || column_name || ':' || data_type as x
         from information_schema.columns where table_schema = 'public') c) as tables,
      (select array_agg(x order by x) from (select p.oid::regprocedure::text || ':' || coalesce(p.proacl::text, '') as x
         from pg_proc p where p.pronamespace = 'public'::regnamespace) f) as functions,
      (select array_agg(x order by x) from (select tablename || ':' || policyname || ':' || cmd || ':' || coalesce(qual, '') as x
         from pg_policies where schemaname = 'public') p) as policies,
      (select array_agg(x order by x) from (select table_name || ':' || grantee || ':' || privilege_type as x
         from information_schema.role_table_grants where table_schema = 'public') g) as grants`;
  return row!;
}

describe('supabase db push (the real CLI, 2.117.0)', () => {
  it('applies every migration in order to a fresh database, the same schema our runner builds; a second push applies nothing', async () => {
    const { stdout, stderr } = await push();
    expect(`${stdout}${stderr}`).toMatch(/Finished supabase db push/);
    const files = (await readMigrations(MIGRATIONS_DIR)).map((m) => m.version);
    const applied = await pushed.sql<{ version: string }[]>`select version from supabase_migrations.schema_migrations order by version`;
    expect(applied.map((r) => r.version)).toEqual(files);
    expect(await schemaOf(pushed)).toEqual(await schemaOf(ours));

    const again = await push();
    expect(`${again.stdout}${again.stderr}`).toMatch(/Remote database is up to date/);
  }, 180_000);
});
