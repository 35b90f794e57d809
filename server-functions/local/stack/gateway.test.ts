// The local gateway on its own, in front of a plain HTTP server standing
// where the Deno router would: bodies of any size forwarded whole both ways,
// the caller's address set from the socket, JWT checked before forwarding,
// 502 when the functions are down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { createAuthEndpoint } from './auth-endpoint.ts';
import { startGateway } from './gateway.ts';
import { freePort } from './ports.ts';
import { signJwt } from './keys.ts';

const SECRET = 'gateway-test-secret-at-least-32-characters';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let upstream: Server;
let gateway: Server;
let base: string;
let upstreamCalls = 0;
// When set, the upstream drops a kept-alive connection on its second request
// without answering: what a router closing an idle socket looks like to us.
let dropReusedOnce = false;
// Never queried here (no /auth/v1 route is called); postgres.js connects lazily.
const sql = postgres('postgres://nobody@127.0.0.1:1/none', { max: 1 });

beforeAll(async () => {
  // Echoes what it got: the body back, and what it saw in headers.
  const perSocket = new WeakMap<object, number>();
  upstream = createServer(async (req, res) => {
    upstreamCalls++;
    const n = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, n);
    if (dropReusedOnce && n > 1) {
      dropReusedOnce = false;
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'x-seen-path': req.url ?? '',
      'x-seen-forwarded-for': String(req.headers['x-forwarded-for'] ?? ''),
      'x-seen-sha': sha(body),
    });
    res.end(body);
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  gateway = await startGateway({
    port,
    routerPort: (upstream.address() as AddressInfo).port,
    jwtSecret: SECRET,
    functions: new Map([
      ['open', { verifyJwt: false }],
      ['guarded', { verifyJwt: true }],
    ]),
    auth: createAuthEndpoint(sql, SECRET, base),
  });
});
afterAll(async () => {
  await new Promise((r) => gateway.close(r));
  await new Promise((r) => upstream.close(r));
  await sql.end();
});

describe('local gateway', () => {
  it('forwards a multi-megabyte body and answer whole, to /<name>/<rest>?<query>', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31) & 0xff;
    const res = await fetch(`${base}/functions/v1/open/pull/more?x=1`, { method: 'POST', body });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-seen-path')).toBe('/open/pull/more?x=1');
    expect(res.headers.get('x-seen-sha')).toBe(sha(body));
    expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(sha(body));
  });

  it('sets x-forwarded-for from the socket, whatever the caller claims', async () => {
    const res = await fetch(`${base}/functions/v1/open`, { method: 'POST', body: '{}', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(res.headers.get('x-seen-forwarded-for')).toBe('127.0.0.1');
  });

  it('checks the JWT of a verify_jwt function before forwarding anything', async () => {
    const before = upstreamCalls;
    const missing = await fetch(`${base}/functions/v1/guarded`, { method: 'POST', body: '{}' });
    const forged = await fetch(`${base}/functions/v1/guarded`, {
      method: 'POST',
      body: '{}',
      headers: { authorization: `Bearer ${await signJwt('another-secret-of-at-least-32-characters', { role: 'anon' }, 60)}` },
    });
    expect([missing.status, forged.status]).toEqual([401, 401]);
    expect(upstreamCalls).toBe(before);
    const good = await fetch(`${base}/functions/v1/guarded`, {
      method: 'POST',
      body: '{}',
      headers: { authorization: `Bearer ${await signJwt(SECRET, { role: 'anon' }, 60)}` },
    });
    expect(good.status).toBe(200);
  });

  it('refuses a body over 10 MB with 413 and forwards nothing', async () => {
    const before = upstreamCalls;
    const res = await fetch(`${base}/functions/v1/open`, { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(upstreamCalls).toBe(before);
  });

  it('sends a request once more when the kept-alive socket it reused was closed under it', async () => {
    expect((await fetch(`${base}/functions/v1/open`, { method: 'POST', body: 'warm' })).status).toBe(200);
    const before = upstreamCalls;
    dropReusedOnce = true;
    const res = await fetch(`${base}/functions/v1/open`, { method: 'POST', body: 'again' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('again');
    expect(upstreamCalls - before).toBe(2); // the dropped one and the retry
  });

  it('answers 404 for an unknown function and 502 naming the cause when the functions are down', async () => {
    expect((await fetch(`${base}/functions/v1/nope`, { method: 'POST', body: '{}' })).status).toBe(404);
    await new Promise((r) => upstream.close(r));
    upstream.closeAllConnections();
    const down = await fetch(`${base}/functions/v1/open`, { method: 'POST', body: '{}' });
    expect(down.status).toBe(502);
    expect(((await down.json()) as { message: string }).message).toMatch(/edge functions unreachable/);
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r)); // for afterAll's close
  });
});
