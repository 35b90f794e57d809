// The stack the end-to-end tests start: a fresh local stack (demo seed unless
// told otherwise) in its own temporary folder, a Postgres connection to plant
// and check rows, and the operator's access token when a test needs one.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { freePort } from '../server-functions/local/stack/ports.ts';
import { startStack, type RunningStack, type StackInfo, type StackOptions } from '../server-functions/local/stack/stack.ts';

export interface E2eStack {
  stack: RunningStack;
  sql: postgres.Sql;
  dir: string;
  close(): Promise<void>;
}

export async function startE2eStack(name: string, opts: Omit<StackOptions, 'dir' | 'port' | 'routerPort' | 'dbPort'> = {}, sqlMax = 2): Promise<E2eStack> {
  const dir = await mkdtemp(join(tmpdir(), `dtd-e2e-${name}-`));
  await chmod(dir, 0o755); // PostgreSQL runs as `postgres` when we are root
  const stack = await startStack({ dir: join(dir, 'stack'), port: await freePort(), routerPort: await freePort(), dbPort: await freePort(), ...opts });
  const sql = postgres(stack.info.DB_URL, { max: sqlMax, onnotice: () => undefined });
  return {
    stack,
    sql,
    dir,
    async close() {
      await sql.end();
      await stack.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The seeded operator's access token, signed in through the stack's auth endpoint as supabase-js would. */
export async function operatorToken(info: Pick<StackInfo, 'API_URL' | 'ANON_KEY' | 'OPERATOR_EMAIL' | 'OPERATOR_PASSWORD'>): Promise<string> {
  const res = await fetch(`${info.API_URL}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: info.ANON_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ email: info.OPERATOR_EMAIL, password: info.OPERATOR_PASSWORD }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}
