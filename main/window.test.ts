// The console window's security settings and what its page is allowed to do,
// asserted against a fake BrowserWindow (no Electron runtime here).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { shell } from 'electron';
import { FakeBrowserWindow } from './electron/testing/fake-electron.ts';
import { createMainWindow, showWindow } from './window.ts';

vi.mock('electron', async () => {
  const fakes = await import('./electron/testing/fake-electron.ts');
  return { BrowserWindow: fakes.FakeBrowserWindow, shell: { openExternal: vi.fn(async () => undefined) } };
});

const APP = 'app://console/index.html';
const open = (allowList: string[] = [], entryUrl = APP, origins = ['app://console']) =>
  createMainWindow({ entryUrl, origins, preload: '/app/out/preload/index.cjs', externalAllowList: allowList }) as unknown as FakeBrowserWindow;

beforeEach(() => {
  FakeBrowserWindow.created = [];
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.mocked(shell.openExternal).mockClear();
});

describe('the console window', () => {
  it('isolates the page: context isolation, sandbox, no Node, web security, no webview, the built preload', () => {
    const win = open();
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(win.options.show).toBe(false);
  });

  it('loads the console from app://console, not file://', () => {
    const win = open();
    expect(win.loadURL).toHaveBeenCalledWith(APP);
  });

  it('shows itself once the page is ready, not blank before', () => {
    const win = open();
    expect(win.show).not.toHaveBeenCalled();
    win.emit('ready-to-show');
    expect(win.show).toHaveBeenCalled();
  });

  it('brings a minimised window back when shown again', () => {
    const win = open();
    win.minimized = true;
    showWindow(win as never);
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });
});

describe('navigation', () => {
  it('stops the page navigating to another origin and opens nothing for an unlisted host', () => {
    const win = open();
    expect(win.webContents.fire('will-navigate', 'https://evil.example/phish').defaultPrevented).toBe(true);
    expect(win.webContents.fire('will-navigate', 'file:///etc/passwd').defaultPrevented).toBe(true);
    expect(win.webContents.fire('will-navigate', 'app://elsewhere/index.html').defaultPrevented).toBe(true);
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  it('lets the page move within its own origin', () => {
    const win = open();
    expect(win.webContents.fire('will-navigate', 'app://console/index.html#/refunds').defaultPrevented).toBe(false);
  });

  it('in development, the dev server is the own origin and nothing else is', () => {
    const win = open([], 'http://localhost:5173/', ['app://console', 'http://localhost:5173']);
    expect(win.loadURL).toHaveBeenCalledWith('http://localhost:5173/');
    expect(win.webContents.fire('will-navigate', 'http://localhost:5173/reviews').defaultPrevented).toBe(false);
    expect(win.webContents.fire('will-navigate', 'http://localhost:5174/').defaultPrevented).toBe(true);
  });

  it('stops redirects away from the console', () => {
    const win = open();
    expect(win.webContents.fire('will-redirect', 'https://evil.example/').defaultPrevented).toBe(true);
    expect(win.webContents.fire('will-redirect', 'app://console/index.html').defaultPrevented).toBe(false);
  });

  it('stops a subframe navigating anywhere off the console', () => {
    const win = open();
    expect(win.webContents.fire('will-frame-navigate', 'https://evil.example/', { isMainFrame: false }).defaultPrevented).toBe(true);
  });

  it('refuses to attach a <webview>', () => {
    const win = open();
    expect(win.webContents.fire('will-attach-webview', 'https://evil.example/').defaultPrevented).toBe(true);
  });

  it('a plain link to an allow-listed host opens in the browser instead of replacing the console', () => {
    const win = open(['dashboard.stripe.com']);
    expect(win.webContents.fire('will-navigate', 'https://dashboard.stripe.com/payments/pi_1').defaultPrevented).toBe(true);
    expect(shell.openExternal).toHaveBeenCalledWith('https://dashboard.stripe.com/payments/pi_1');
  });
});

describe('new windows', () => {
  const tryOpen = (win: FakeBrowserWindow, url: string) => win.webContents.windowOpenHandler!({ url });

  it('are always denied; with the default empty allow-list nothing opens externally', () => {
    const win = open();
    expect(tryOpen(win, 'https://dashboard.stripe.com/')).toEqual({ action: 'deny' });
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  it('open in the browser only for https hosts on the allow-list', () => {
    const win = open(['dashboard.stripe.com']);
    expect(tryOpen(win, 'https://dashboard.stripe.com/refunds/re_1')).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
    expect(shell.openExternal).toHaveBeenCalledWith('https://dashboard.stripe.com/refunds/re_1');
  });

  it.each([
    'javascript:alert(document.cookie)',
    'file:///etc/passwd',
    'data:text/html,<script>alert(1)</script>',
    'https://evil.example/',
    'https://dashboard.stripe.com.evil.example/',
    'https://dashboard.stripe.com@evil.example/',
    'smb://dashboard.stripe.com/share',
  ])('never open %s (a link in an untrusted review or refund reason)', (url) => {
    const win = open(['dashboard.stripe.com']);
    expect(tryOpen(win, url)).toEqual({ action: 'deny' });
    expect(shell.openExternal).not.toHaveBeenCalled();
  });
});

describe('permissions', () => {
  it('denies every permission the page asks for', () => {
    const win = open();
    const session = win.webContents.session;
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      session.permissionRequest!(win.webContents, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
  });

  it('answers every permission check with no, devices included', () => {
    const win = open();
    const session = win.webContents.session;
    for (const permission of ['media', 'clipboard-sanitized-write', 'hid', 'serial', 'usb']) {
      expect(session.permissionCheck!(win.webContents, permission, 'app://console')).toBe(false);
    }
    expect(session.devicePermission!({ deviceType: 'hid', origin: 'app://console' })).toBe(false);
  });
});
