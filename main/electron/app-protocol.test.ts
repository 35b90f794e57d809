// app:// serves the built renderer with the console's CSP and nothing from
// outside its folder.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONSOLE_CSP } from '../security/csp.ts';
import { createAppProtocolHandler, registerAppScheme, resolveAppPath, serveApp } from './app-protocol.ts';

let dir: string;
let root: string;
let handle: (request: Request) => Promise<Response>;
const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dtd-app-protocol-'));
  root = join(dir, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>DTD Operator Console</title>');
  await writeFile(join(root, 'assets', 'index-abc.js'), 'console.log("console")');
  await writeFile(join(root, 'assets', 'index-abc.css'), 'body{}');
  // A secret beside the renderer folder that no request may reach.
  await writeFile(join(dir, 'secret.txt'), 'the operator session');
  handle = createAppProtocolHandler({ root });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the app:// protocol', () => {
  it('is registered as a standard, secure scheme (a real origin, not file://) before ready', () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn() };
    registerAppScheme(protocol);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    const privileges = protocol.registerSchemesAsPrivileged.mock.calls[0]![0][0].privileges;
    // Bypassing CSP or opening the scheme to other origins would undo what the header sets.
    expect(privileges.bypassCSP).toBeFalsy();
    expect(privileges.corsEnabled).toBeFalsy();
  });

  it('answers app:// requests from the renderer folder once ready', () => {
    const protocol = { handle: vi.fn() };
    serveApp(protocol, root);
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });

  it('serves the page with the console CSP as a header', async () => {
    const res = await get('app://console/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('DTD Operator Console');
  });

  it('serves index.html for the bare origin', async () => {
    const res = await get('app://console/');
    expect(await res.text()).toContain('DTD Operator Console');
  });

  it('serves scripts and styles with their types (module scripts need a JavaScript MIME type)', async () => {
    const js = await get('app://console/assets/index-abc.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect((await get('app://console/assets/index-abc.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('ignores the query and fragment', async () => {
    expect((await get('app://console/index.html?x=1#/refunds')).status).toBe(200);
  });

  it('answers 404 for a file the build does not have', async () => {
    const res = await get('app://console/assets/missing.js');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect((await get('app://console/assets')).status).toBe(404);
  });

  it.each([
    'app://console/..%2Fsecret.txt',
    'app://console/assets/..%2F..%2Fsecret.txt',
    'app://console/%2e%2e%2Fsecret.txt',
    'app://console/..%5Csecret.txt',
    'app://console/assets%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd',
  ])('refuses path traversal: %s', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('operator session');
  });

  it('keeps literal dot segments inside the folder (the URL parser folds them first)', async () => {
    const res = await get('app://console/assets/../../secret.txt');
    expect(await res.text()).not.toContain('operator session');
  });

  it('refuses another host on the scheme, NUL bytes and malformed escapes', async () => {
    expect((await get('app://elsewhere/index.html')).status).toBe(403);
    expect((await get('app://console/index.html%00.js')).status).toBe(403);
    expect((await get('app://console/%E0%A4%A')).status).toBe(403);
  });

  it('is read-only', async () => {
    expect((await get('app://console/index.html', 'POST')).status).toBe(405);
    const head = await get('app://console/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('resolveAppPath names files only under the root', () => {
    expect(resolveAppPath(root, 'app://console/assets/index-abc.js')).toBe(join(root, 'assets', 'index-abc.js'));
    expect(resolveAppPath(root, 'app://console/..%2F')).toBeNull();
    expect(resolveAppPath(root, 'https://console/index.html')).toBeNull();
  });
});
