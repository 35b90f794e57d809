// The loopback bridge: where Electron's runtime cannot be had, the built
// renderer is served on 127.0.0.1 and this server stands in for the preload,
// carrying the same typed calls (POST /bridge/call/<method>, a JSON array of
// arguments → a Result) and events (GET /bridge/events, a stream of
// `data: {event, payload}` lines) to the same main-process services.
// The page gets a random token per launch in the URL's fragment (never sent
// in a request line, never logged by a proxy); every bridge request must
// carry it, come to our own host name (no DNS rebinding) and, when the
// browser says where it comes from, from our own origin.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { ConsoleEvent } from '../../shared/ipc/contract.ts';
import type { Result } from '../../shared/ipc/result.ts';
import { CONSOLE_CSP } from '../security/csp.ts';

export interface BridgeTarget {
  call(method: string, args: unknown): Promise<Result<unknown>>;
  onEvent(listener: (e: ConsoleEvent) => void): () => void;
}

export interface BridgeOptions {
  target: BridgeTarget;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  token?: string;
}

export interface RunningBridge {
  /** The page to open, token in the fragment. */
  url: string;
  origin: string;
  token: string;
  server: Server;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};
const MAX_BODY = 1024 * 1024;
const SECURITY_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...SECURITY_HEADERS });
  res.end(JSON.stringify(body));
}

export async function startBridge(opts: BridgeOptions): Promise<RunningBridge> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const rendererDir = resolve(opts.rendererDir);
  let port = 0;
  const hosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  /** Why a bridge request is refused, or null when it may pass. */
  const refusal = (req: IncomingMessage): string | null => {
    if (!hosts().has(req.headers.host ?? '')) return 'unknown host';
    const origin = req.headers.origin;
    if (origin !== undefined && ![...hosts()].some((h) => origin === `http://${h}`)) return 'other origin';
    const given = Buffer.from(String(req.headers['x-dtd-token'] ?? ''));
    if (given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes)) return 'wrong token';
    return null;
  };

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((done, fail) => {
      let size = 0;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          fail(new Error('too large'));
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
      req.on('error', fail);
    });

  const serveFile = async (res: ServerResponse, pathname: string) => {
    const rel = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)).replace(/^[/\\]+/, '');
    const file = join(rendererDir, rel);
    if (!file.startsWith(rendererDir + sep)) return send(res, 404, { error: 'not found' });
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return send(res, 404, { error: 'not found' });
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': file.endsWith('.html') ? 'no-store' : 'max-age=3600',
      ...SECURITY_HEADERS,
    });
    createReadStream(file).pipe(res);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://bridge');
      if (!url.pathname.startsWith('/bridge/')) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
        if (!hosts().has(req.headers.host ?? '')) return send(res, 403, { error: 'unknown host' });
        return serveFile(res, url.pathname);
      }
      const why = refusal(req);
      if (why) return send(res, 403, { error: why });
      if (url.pathname === '/bridge/events' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', ...SECURITY_HEADERS });
        res.write(': connected\n\n');
        const off = opts.target.onEvent((e) => res.write(`data: ${JSON.stringify(e)}\n\n`));
        const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
        req.on('close', () => {
          off();
          clearInterval(ping);
        });
        return;
      }
      const call = /^\/bridge\/call\/([A-Za-z]+)$/.exec(url.pathname);
      if (!call || req.method !== 'POST') return send(res, 404, { error: 'not found' });
      let args: unknown;
      try {
        args = JSON.parse((await readBody(req)) || '[]');
      } catch {
        return send(res, 400, { ok: false, error: { kind: 'invalid', message: 'the arguments are not JSON' } });
      }
      send(res, 200, await opts.target.call(call[1]!, args));
    })().catch((err) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: { kind: 'server', message: (err as Error).message } });
      else res.end();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
