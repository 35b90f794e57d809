// The seed command as an engineer runs it against a migrated database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freshDatabase, rowCount, type TestDatabase } from '../test/db.ts';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
});

const seed = (...args: string[]) =>
  run('npx', ['tsx', 'server-functions/seed/cli.ts', ...args], { cwd: ROOT }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );

describe('npm run seed', () => {
  it('loads large at a small scale, then refuses a second data set on the same database with one line', async () => {
    const first = await seed('large', '--db-url', db.url, '--scale', '0.002');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/seeded large in/);
    expect(await rowCount(db.sql, 'public.businesses')).toBe(100);
    const second = await seed('demo', '--db-url', db.url);
    expect(second.code).toBe(1);
    expect(second.out.trim().split('\n')).toHaveLength(1);
    expect(await rowCount(db.sql, 'public.businesses')).toBe(100);
  }, 60_000);

  it('names a bad argument', async () => {
    const bad = await seed('huge', '--db-url', db.url);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/data set must be demo or large, got huge/);
  });
});
