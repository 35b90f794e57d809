// The app:// scheme that serves the built renderer (out/renderer) to the
// window. Registered as standard and secure so the page gets a real origin
// (app://console) and secure-context APIs, rather than file://, whose pages
// can read any other file:// URL. Every answer carries the console's CSP as a
// header, and no request may reach outside the renderer's folder.
import { readFile as fsReadFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Protocol } from 'electron';
import { CONSOLE_CSP } from '../security/csp.ts';
import { APP_HOST, APP_SCHEME } from './origin.ts';

/** Must run before the app is ready: Chromium fixes scheme privileges at startup. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const headersFor = (contentType: string) => ({
  'Content-Type': contentType,
  'Content-Security-Policy': CONSOLE_CSP,
  // A file is what its extension says, never what its bytes look like.
  'X-Content-Type-Options': 'nosniff',
});
const refusal = (status: number, text: string) => new Response(text, { status, headers: headersFor('text/plain; charset=utf-8') });

/**
 * The file under `root` a request names, or null when it names something
 * outside it. The path is decoded first, so `..%2F` counts as `../`
 * (Chromium's URL parser only folds literal and %2e dot segments).
 */
export function resolveAppPath(root: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // NUL ends a path in C; a backslash is a separator on Windows. Neither names a file of ours.
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path === '' || path === '/') path = '/index.html';
  const base = resolve(root);
  const file = resolve(base, `.${path}`);
  const inside = relative(base, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return null;
  return file;
}

export interface AppProtocolOptions {
  /** The built renderer's folder (out/renderer). */
  root: string;
  readFile?: (path: string) => Promise<Uint8Array>;
}

/** The app:// handler: a plain Request → Response function, so tests call it directly. */
export function createAppProtocolHandler({ root, readFile = fsReadFile }: AppProtocolOptions) {
  return async function handleAppRequest(request: Request): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, 'The console serves its files read-only.');
    const file = resolveAppPath(root, request.url);
    if (!file) return refusal(403, 'Not part of the console.');
    let body: Uint8Array;
    try {
      body = await readFile(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return refusal(404, 'No such file in the console.');
      return refusal(500, `The console could not read its own file: ${(err as Error).message}`);
    }
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : (body as ConstructorParameters<typeof Response>[0]), { status: 200, headers: headersFor(type) });
  };
}

/** After ready: app:// answers from the renderer folder. */
export function serveApp(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ root }));
}
