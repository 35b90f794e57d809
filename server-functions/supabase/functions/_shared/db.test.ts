// The Postgres client as the functions build it (our socket factory, our
// timeouts) against the real database, at the moment the faults test kept
// finding: a connection that closes while a query's bytes wait for the next
// tick to be written. postgres.js 3.4.9 then kept a stale write timer, so the
// connection's next socket never sent its start-up message: every query on it
// waited for the connect timeout (and then the next one did too), and stale
// bytes for the dead backend were left to prefix the next one's. Patched in
// patches/postgres+3.4.9.patch (porsager/postgres#1154, #1208, no release
// fixes it yet); this test fails without the patch.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { socketFactory } from './db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.drop());

describe('the functions’ Postgres client', () => {
  it('a connection closed while a query waits to be written serves the next query, not a connect timeout', async () => {
    const sockets: { emit(event: 'close', hadError: boolean): boolean; destroy(): void }[] = [];
    const make = socketFactory(db.url);
    const sql = postgres(db.url, {
      max: 1,
      connect_timeout: 0.5,
      prepare: false,
      onnotice: () => undefined,
      socket: async () => {
        const s = await make();
        sockets.push(s as unknown as (typeof sockets)[number]);
        return s;
      },
    } as postgres.Options<Record<string, postgres.PostgresType>>);
    try {
      expect(await sql`select 1 as n`).toEqual([{ n: 1 }]);
      const first = sockets.at(-1)!;
      const lost = sql`select 2 as n`.then(
        () => 'answered',
        (err: { code?: string }) => err.code,
      );
      // The query's bytes are now batched for the next tick; the server closes
      // the connection first (as a terminated backend's FIN arrives).
      for (let i = 0; i < 5; i++) await Promise.resolve();
      first.emit('close', false);
      first.destroy();
      expect(await lost).toBe('CONNECTION_CLOSED');

      // Unpatched: CONNECT_TIMEOUT (the start-up message never left).
      const next = await sql`select 3 as n`.then(
        (rows) => [...rows],
        (err: { code?: string }) => err.code,
      );
      expect(next).toEqual([{ n: 3 }]);
      expect(sockets).toHaveLength(2);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
