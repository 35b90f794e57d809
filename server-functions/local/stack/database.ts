// Brings a database to the schema the functions expect: the local Supabase
// shim (roles, auth schema) and then our migrations. Used by `npm run stack`
// and by the test harness so both run exactly the same SQL.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import postgres, { type Sql } from 'postgres';
import { applyMigrations } from './migrate.ts';
import { StackError } from './errors.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../supabase/migrations/', import.meta.url));
const SHIM_PATH = fileURLToPath(new URL('../supabase-shim.sql', import.meta.url));

export function connect(url: string, max = 4): Sql {
  return postgres(url, { max, onnotice: () => undefined, connect_timeout: 10 });
}

export async function applySupabaseShim(sql: Sql): Promise<void> {
  try {
    await sql.unsafe(await readFile(SHIM_PATH, 'utf8'));
  } catch (err) {
    throw new StackError(`local Supabase shim ${SHIM_PATH} failed: ${(err as Error).message}`);
  }
}

export async function prepareDatabase(url: string, migrationsDir = MIGRATIONS_DIR): Promise<string[]> {
  const sql = connect(url, 1);
  try {
    await applySupabaseShim(sql);
    return await applyMigrations(sql, migrationsDir);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
