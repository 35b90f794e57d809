// The operator API over HTTP (/functions/v1/operator/pull and /push), with
// the session's access token. Failures are sorted into what the sync engine
// does about them: offline (wait for the network), auth (ask the operator to
// sign in again), server (back off and retry).
import type { z } from 'zod';
import { PullResponse, PushAnswer, type PushResponse, type WireCommand } from '../../shared/api/operator.ts';
import { firstIssue } from '../../shared/api/public.ts';
import { ConsoleError } from '../../shared/ipc/result.ts';

export type TransportFailure = 'offline' | 'auth' | 'server' | 'client';

export class TransportError extends Error {
  constructor(
    readonly kind: TransportFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface OperatorTransport {
  pull(cursor: string | null): Promise<PullResponse>;
  push(commands: WireCommand[]): Promise<PushResponse>;
}

export interface HttpTransportOptions {
  /** The project's API URL (the local stack's API_URL, or https://<ref>.supabase.co). */
  apiUrl: string;
  /** The publishable (anon) key the gateway expects beside the session. */
  anonKey?: string;
  getAccessToken: () => Promise<string>;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * One call to a function of the project with the session: the answer checked
 * against `schema` (a file, bytes and headers, when schema is null), failures
 * sorted as above.
 */
export async function callFunction<T>(
  opts: HttpTransportOptions,
  path: string,
  init: { method: 'GET' | 'POST'; body?: unknown },
  schema: z.ZodType<T> | null,
  what: string,
): Promise<T> {
  const doFetch = opts.fetch ?? fetch;
  const token = await opts.getAccessToken();
  let res: Response;
  try {
    res = await doFetch(`${opts.apiUrl.replace(/\/$/, '')}/functions/v1/${path}`, {
      method: init.method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(opts.anonKey ? { apikey: opts.anonKey } : {}) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    });
  } catch (err) {
    throw new TransportError('offline', `cannot reach the server: ${(err as Error).message}`);
  }
  if (res.ok && schema === null) return { bytes: new Uint8Array(await res.arrayBuffer()), headers: res.headers } as T;
  const text = await res.text().catch(() => '');
  if (res.ok) {
    // Checked, not cast: an answer in another shape is a clear error here, not a broken screen later.
    let parsed: ReturnType<z.ZodType<T>['safeParse']>;
    try {
      parsed = schema!.safeParse(JSON.parse(text));
    } catch {
      throw new TransportError('server', `the server's ${what} answer is not JSON`, res.status);
    }
    if (!parsed.success) {
      const issue = firstIssue(parsed.error);
      throw new TransportError('server', `the server's ${what} answer is not in the shape this console reads: ${issue.field} ${issue.message}`, res.status);
    }
    return parsed.data;
  }
  let message = text.slice(0, 300);
  try {
    message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
  } catch {
    // not JSON: keep the text
  }
  if (res.status === 401 || res.status === 403) throw new TransportError('auth', `the server refused the session: ${message}`, res.status);
  if (res.status >= 500) throw new TransportError('server', `server error ${res.status}: ${message}`, res.status);
  throw new TransportError('client', `request refused (${res.status}): ${message}`, res.status);
}

export function createHttpTransport(opts: HttpTransportOptions): OperatorTransport {
  const call = <T>(route: string, body: unknown, schema: z.ZodType<T>) => callFunction(opts, `operator/${route}`, { method: 'POST', body }, schema, route);
  return {
    pull: (cursor) => call('pull', { cursor }, PullResponse),
    push: (commands) => call('push', { commands }, PushAnswer as z.ZodType<PushResponse>),
  };
}

/**
 * An online-only call from a console service: offline it says what needs a
 * connection and why (nothing is queued); other transport failures become
 * the console's errors with what failed.
 */
export async function onlineOnly<T>(what: string, why: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof TransportError && err.kind === 'offline') {
      throw new ConsoleError('offline', `${what} needs a connection to the server (${why}), and you are offline.`);
    }
    if (err instanceof TransportError) throw new ConsoleError(err.kind === 'auth' ? 'not_signed_in' : 'server', `${what} failed: ${err.message}`);
    throw err;
  }
}
