// The UI tests' world: a fresh local stack with the demo seed, the console
// served by the loopback bridge exactly as `npm run console` serves it (its
// backend behind a proxy the test can cut), and Debian's Chromium driven by
// playwright-core. Screenshots go to test-artifacts/screens/; every screen
// also gets an axe-core check.
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, chmod } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startConsoleServer, type ConsoleServer } from '../../main/bridge/console-server.ts';
import { freePort } from '../../server-functions/local/stack/ports.ts';
import { startStack, type RunningStack } from '../../server-functions/local/stack/stack.ts';
import { startCuttableProxy } from './proxy.ts';

export const SCREENS_DIR = resolve(import.meta.dirname, '../../test-artifacts/screens');
const require = createRequire(import.meta.url);

/** The operator's screen: a laptop window, Australian English, Melbourne time. */
export const PAGE_OPTIONS = { viewport: { width: 1360, height: 900 }, locale: 'en-AU', timezoneId: 'Australia/Melbourne' } as const;

export interface UiWorld {
  stack: RunningStack;
  sql: postgres.Sql;
  proxy: Awaited<ReturnType<typeof startCuttableProxy>>;
  consoleServer: ConsoleServer;
  browser: Browser;
  page: Page;
  dir: string;
  close(): Promise<void>;
}

export async function startUiWorld(opts: { engine?: Parameters<typeof startConsoleServer>[0]['engine'] } = {}): Promise<UiWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'dtd-ui-'));
  await chmod(dir, 0o755);
  const stack = await startStack({ dir: join(dir, 'stack'), port: await freePort(), routerPort: await freePort(), dbPort: await freePort() });
  const sql = postgres(stack.info.DB_URL, { max: 2, onnotice: () => undefined });
  const api = new URL(stack.info.API_URL);
  const proxy = await startCuttableProxy({ host: api.hostname, port: Number(api.port) });
  const consoleServer = await startConsoleServer({
    dataDir: join(dir, 'console'),
    apiUrl: proxy.url,
    anonKey: stack.info.ANON_KEY,
    localOperator: { email: stack.info.OPERATOR_EMAIL, password: stack.info.OPERATOR_PASSWORD },
    engine: opts.engine ?? { baseDelayMs: 200, maxDelayMs: 2_000, intervalMs: 2_000 },
  });
  const browser = await launchChromium();
  const page = await browser.newPage(PAGE_OPTIONS);
  await page.goto(consoleServer.url);
  await mkdir(SCREENS_DIR, { recursive: true });
  return {
    stack,
    sql,
    proxy,
    consoleServer,
    browser,
    page,
    dir,
    async close() {
      await browser?.close().catch(() => undefined);
      await consoleServer?.close().catch(() => undefined);
      await proxy?.close().catch(() => undefined);
      await sql?.end().catch(() => undefined);
      await stack?.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium (or CHROMIUM_PATH), headless, quiet: no background traffic to skew a test or a benchmark. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Signs in with the local operator account the sign-in screen offers. */
export async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: /Dashboard/ }).waitFor();
}

/** A full-page screenshot saved as a test artifact. */
/** A fresh world with the stack's operator signed in: what most screen tests start from. */
export async function startSignedInWorld(opts: Parameters<typeof startUiWorld>[0] = {}): Promise<UiWorld> {
  const world = await startUiWorld(opts);
  await signIn(world.page, world.stack.info.OPERATOR_EMAIL, world.stack.info.OPERATOR_PASSWORD);
  return world;
}

/** Opens a screen from the console's navigation, by its name. */
export const goTo = (page: Page, name: string) => page.getByRole('navigation', { name: 'Console' }).getByRole('button', { name, exact: true }).click();

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: true });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the page's CSP (rightly) refuses injected script tags.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const result = await page.evaluate(async () => {
    const g = globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> }; document: unknown };
    return g.axe.run(g.document, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) }));
}
