// `npm run stack` as a new user runs it: a child process on a clean data
// directory, reached over HTTP with supabase-js, stopped with a signal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import postgres from 'postgres';
import { freePort, isPortFree } from './ports.ts';
import { MIGRATIONS_DIR } from './database.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const started: Run[] = [];

function runStack(args: string[]): Run {
  const child = spawn('npm', ['run', '--silent', 'stack', '--', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const run = { child, output: () => out, exited };
  started.push(run);
  return run;
}

async function waitForHealth(url: string, run: Run, limitMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if (run.child.exitCode !== null) throw new Error(`stack exited early:\n${run.output()}`);
    try {
      const res = await fetch(`${url}/functions/v1/health`);
      if (res.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no 200 from health within ${limitMs} ms:\n${run.output()}`);
}

/**
 * Sends the signal to the whole process group, as a terminal's Ctrl-C (or a
 * service manager's SIGTERM) does, and resolves once the stack reports it has
 * stopped PostgreSQL and Deno. npm itself dies of the signal, which is normal.
 */
async function stop(run: Run, signal: 'SIGINT' | 'SIGTERM' = 'SIGINT'): Promise<string> {
  process.kill(-run.child.pid!, signal);
  const started = Date.now();
  while (!run.output().includes('stack: stopped')) {
    if (Date.now() - started > 20_000) throw new Error(`stack did not report a clean stop:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return run.output();
}

describe('npm run stack', () => {
  let dir: string;
  let port: number;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dtd-stack-'));
    await chmod(dir, 0o755); // as root, Postgres runs as `postgres` and must pass through
    port = await freePort();
  });
  afterAll(async () => {
    // A failed assertion must not leave a stack (and its Postgres) running.
    for (const run of started) {
      try {
        process.kill(-run.child.pid!, 'SIGTERM');
        await new Promise((r) => setTimeout(r, 2000));
        process.kill(-run.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('starts on a clean directory, serves health, signs the operator in, stops on SIGTERM and restarts fast with its data', async () => {
    const dataDir = join(dir, 'data');
    const first = runStack(['--dir', dataDir, '--port', String(port), '--quiet']);
    const firstMs = await waitForHealth(`http://127.0.0.1:${port}`, first, 60_000);
    expect(firstMs).toBeLessThan(60_000);

    const info = JSON.parse(await readFile(join(dataDir, 'stack.json'), 'utf8'));
    for (const key of ['API_URL', 'DB_URL', 'ANON_KEY', 'SERVICE_ROLE_KEY', 'JWT_SECRET', 'STRIPE_WEBHOOK_SECRET', 'OPERATOR_EMAIL', 'OPERATOR_PASSWORD']) {
      expect(info[key], key).toEqual(expect.any(String));
    }

    const supabase = createClient(info.API_URL, info.ANON_KEY, { auth: { persistSession: false, autoRefreshToken: false } });
    const signIn = await supabase.auth.signInWithPassword({ email: info.OPERATOR_EMAIL, password: info.OPERATOR_PASSWORD });
    expect(signIn.error).toBeNull();
    expect(signIn.data.user?.app_metadata.role).toBe('operator');
    const me = await supabase.functions.invoke('operator/me', { method: 'GET' });
    expect(me.error).toBeNull();
    expect(me.data).toMatchObject({ email: info.OPERATOR_EMAIL, role: 'operator' });

    const wrong = await supabase.auth.signInWithPassword({ email: info.OPERATOR_EMAIL, password: 'not-the-password' });
    expect(wrong.error?.message).toMatch(/Invalid login credentials/);

    // The anon key gets through the gateway but not past the operator check.
    const anonCall = await fetch(`${info.API_URL}/functions/v1/operator/me`, { headers: { authorization: `Bearer ${info.ANON_KEY}` } });
    expect(anonCall.status).toBe(403);
    const noToken = await fetch(`${info.API_URL}/functions/v1/operator/me`);
    expect(noToken.status).toBe(401);

    const db = postgres(info.DB_URL, { max: 1 });
    const users = (await db<{ users: number }[]>`select count(*)::int as users from auth.users`)[0]!.users;
    await db.end();

    expect(await stop(first, 'SIGTERM')).toMatch(/SIGTERM received/);
    expect(await isPortFree(port)).toBe(true);
    expect(await isPortFree(port + 1)).toBe(true);

    const second = runStack(['--dir', dataDir, '--port', String(port), '--quiet']);
    const secondMs = await waitForHealth(`http://127.0.0.1:${port}`, second, 10_000);
    expect(secondMs).toBeLessThan(10_000);
    const again = postgres(info.DB_URL, { max: 1 });
    const usersAfter = (await again<{ users: number }[]>`select count(*)::int as users from auth.users`)[0]!.users;
    await again.end();
    expect(usersAfter).toBe(users);
    const reSignIn = await supabase.auth.signInWithPassword({ email: info.OPERATOR_EMAIL, password: info.OPERATOR_PASSWORD });
    expect(reSignIn.error).toBeNull();
    expect(await stop(second, 'SIGINT')).toMatch(/SIGINT received/);
    expect(await isPortFree(port + 1)).toBe(true);
  }, 120_000);

  it('refuses a port in use with one line naming the port', async () => {
    const blocker: Server = createServer();
    const busy = await freePort();
    await new Promise<void>((r) => blocker.listen(busy, '127.0.0.1', () => r()));
    try {
      const run = runStack(['--dir', join(dir, 'busy'), '--port', String(busy), '--quiet']);
      expect(await run.exited).not.toBe(0);
      const lines = run.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`port ${busy} \\(API gateway\\).*already in use`));
    } finally {
      blocker.close();
    }
  });

  it('refuses an unwritable data directory with one line naming it', async () => {
    const run = runStack(['--dir', '/etc/hostname/dtd-data', '--port', String(await freePort()), '--quiet']);
    expect(await run.exited).not.toBe(0);
    const lines = run.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/data directory \/etc\/hostname\/dtd-data is not writable \(ENOTDIR\)/);
  });

  it('stops at a failing migration with its file and line, leaving the database as before it', async () => {
    const migrations = join(dir, 'migrations');
    await cp(MIGRATIONS_DIR, migrations, { recursive: true });
    await writeFile(join(migrations, '29991231000000_broken.sql'), 'create table public.half_done (id int);\n\nselect no_such_column from public.half_done;\n');
    const p = await freePort();
    const dataDir = join(dir, 'broken');
    const run = runStack(['--dir', dataDir, '--port', String(p), '--quiet', '--migrations-dir', migrations]);
    expect(await run.exited).not.toBe(0);
    const lines = run.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/migration .*29991231000000_broken\.sql failed at line 3: column "no_such_column" does not exist/);
    expect(await isPortFree(p + 1)).toBe(true);

    // Start the same data directory with the good migrations only: the broken
    // one left no table behind and no record of having run.
    const good = runStack(['--dir', dataDir, '--port', String(p), '--quiet']);
    await waitForHealth(`http://127.0.0.1:${p}`, good, 30_000);
    const info = JSON.parse(await readFile(join(dataDir, 'stack.json'), 'utf8'));
    const db = postgres(info.DB_URL, { max: 1 });
    const t = (await db<{ t: string | null }[]>`select to_regclass('public.half_done')::text as t`)[0]!.t;
    const versions = await db`select version from supabase_migrations.schema_migrations where version = '29991231000000'`;
    await db.end();
    expect(t).toBeNull();
    expect(versions).toHaveLength(0);
    await stop(good);
  }, 90_000);
});
