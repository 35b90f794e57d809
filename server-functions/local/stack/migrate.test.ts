import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, type TestDatabase } from '../../test/db.ts';
import { applyMigrations } from './migrate.ts';
import { MIGRATIONS_DIR } from './database.ts';

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await freshDatabase();
  dir = await mkdtemp(join(tmpdir(), 'dtd-migrations-'));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
});
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('migration runner', () => {
  it('applies nothing twice: a migrated database is up to date', async () => {
    expect(await applyMigrations(db.sql, dir)).toEqual([]);
  });

  it('applies a new migration once and records it where the Supabase CLI does', async () => {
    await writeFile(join(dir, '29990101000000_add_note.sql'), 'create table public.migration_probe (id int);');
    expect(await applyMigrations(db.sql, dir)).toEqual(['29990101000000']);
    expect(await applyMigrations(db.sql, dir)).toEqual([]);
    const rows = await db.sql`select name from supabase_migrations.schema_migrations where version = '29990101000000'`;
    expect(rows).toEqual([{ name: 'add_note' }]);
  });

  it('refuses to run when an applied migration file was edited afterwards', async () => {
    await writeFile(join(dir, '29990101000000_add_note.sql'), 'create table public.migration_probe (id bigint);');
    await expect(applyMigrations(db.sql, dir)).rejects.toThrow(/29990101000000_add_note\.sql was edited after it was applied/);
  });

  it('names a badly named migration file', async () => {
    await writeFile(join(dir, 'oops.sql'), 'select 1;');
    await expect(applyMigrations(db.sql, dir)).rejects.toThrow(/oops\.sql must look like/);
  });
});
