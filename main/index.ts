// Electron shell: wires the typed IPC handlers and opens the window. Business
// logic lives in plain modules under main/ that run under Node in tests.
import { app, ipcMain } from 'electron';
import { join } from 'node:path';
import type { Handlers } from '../shared/ipc/contract.ts';
import { createMainWindow } from './window.ts';

const handlers: Handlers = {
  'app:info': async () => ({
    version: app.getVersion(),
    apiUrl: process.env.DTD_API_URL ?? 'http://127.0.0.1:54321',
    platform: process.platform,
  }),
};

function registerHandlers(): void {
  for (const [channel, handler] of Object.entries(handlers)) {
    ipcMain.handle(channel, (_event, ...args: unknown[]) => (handler as (...a: unknown[]) => unknown)(...args));
  }
}

app.whenReady().then(() => {
  registerHandlers();
  createMainWindow(process.env.ELECTRON_RENDERER_URL, join(import.meta.dirname, '../renderer/index.html'));
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
