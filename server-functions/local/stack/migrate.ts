// Applies SQL migrations in file-name (timestamp) order, each in its own
// transaction, recording them where the Supabase CLI does
// (supabase_migrations.schema_migrations) so a local database and a hosted one
// agree on what ran. An applied migration whose file has since changed is an
// error: migrations are never edited once applied, only followed by new ones.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sql } from 'postgres';
import { StackError } from './errors.ts';

export interface MigrationFile {
  version: string;
  name: string;
  path: string;
  sql: string;
}

const FILE_PATTERN = /^(\d{14})_([a-z0-9_-]+)\.sql$/;

export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const files: MigrationFile[] = [];
  for (const file of names) {
    const match = FILE_PATTERN.exec(file);
    if (!match) {
      throw new StackError(`migration file name ${join(dir, file)} must look like 20261126000100_name.sql`);
    }
    const path = join(dir, file);
    files.push({ version: match[1]!, name: match[2]!, path, sql: await readFile(path, 'utf8') });
  }
  return files;
}

export async function ensureMigrationTable(sql: Sql): Promise<void> {
  await sql.unsafe(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version    text primary key,
      statements text[],
      name       text
    );`);
}

/** Returns the versions it applied, in order. */
export async function applyMigrations(sql: Sql, dir: string): Promise<string[]> {
  await sql`select pg_advisory_lock(hashtext('dtd-migrations'))`;
  try {
    await ensureMigrationTable(sql);
    const files = await readMigrations(dir);
    const rows = await sql<{ version: string; statements: string[] | null }[]>`
      select version, statements from supabase_migrations.schema_migrations`;
    const applied = new Map(rows.map((r) => [r.version, r.statements?.join('') ?? null]));
    const done: string[] = [];
    for (const file of files) {
      if (applied.has(file.version)) {
        const body = applied.get(file.version);
        if (body !== null && body !== file.sql) {
          throw new StackError(`migration ${file.path} was edited after it was applied; add a new migration instead`);
        }
        continue;
      }
      try {
        await sql.begin(async (tx) => {
          await tx.unsafe(file.sql);
          await tx`insert into supabase_migrations.schema_migrations (version, statements, name)
                   values (${file.version}, ${[file.sql]}, ${file.name})`;
        });
      } catch (err) {
        throw new StackError(`migration ${file.path} failed${where(file.sql, err)}: ${messageOf(err)}`);
      }
      done.push(file.version);
    }
    return done;
  } finally {
    await sql`select pg_advisory_unlock(hashtext('dtd-migrations'))`;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

/** " at line N" from the character position Postgres reports, when it does. */
function where(text: string, err: unknown): string {
  const pos = Number((err as { position?: string }).position);
  if (!Number.isFinite(pos) || pos <= 0) return '';
  return ` at line ${text.slice(0, pos - 1).split('\n').length}`;
}
