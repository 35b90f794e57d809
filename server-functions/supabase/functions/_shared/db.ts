// The Postgres client every function uses. Supabase gives edge functions
// SUPABASE_DB_URL; the local stack passes the embedded server's URL the same way.
import postgres from 'postgres';

/** The part of a node:net socket used here. */
interface Socket {
  write(...args: unknown[]): boolean;
  destroy(err?: Error): void;
  once(event: string, fn: (...args: unknown[]) => void): void;
  off(event: string, fn: (...args: unknown[]) => void): void;
}
// node:net by a computed name: deno check (nodeModulesDir "manual", with the
// package.json one folder up) cannot load @types/node for a static import.
const NODE_NET = 'node:net';
const { connect } = (await import(NODE_NET)) as { connect(opts: { host: string; port: number }): Socket };

export type Sql = ReturnType<typeof postgres>;

export interface SqlOptions {
  max?: number;
  /**
   * Prepared statements save a parse and plan per query on a direct
   * connection; Supabase's pooler in transaction mode cannot keep them, so
   * they are off unless the URL is known to be direct (DB_PREPARE=true).
   */
  prepare?: boolean;
}

/** How the functions' connections are named in pg_stat_activity (operators and fault tests find them by it). */
export const APPLICATION_NAME = 'dtd-functions';

/**
 * Seconds before reconnecting after the n-th failed connection in a row.
 * postgres.js waits up to 3^n / 100 s, capped at 20 s, and the count only
 * resets on a good connection: after a burst of dropped connections (a
 * database restart, a pooler failover) every request queued behind that
 * wait for 10–20 s. Here at most a quarter of a second (four attempts a second
 * per connection while the database is away): a request then fails fast with
 * a JSON 503 (which Stripe and the console retry) or succeeds. Measured by
 * e2e/faults.test.ts: with half a second, the first push after a burst of
 * faults could take over a second to succeed.
 */
export const reconnectBackoff = (retries: number) => Math.min(0.05 * 2 ** retries, 0.25);

/**
 * The client's TCP socket, made here for one reason: under Deno, writing to
 * a socket the server has just closed (a terminated backend, a pooler
 * restart) throws "This socket has been ended by the other party" from the
 * client's write timer, where nothing catches it. That was an uncaught error
 * ending the process, and the query on that connection then waited for the
 * connect timeout. Here a failed write destroys the socket instead, so the
 * client sees an ordinary closed connection and fails the query at once.
 * TLS (sslmode in the URL) is still negotiated by the client on top.
 */
export function socketFactory(url: string): () => Promise<Socket> {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const port = Number(parsed.port || 5432);
  return () =>
    new Promise<Socket>((resolve, reject) => {
      const socket = connect({ host, port });
      const write = socket.write.bind(socket);
      socket.write = (...args: unknown[]) => {
        try {
          return write(...args);
        } catch (err) {
          socket.destroy(err as Error);
          return false;
        }
      };
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(socket);
      });
    });
}

/**
 * The client is postgres.js 3.4.9 with patches/postgres+3.4.9.patch (applied
 * by `npm ci`'s postinstall; Deno takes the package from node_modules): a
 * connection that closed while a query's bytes waited for the next tick kept
 * a stale write timer, so its next socket never sent the start-up message and
 * each query on it waited for the connect timeout, for seconds after a burst
 * of terminated backends (db.test.ts; e2e/faults.test.ts measured the
 * slowest answer under faults at 1.1-1.3 s before, 0.3-0.5 s after).
 */
export function createSql(url: string, opts: SqlOptions = {}): Sql {
  // `socket` is a documented option the type definitions lack.
  const options = {
    max: opts.max ?? 10,
    idle_timeout: 20,
    // A connection not made in half a second is not coming (measured under
    // faults: a connection ended during start-up can go unnoticed until this
    // timer fires, and with 1 s the first answer after a burst of faults
    // could take 1.1–1.4 s): the request answers 503, which callers retry,
    // instead of hanging. Connecting takes milliseconds locally, ~100 ms to a pooler.
    connect_timeout: 0.5,
    backoff: reconnectBackoff,
    socket: socketFactory(url),
    connection: { application_name: APPLICATION_NAME },
    onnotice: () => undefined,
    prepare: opts.prepare ?? false,
  } as postgres.Options<Record<string, postgres.PostgresType>>;
  return postgres(url, options);
}
