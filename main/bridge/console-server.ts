// The console in a browser: the real main-process services (SQLite cache,
// outbox, sync engine, session) opened as Electron opens them, behind the
// loopback bridge, serving the built renderer. `npm run console` and every
// UI test start it this way.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AlertItem } from '../../shared/api/operator.ts';
import type { ConsoleEvents } from '../../shared/ipc/events.ts';
import type { AppInfo } from '../../shared/ipc/views.ts';
import { openConsole, type OpenConsoleOptions } from '../console/open.ts';
import { startBridge } from './server.ts';

export interface ConsoleServerOptions {
  /** Where the console keeps its SQLite file. */
  dataDir: string;
  apiUrl: string;
  anonKey: string;
  rendererDir?: string;
  port?: number;
  localOperator?: AppInfo['localOperator'];
  engine?: OpenConsoleOptions['engine'];
  log?: (line: string) => void;
}

/** What the tray and the desktop notifications would show; the browser has neither, so it is kept (and logged) here. */
export interface DesktopRecord {
  notifications: { title: string; body: string; alertId: string }[];
  redCount: number;
}

export async function startConsoleServer(opts: ConsoleServerOptions) {
  await mkdir(opts.dataDir, { recursive: true });
  const dataFile = join(resolve(opts.dataDir), 'console.sqlite');
  const app = openConsole({
    dbPath: dataFile,
    apiUrl: opts.apiUrl,
    anonKey: opts.anonKey,
    engine: opts.engine,
    appInfo: { dataFile, localOperator: opts.localOperator ?? null, platform: `${process.platform} (browser bridge)` },
  });
  const desktop: DesktopRecord = { notifications: [], redCount: 0 };
  app.onEvent(async (e) => {
    if (e.event === 'redAlert') {
      const alert = (e.payload as { alert: AlertItem }).alert;
      desktop.notifications.push({ title: `RED: ${alert.kind}`, body: alert.message, alertId: alert.id });
      opts.log?.(`notification: RED ${alert.kind}: ${alert.message}`);
    }
    if (e.event === 'synced' && (e.payload as ConsoleEvents['synced']).changed.includes('alerts')) {
      const alerts = await app.call('alerts', []);
      if (alerts.ok) desktop.redCount = (alerts.value as AlertItem[]).filter((a) => a.severity === 'RED').length;
    }
  });
  const bridge = await startBridge({
    target: app,
    rendererDir: opts.rendererDir ?? resolve(import.meta.dirname, '../../out/renderer'),
    port: opts.port,
  });
  app.engine.start();
  return {
    app,
    bridge,
    desktop,
    url: bridge.url,
    async close() {
      await bridge.close();
      await app.close();
    },
  };
}

export type ConsoleServer = Awaited<ReturnType<typeof startConsoleServer>>;
