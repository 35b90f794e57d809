// The shell every function serves through: a lost database connection is a
// JSON 503 the caller retries, anything else a JSON 500 with a reference;
// never the runtime's bare text 500. Connection errors are real ones, from a
// backend terminated under a running query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { APPLICATION_NAME, createSql, reconnectBackoff } from './db.ts';
import { guarded, isConnectionError } from './serve.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
});

/**
 * The error a query meets when its backend is terminated while it runs.
 * (Only the sleeping query is ended: ending the client's own type lookup on
 * a new connection rejects a promise inside postgres.js that nobody awaits,
 * the very error installLastResort keeps from ending the Deno process.)
 */
async function terminatedQueryError(): Promise<unknown> {
  const sql = createSql(db.url, { max: 1 });
  try {
    const running = sql`select pg_sleep(5)`.then(
      () => null,
      (err: unknown) => err,
    );
    for (let i = 0; i < 50; i++) {
      const killed =
        await db.sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${APPLICATION_NAME} and query like 'select pg_sleep%'`;
      if (killed.length) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return await running;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

describe('guarded handlers', () => {
  it('a query whose connection is terminated is a connection error, answered 503 JSON with Retry-After', async () => {
    const err = await terminatedQueryError();
    expect(err).not.toBeNull();
    expect(isConnectionError(err)).toBe(true);
    const lines: string[] = [];
    const res = await guarded(
      async () => {
        throw err;
      },
      (l) => lines.push(l),
    )(new Request('http://x/search', { method: 'POST' }));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toEqual({ error: { type: 'unavailable', message: 'the database connection was lost while answering; try again' } });
    expect(lines[0]).toMatch(/^POST \/search: database connection lost/);
  });

  it('any other error is a JSON 500 naming a reference that the log carries too', async () => {
    const lines: string[] = [];
    const res = await guarded(
      () => {
        throw new TypeError('undefined is not a function');
      },
      (l) => lines.push(l),
    )(new Request('http://x/operator/push', { method: 'POST' }));
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('internal');
    const reference = /reference ([0-9a-f-]{36})/.exec(body.error.message)?.[1];
    expect(reference).toBeDefined();
    expect(lines[0]).toContain(reference);
    expect(isConnectionError(new TypeError('undefined is not a function'))).toBe(false);
    expect(isConnectionError({ code: '23505' })).toBe(false);
  });

  it('reconnects after at most a quarter of a second, however many failures in a row (postgres.js waits up to 20 s)', () => {
    expect([0, 1, 2, 3, 10, 50].map(reconnectBackoff)).toEqual([0.05, 0.1, 0.2, 0.25, 0.25, 0.25]);
  });
});
