// The shell every function's index.ts serves through. Two guarantees the
// handlers cannot give themselves:
//   1. An error a handler did not answer (a lost database connection is the
//      usual one) still gets the JSON error shape: 503 with Retry-After when
//      the database connection failed, so Stripe, the console's outbox and
//      the public site retry; 500 naming a reference otherwise. Never the
//      runtime's bare text 500.
//   2. A rejection or exception nobody awaited (the Postgres client can
//      raise one from a socket event after its query was answered) is logged
//      and swallowed: one lost connection must not end the process that
//      serves every other request. On hosted Supabase a dead worker is
//      replaced; the local stack's single Deno process would not be.
import { errorResponse } from './http.ts';

type Handler = (req: Request) => Response | Promise<Response>;

// postgres.js connection codes, Node/Deno socket codes, and the SQLSTATE
// classes of a server that went away (57P01 admin_shutdown when a backend is
// terminated, 57P02/57P03, 08xxx connection exceptions).
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
]);

/** True when the error means the database connection failed, not the request. */
export function isConnectionError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (CONNECTION_CODES.has(code) || code.startsWith('08')) return true;
  if (typeof e.message === 'string' && /connection (closed|terminated|reset|refused)|broken pipe|terminating connection/i.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== err && isConnectionError(e.cause);
}

/** The handler, answering in JSON whatever it throws. */
export function guarded(handler: Handler, log: (line: string) => void = console.error): Handler {
  return async (req) => {
    try {
      return await handler(req);
    } catch (err) {
      const path = new URL(req.url).pathname;
      if (isConnectionError(err)) {
        log(`${req.method} ${path}: database connection lost: ${(err as Error).message}`);
        return errorResponse(503, 'unavailable', 'the database connection was lost while answering; try again', {
          headers: { 'retry-after': '1' },
        });
      }
      const reference = crypto.randomUUID();
      log(`${req.method} ${path}: unhandled error ${reference}: ${(err as Error)?.stack ?? String(err)}`);
      return errorResponse(500, 'internal', `something went wrong on our side (reference ${reference})`);
    }
  };
}

let lastResortInstalled = false;

/** Logs and swallows what nobody awaited, so the process keeps serving. */
export function installLastResort(log: (line: string) => void = console.error): void {
  const target = globalThis as unknown as { addEventListener?: (type: string, fn: (e: Event) => void) => void };
  if (lastResortInstalled || typeof target.addEventListener !== 'function') return;
  lastResortInstalled = true;
  target.addEventListener('unhandledrejection', (e) => {
    e.preventDefault();
    const reason = (e as Event & { reason?: { stack?: string } }).reason;
    log(`unhandled rejection (kept serving): ${String(reason?.stack ?? reason)}`);
  });
  target.addEventListener('error', (e) => {
    e.preventDefault();
    const uncaught = e as Event & { error?: { stack?: string }; message?: string };
    log(`uncaught exception (kept serving): ${String(uncaught.error?.stack ?? uncaught.message)}`);
  });
}

/** What each index.ts calls instead of Deno.serve(handler). */
export function serve(handler: Handler): void {
  installLastResort();
  // Through globalThis: this module is also type-checked (and tested) under Node.
  (globalThis as unknown as { Deno: { serve(h: Handler): unknown } }).Deno.serve(guarded(handler));
}
