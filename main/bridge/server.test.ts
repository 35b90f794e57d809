// The loopback bridge refuses whoever is not the page it launched: a request
// without the launch's token, from another origin, or to another host name
// (DNS rebinding) never reaches the console; the page itself is served with
// the console's CSP.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleEvent } from '../../shared/ipc/contract.ts';
import { CONSOLE_CSP } from '../security/csp.ts';
import { startBridge, type RunningBridge } from './server.ts';

let dir: string;
let bridge: RunningBridge;
const calls: { method: string; args: unknown }[] = [];
const listeners = new Set<(e: ConsoleEvent) => void>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dtd-bridge-'));
  await mkdir(join(dir, 'renderer', 'assets'), { recursive: true });
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>console</title>');
  await writeFile(join(dir, 'secret.txt'), 'outside the renderer');
  bridge = await startBridge({
    rendererDir: join(dir, 'renderer'),
    target: {
      call: async (method, args) => {
        calls.push({ method, args });
        return { ok: true, value: { method } };
      },
      onEvent: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    },
  });
});
afterAll(async () => {
  await bridge?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A raw request, so the test controls Host and Origin as an attacker's page or a rebinding DNS would. */
function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const { port } = new URL(bridge.origin);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end(opts.body);
  });
}
const good = () => ({ 'x-dtd-token': bridge.token, origin: bridge.origin, 'content-type': 'application/json' });

describe('loopback bridge', () => {
  it('prints a URL on 127.0.0.1 with a fresh random token in the fragment', async () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{40,}$/);
    const other = await startBridge({
      rendererDir: join(dir, 'renderer'),
      target: { call: async () => ({ ok: true, value: null }), onEvent: () => () => undefined },
    });
    expect(other.token).not.toBe(bridge.token);
    await other.close();
  });

  it('serves the page with the console CSP and never a file outside the renderer', async () => {
    const page = await raw('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toMatch(/object-src 'none'.*base-uri 'none'.*form-action 'none'/);
    expect((await raw('/../secret.txt')).status).toBe(404);
    expect((await raw('/%2e%2e/secret.txt')).status).toBe(404);
  });

  it('answers a call carrying the token from its own origin', async () => {
    const res = await raw('/bridge/call/status', { method: 'POST', headers: good(), body: '[]' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true, value: { method: 'status' } });
  });

  it.each([
    [
      'no token',
      (g: Record<string, string>) => {
        const { 'x-dtd-token': _, ...rest } = g;
        return rest;
      },
      'wrong token',
    ],
    ['a wrong token', (g: Record<string, string>) => ({ ...g, 'x-dtd-token': 'guess' }), 'wrong token'],
    ['another origin', (g: Record<string, string>) => ({ ...g, origin: 'https://evil.example' }), 'other origin'],
  ])('refuses a call with %s', async (_what, headers, error) => {
    const before = calls.length;
    const res = await raw('/bridge/call/signOut', { method: 'POST', headers: headers(good()), body: '[]' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error).toBe(error);
    expect(calls.length).toBe(before);
  });

  it('refuses a request addressed to another host name (DNS rebinding), even with the token', async () => {
    const before = calls.length;
    const res = await raw('/bridge/call/status', { method: 'POST', headers: { ...good(), host: 'evil.example:80' }, body: '[]' });
    expect(res.status).toBe(403);
    expect((await raw('/', { headers: { host: 'evil.example' } })).status).toBe(403);
    expect(calls.length).toBe(before);
  });

  it('streams events to the page that holds the token', async () => {
    const res = await fetch(`${bridge.origin}/bridge/events`, { headers: { 'x-dtd-token': bridge.token } });
    const reader = res.body!.getReader();
    await reader.read(); // ": connected"
    for (const l of listeners) l({ event: 'stalled', payload: { oldestPendingAgeMs: 5 } });
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain('"event":"stalled"');
    await reader.cancel();
    expect((await fetch(`${bridge.origin}/bridge/events`)).status).toBe(403);
  });
});
