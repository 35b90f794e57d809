// The console window, with Electron's security checklist applied: context
// isolation, a sandboxed renderer without Node, web security on, no
// <webview>, the page kept on the console's own origin (app://console, or
// the dev server in development), no new windows, every permission denied.
// The page only ever sees the preload's typed `window.dtd`.
import { BrowserWindow, shell, type WebPreferences } from 'electron';
import { denyAllPermissions, guardWebContents } from './electron/guards.ts';

export interface MainWindowOptions {
  /** app://console/index.html, or the dev server's URL. */
  entryUrl: string;
  origins: readonly string[];
  /** The built preload (out/preload/index.cjs). */
  preload: string;
  externalAllowList?: readonly string[];
}

export const consoleWebPreferences = (preload: string): WebPreferences => ({
  preload,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  // Review text is read, not edited: no spellchecker sending words anywhere.
  spellcheck: false,
});

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'DTD Operator Console',
    webPreferences: consoleWebPreferences(opts.preload),
  });
  denyAllPermissions(win.webContents.session);
  guardWebContents(win.webContents, {
    origins: opts.origins,
    externalAllowList: opts.externalAllowList ?? [],
    openExternal: (url) => shell.openExternal(url),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(opts.entryUrl);
  return win;
}

/** Brings the window forward, restoring it from the dock or taskbar. */
export function showWindow(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
