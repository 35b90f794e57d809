// Bench: the console in Debian's Chromium, served by the loopback bridge as
// `npm run console` serves it, with 10,000 pending reviews in its cache.
//   dashboard painted from a warm cache after the console opens (goal ≤ 1 s)
//   a decision key press → its row marked "Waiting to sync" (goal ≤ 50 ms)
//   scrolling the whole 10,000-review list: no long task over 50 ms
// Each has a floor measured in the same run, on a static page served from
// this process: what the browser itself costs on this machine right now.
// In-page code is passed as strings: the node tsconfig has no DOM types.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Sql } from 'postgres';
import { startConsoleServer } from '../main/bridge/console-server.ts';
import { launchChromium, PAGE_OPTIONS, signIn } from '../e2e/ui/harness.ts';
import { prepare } from './sync.ts';
import { percentile } from './stats.ts';

const OPENS = 7;
const progress = (what: string) => process.stderr.write(`  [ui bench] ${what}\n`);
const PRESSES = 40;
/** A practised operator's fastest pace through the queue: four decisions a second. */
const PACE_MS = 250;
const ms = (t: number) => `${t.toFixed(1)} ms`;
const spread = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${ms(percentile(s, 50))}, p95 ${ms(percentile(s, 95))}, max ${ms(s[s.length - 1]!)} (n=${s.length})`;
};

/** Until the page's text matches `pattern` (a RegExp source), then the frame after it is painted: ms since navigation start. */
const WATCH_PAINTED = (pattern: string) => `
  window.__painted = new Promise((resolve) => {
    const seen = () => new RegExp(${JSON.stringify(pattern)}).test(document.body?.textContent ?? '');
    const done = () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
    const mo = new MutationObserver(() => { if (seen()) { mo.disconnect(); done(); } });
    const start = () => mo.observe(document.body, { childList: true, subtree: true, characterData: true });
    if (seen()) done(); else if (document.body) start(); else document.addEventListener('DOMContentLoaded', () => (seen() ? done() : start()));
  });`;

/** From each key press to the frame after `target` gains one more "Waiting to sync" (or, for the floor, any change). */
const WATCH_KEYS = (target: string, marker: string) => `
  (() => {
    const el = document.querySelector(${JSON.stringify(target)});
    const count = () => (el.textContent.match(/${marker}/g) ?? []).length;
    window.__latencies = [];
    let pressedAt = null, before = 0;
    window.addEventListener('keydown', (e) => { pressedAt = performance.now(); before = count(); }, { capture: true });
    new MutationObserver(() => {
      if (pressedAt === null || count() <= before) return;
      const t0 = pressedAt; pressedAt = null;
      requestAnimationFrame(() => setTimeout(() => window.__latencies.push(performance.now() - t0), 0));
    }).observe(el, { childList: true, subtree: true, characterData: true });
  })()`;

/** Long tasks (PerformanceObserver) and the longest gap between frames while the page is scrolled. */
const WATCH_SCROLL = `
  (() => {
    window.__long = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' });
    window.__frames = { max: 0, count: 0, last: performance.now(), on: true };
    const tick = (t) => { const f = window.__frames; if (!f.on) return; f.max = Math.max(f.max, t - f.last); f.last = t; f.count++; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`;

/** The floor pages: a heading painted; a key changing a line of text; 10,000 plain rows in a scroller (no framework, no virtualisation). */
const FLOOR_PAINT = `<!doctype html><html lang="en"><title>floor</title><h1>Floor</h1></html>`;
const FLOOR_HTML = `<!doctype html><html lang="en"><title>floor</title><h1>Floor</h1><p id="k" tabindex="0">0</p>
<div id="list" style="height:600px;overflow:auto">${Array.from({ length: 10_000 }, (_, i) => `<div style="height:58px">Row ${i}</div>`).join('')}</div>
<script>document.addEventListener('keydown', () => { const k = document.getElementById('k'); k.textContent = 'Waiting ' + k.textContent; });</script></html>`;

/** Polls `expression` (page.waitForFunction would eval a string, which the console's CSP rightly forbids). */
async function until(page: Page, expression: string, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function wheelThrough(page: Page, box: { x: number; y: number; width: number; height: number }, steps: number, dy: number) {
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < steps; i++) await page.mouse.wheel(0, dy);
}

export async function benchConsoleUi(
  sql: Sql,
  info: { API_URL: string; ANON_KEY: string; OPERATOR_EMAIL: string; OPERATOR_PASSWORD: string },
): Promise<string[]> {
  await prepare(sql);
  const dir = await mkdtemp(join(tmpdir(), 'dtd-bench-ui-'));
  const floorServer = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(req.url === '/paint' ? FLOOR_PAINT : FLOOR_HTML));
  await new Promise<void>((r) => floorServer.listen(0, '127.0.0.1', r));
  const floorUrl = `http://127.0.0.1:${(floorServer.address() as AddressInfo).port}/`;
  const server = await startConsoleServer({
    dataDir: join(dir, 'console'),
    apiUrl: info.API_URL,
    anonKey: info.ANON_KEY,
    engine: { intervalMs: 600_000 }, // no sync of its own while we measure
  });
  const browser = await launchChromium();
  const out: string[] = [];
  try {
    const context = await browser.newContext(PAGE_OPTIONS);
    const first = await context.newPage();
    await first.goto(server.url);
    await signIn(first, info.OPERATOR_EMAIL, info.OPERATOR_PASSWORD);
    await first.getByText(/\[10000\]\s*Reviews pending approval/).waitFor({ timeout: 120_000 }); // the cache is warm
    await first.close();
    progress('signed in, cache warm');

    // 1. The console opens on a warm cache: navigation start → the dashboard's count painted.
    const opens: number[] = [];
    const floors: number[] = [];
    for (let i = 0; i < OPENS; i++) {
      const page = await context.newPage();
      await page.addInitScript(WATCH_PAINTED('\\[10000\\]\\s*Reviews pending approval'));
      await page.goto(server.url);
      opens.push(await page.evaluate('window.__painted'));
      await page.close();
      const floor = await context.newPage();
      await floor.addInitScript(WATCH_PAINTED('Floor'));
      await floor.goto(`${floorUrl}paint`);
      floors.push(await floor.evaluate('window.__painted'));
      await floor.close();
    }
    const openMedian = percentile(
      [...opens].sort((a, b) => a - b),
      50,
    );
    const floorMedian = percentile(
      [...floors].sort((a, b) => a - b),
      50,
    );
    out.push(`dashboard painted from a warm cache (10,000 reviews): ${spread(opens)} (goal ≤ 1000 ms)`);
    out.push(`  floor, a static page painted: ${spread(floors)}; ratio ${(openMedian / floorMedian).toFixed(1)}×`);

    progress('opens measured');
    // 2. A decision key → its row marked.
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Process reviews pending approval' }).click();
    const list = page.getByRole('listbox', { name: /Pending reviews/ });
    await list.getByRole('option').first().click();
    await page.evaluate(WATCH_KEYS('[role="listbox"]', 'Waiting to sync'));
    for (let i = 0; i < PRESSES; i++) {
      const next = Date.now() + PACE_MS;
      await page.keyboard.press('a');
      await until(page, `window.__latencies.length >= ${i + 1}`);
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    }
    const keys: number[] = await page.evaluate('window.__latencies');
    const floorPage = await context.newPage();
    await floorPage.goto(floorUrl);
    await floorPage.evaluate(WATCH_KEYS('#k', 'Waiting'));
    for (let i = 0; i < PRESSES; i++) {
      await floorPage.keyboard.press('a');
      await until(floorPage, `window.__latencies.length >= ${i + 1}`);
    }
    const keyFloor: number[] = await floorPage.evaluate('window.__latencies');
    // A page in a background tab gets no frames (and its wheel events wait for one): one tab in front at a time.
    await page.bringToFront();
    out.push(`decision key → row marked "Waiting to sync", a key every ${PACE_MS} ms: ${spread(keys)} (goal ≤ 50 ms)`);
    out.push(`  floor, a key changing a static page's text: ${spread(keyFloor)}`);

    progress('keys measured');
    // 3. Scrolling the whole list by mouse wheel, top to bottom.
    const box = (await list.boundingBox())!;
    const rowsTall = 10_000 * 58;
    const steps = Math.ceil(rowsTall / 1_500);
    await page.evaluate(WATCH_SCROLL);
    const t = performance.now();
    await wheelThrough(page, box, steps, 1_500);
    const scrollSeconds = (performance.now() - t) / 1000;
    const reached: number = await page.evaluate(`document.querySelector('[role="listbox"]').scrollTop`);
    const long: number[] = await page.evaluate('window.__long');
    const frames: { max: number; count: number } = await page.evaluate('(window.__frames.on = false, window.__frames)');
    out.push(
      `scrolled 10,000 reviews (${steps} wheel steps, ${(reached / 58).toFixed(0)} rows down, ${scrollSeconds.toFixed(1)} s): ` +
        `${long.length} long tasks${long.length ? `, longest ${ms(Math.max(...long))}` : ''}; longest frame gap ${ms(frames.max)} over ${frames.count} frames (goal: no long task > 50 ms)`,
    );
    await floorPage.bringToFront();
    const floorBox = (await floorPage.locator('#list').boundingBox())!;
    await floorPage.evaluate(WATCH_SCROLL);
    await wheelThrough(floorPage, floorBox, steps, 1_500);
    const floorLong: number[] = await floorPage.evaluate('window.__long');
    const floorFrames: { max: number } = await floorPage.evaluate('(window.__frames.on = false, window.__frames)');
    out.push(
      `  floor, 10,000 static rows wheeled the same way: ${floorLong.length} long tasks${floorLong.length ? `, longest ${ms(Math.max(...floorLong))}` : ''}; longest frame gap ${ms(floorFrames.max)}`,
    );
  } finally {
    await browser.close();
    await server.close();
    floorServer.close();
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}
