// Electron shell: opens the console (SQLite + sync engine), registers one IPC
// handler per method of the typed contract, notifies RED alerts from the
// tray, and opens the window. Business logic lives in plain modules under
// main/ that run under Node in tests.
import { app, ipcMain, Menu, net, Notification, powerMonitor, Tray } from 'electron';
import { join } from 'node:path';
import { CONSOLE_METHODS, channelOf } from '../shared/ipc/contract.ts';
import { openConsole } from './console/open.ts';
import { createRedAlertWatcher } from './console/red-alerts.ts';
import { createSessionManager } from './console/session.ts';
import { createMainWindow } from './window.ts';

const apiUrl = process.env.DTD_API_URL ?? 'http://127.0.0.1:54321';
const anonKey = process.env.DTD_ANON_KEY ?? '';

app.whenReady().then(async () => {
  const session = createSessionManager(apiUrl, anonKey);
  if (process.env.DTD_OPERATOR_EMAIL && process.env.DTD_OPERATOR_PASSWORD) {
    await session.signIn(process.env.DTD_OPERATOR_EMAIL, process.env.DTD_OPERATOR_PASSWORD).catch((err) => console.error(String(err)));
  }
  const consoleApp = openConsole({
    dbPath: join(app.getPath('userData'), 'console.sqlite'),
    apiUrl,
    anonKey,
    getAccessToken: () => session.accessToken(),
    appInfo: { version: app.getVersion() },
  });

  const win = createMainWindow(process.env.ELECTRON_RENDERER_URL, join(import.meta.dirname, '../renderer/index.html'));
  for (const method of CONSOLE_METHODS) {
    ipcMain.handle(channelOf(method), (event, ...args: unknown[]) => {
      // Only our own window may call; a frame from anywhere else gets nothing.
      if (event.sender !== win.webContents) throw new Error('unknown sender');
      return (consoleApp.api[method] as (...a: unknown[]) => unknown)(...args);
    });
  }

  const tray = new Tray(app.isPackaged ? join(process.resourcesPath, 'tray.png') : join(import.meta.dirname, '../../resources/tray.png'));
  tray.setToolTip('DTD Operator Console');
  tray.setContextMenu(Menu.buildFromTemplate([{ label: 'Sync now', click: () => void consoleApp.engine.syncOnce().catch(() => undefined) }, { role: 'quit' }]));
  const unseenRed = createRedAlertWatcher();
  consoleApp.engine.on(async (e) => {
    if (e.type !== 'synced') return;
    for (const alert of unseenRed(await consoleApp.api.alerts())) {
      new Notification({ title: `RED: ${alert.kind}`, body: alert.message }).show();
    }
  });
  consoleApp.engine.setNetworkAvailable(net.isOnline());
  powerMonitor.on('resume', () => consoleApp.engine.setNetworkAvailable(net.isOnline()));
  consoleApp.engine.start();
  app.on('before-quit', () => void consoleApp.close());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
