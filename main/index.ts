// Electron shell: wiring only. The console itself (SQLite cache, outbox, sync
// engine, the contract's handlers) is openConsole; each Electron concern is a
// plain function in main/electron/ taking Electron's objects as arguments.
import { app, type BrowserWindow, ipcMain, Menu, net, Notification, powerMonitor, protocol, safeStorage, Tray } from 'electron';
import { join } from 'node:path';
import { openConsole } from './console/open.ts';
import { registerAppScheme, serveApp } from './electron/app-protocol.ts';
import { forwardConsoleEvents, isTrustedSender, registerConsoleIpc } from './electron/ipc.ts';
import { claimSingleInstance, quitGracefully, watchNetwork } from './electron/lifecycle.ts';
import { createRedAlertNotifier } from './electron/notifications.ts';
import { APP_ENTRY_URL, consoleOrigins } from './electron/origin.ts';
import { openSafeStorageSecrets } from './electron/secrets.ts';
import { createConsoleTray, trayState } from './electron/tray.ts';
import { createMainWindow, showWindow } from './window.ts';
import type { AlertView, ConsoleEvents } from '../shared/ipc/contract.ts';

const apiUrl = process.env.DTD_API_URL ?? 'http://127.0.0.1:54321';
const anonKey = process.env.DTD_ANON_KEY ?? '';
// The dev server only outside a packaged build: a packaged app never loads a URL from its environment.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const origins = consoleOrigins(devServerUrl);
const here = import.meta.dirname;

registerAppScheme(protocol);
let win: BrowserWindow | null = null;
// A second launch before start() finishes needs nothing: start() opens the window once IPC is ready.
let started = false;

function openWindow(): BrowserWindow {
  if (win && !win.isDestroyed()) {
    showWindow(win);
    return win;
  }
  win = createMainWindow({ entryUrl: devServerUrl ?? APP_ENTRY_URL, origins, preload: join(here, '../preload/index.cjs') });
  win.on('closed', () => void (win = null));
  return win;
}

if (!claimSingleInstance(app, () => void (started && openWindow()))) {
  app.quit();
} else {
  app
    .whenReady()
    .then(start)
    .catch((err) => {
      console.error(`the console could not start: ${(err as Error).stack ?? String(err)}`);
      app.exit(1);
    });
}

async function start(): Promise<void> {
  serveApp(protocol, join(here, '../renderer'));
  const secrets = await openSafeStorageSecrets({ safeStorage, file: join(app.getPath('userData'), 'session.bin') });
  const consoleApp = openConsole({
    dbPath: join(app.getPath('userData'), 'console.sqlite'),
    apiUrl,
    anonKey,
    secrets,
    appInfo: { version: app.getVersion() },
  });

  registerConsoleIpc({ ipcMain, call: consoleApp.call, isTrusted: (event) => isTrustedSender(event, win, origins) });
  forwardConsoleEvents(consoleApp.onEvent, () => win, origins);
  openWindow();

  const tray = createConsoleTray({
    Tray,
    Menu,
    app,
    icon: app.isPackaged ? join(process.resourcesPath, 'tray.png') : join(here, '../../resources/tray.png'),
    actions: {
      open: () => void openWindow(),
      syncNow: () => void consoleApp.call('syncNow', []),
      quit: () => app.quit(),
    },
  });
  const refreshTray = async () => {
    const alerts = await consoleApp.call('alerts', []);
    if (alerts.ok) tray.show(trayState(alerts.value as AlertView[]));
  };
  const notifyRedAlert = createRedAlertNotifier({
    Notification,
    showWindow: () => void openWindow(),
    openAlert: (alertId) => consoleApp.emit('openAlert', { alertId }),
  });
  consoleApp.onEvent((e) => {
    // The tray shows the open alerts: read again only when a sync changed them.
    if (e.event === 'synced' && (e.payload as ConsoleEvents['synced']).changed.includes('alerts')) void refreshTray();
    if (e.event === 'redAlert') notifyRedAlert((e.payload as { alert: AlertView }).alert);
  });
  void refreshTray();

  watchNetwork(net, powerMonitor, (online) => consoleApp.engine.setNetworkAvailable(online));
  consoleApp.engine.start();
  quitGracefully(app, async () => {
    await consoleApp.close();
    await secrets.flush();
    tray.destroy();
  });
  // The console lives in the tray: closing its window keeps syncing and keeps RED alerts coming.
  app.on('window-all-closed', () => undefined);
  app.on('activate', () => void openWindow());
  started = true;
}
