// The local API gateway on one port, shaped like a Supabase project's:
//   /functions/v1/<name>/...  → the Deno process serving every edge function
//                               (JWT checked first unless config.toml says
//                               verify_jwt = false, as Supabase's gateway does)
//   /auth/v1/token, /auth/v1/user → the local GoTrue stand-in
import {
  Agent,
  createServer,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type RequestOptions,
  type Server,
  type ServerResponse,
} from 'node:http';
import { jwtVerify } from 'jose';
import type { createAuthEndpoint } from './auth-endpoint.ts';

export interface GatewayOptions {
  port: number;
  routerPort: number;
  jwtSecret: string;
  functions: Map<string, { verifyJwt: boolean }>;
  auth: ReturnType<typeof createAuthEndpoint>;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, x-client-info, apikey, content-type, idempotency-key, stripe-signature',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
};

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', ...CORS });
  res.end(JSON.stringify(body));
}

/** Function request bodies larger than this are refused (413) before anything is forwarded. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge(`body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

async function readJson(req: IncomingMessage, limit = 64 * 1024): Promise<Record<string, unknown>> {
  const text = (await readBody(req, limit)).toString('utf8');
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m ? m[1]! : null;
}

interface Upstream {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/**
 * One request to the functions, answer read whole. A kept-alive socket the
 * router is closing just as it is reused fails with ECONNRESET before any
 * answer: then (only then) the request is sent once more on a new socket.
 */
function forward(agent: Agent, options: RequestOptions, body: Buffer, retried = false): { done: Promise<Upstream>; abort(): void } {
  let current: ClientRequest;
  let aborted = false;
  let abort: () => void = () => {
    aborted = true;
    current?.destroy();
  };
  const done = new Promise<Upstream>((resolve, reject) => {
    current = httpRequest({ ...options, agent }, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => resolve({ status: up.statusCode ?? 502, headers: up.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) }));
      up.on('error', reject);
    });
    current.on('error', (err: NodeJS.ErrnoException) => {
      if (!retried && !aborted && current.reusedSocket && err.code === 'ECONNRESET') {
        const again = forward(agent, options, body, true);
        abort = again.abort;
        again.done.then(resolve, reject);
      } else reject(err);
    });
    current.end(body);
  });
  return { done, abort: () => abort() };
}

export function startGateway(opts: GatewayOptions): Promise<Server> {
  const key = new TextEncoder().encode(opts.jwtSecret);
  // As Node's global agent: idle sockets closed after 5 s, most recent reused first.
  const upstreamAgent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5_000, maxSockets: 256 });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS);
      res.end();
      return;
    }
    if (url.pathname === '/auth/v1/token' && req.method === 'POST') {
      let body: Record<string, unknown>;
      try {
        body = await readJson(req);
      } catch (err) {
        send(res, 400, { code: 400, error_code: 'validation_failed', msg: `request body: ${(err as Error).message}` });
        return;
      }
      const reply = await opts.auth.token(url.searchParams.get('grant_type'), body);
      send(res, reply.status, reply.body);
      return;
    }
    if (url.pathname === '/auth/v1/user' && req.method === 'GET') {
      const reply = await opts.auth.user(bearer(req));
      send(res, reply.status, reply.body);
      return;
    }
    if (url.pathname === '/auth/v1/logout') {
      res.writeHead(204, CORS);
      res.end();
      return;
    }
    const fn = /^\/functions\/v1\/([^/?]+)(\/.*)?$/.exec(url.pathname);
    if (!fn) {
      send(res, 404, { code: 'NOT_FOUND', message: `no route for ${req.method} ${url.pathname} in the local stack` });
      return;
    }
    const name = fn[1]!;
    const entry = opts.functions.get(name);
    if (!entry) {
      send(res, 404, { code: 'NOT_FOUND', message: 'Requested function was not found' });
      return;
    }
    if (entry.verifyJwt) {
      const token = bearer(req);
      try {
        if (!token) throw new Error('missing authorization header');
        await jwtVerify(token, key, { algorithms: ['HS256'] });
      } catch (err) {
        send(res, 401, { code: 401, message: `Invalid JWT: ${(err as Error).message}` });
        return;
      }
    }
    // Bodies are forwarded whole (one write each way), not piped: the
    // functions' requests and answers are small, and stream piping cost the
    // gateway as much CPU per request as the rest of its work.
    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      send(res, 413, { code: 'PAYLOAD_TOO_LARGE', message: err.message });
      return;
    }
    const call = forward(
      upstreamAgent,
      {
        host: '127.0.0.1',
        port: opts.routerPort,
        method: req.method,
        path: `/${name}${fn[2] ?? ''}${url.search}`,
        // Like Supabase's gateway, the function learns the caller's address
        // from x-forwarded-for; set from the socket so a client cannot forge it.
        headers: { ...req.headers, host: `127.0.0.1:${opts.routerPort}`, 'x-forwarded-for': req.socket.remoteAddress ?? '' },
      },
      body,
    );
    // A caller that hangs up cancels its request to the functions.
    res.on('close', () => {
      if (!res.writableFinished) call.abort();
    });
    try {
      const up = await call.done;
      res.writeHead(up.status, up.headers);
      res.end(up.body);
    } catch (err) {
      if (!res.headersSent && !res.destroyed) send(res, 502, { code: 'BAD_GATEWAY', message: `edge functions unreachable: ${(err as Error).message}` });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, { code: 'INTERNAL', message: (err as Error).message });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve(server));
  });
}

/** verify_jwt per function from config.toml's [functions.<name>] sections (default true). */
export function functionsFromConfig(configToml: string, names: string[]): Map<string, { verifyJwt: boolean }> {
  const result = new Map(names.map((n) => [n, { verifyJwt: true }]));
  let current: string | null = null;
  for (const raw of configToml.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const section = /^\[functions\.([A-Za-z0-9_-]+)\]$/.exec(line);
    if (section) {
      current = section[1]!;
      continue;
    }
    if (line.startsWith('[')) current = null;
    const setting = /^verify_jwt\s*=\s*(true|false)$/.exec(line);
    if (current && setting && result.has(current)) result.set(current, { verifyJwt: setting[1] === 'true' });
  }
  return result;
}
