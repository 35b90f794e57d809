// main/index.ts, the wiring, run against a fake Electron: the order Electron
// requires (scheme before ready), every contract channel answered for the
// console window only, the window on app://, tray and notifications fed by
// the console's events, and a quit that closes the console.
import type { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONSOLE_METHODS, channelOf } from '../../shared/ipc/contract.ts';
import type { FakeBrowserWindow } from './testing/fake-electron.ts';

const fake = vi.hoisted(() => ({
  userData: '',
  order: [] as string[],
  ready: undefined as undefined | (() => void),
}));

vi.mock('electron', async () => {
  const { FakeBrowserWindow } = await import('./testing/fake-electron.ts');
  const { EventEmitter } = await import('node:events');
  const readyPromise = new Promise<void>((resolve) => (fake.ready = resolve));
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    requestSingleInstanceLock: vi.fn(() => true),
    whenReady: () => readyPromise,
    getPath: () => fake.userData,
    getVersion: () => '9.9.9',
    setBadgeCount: vi.fn(() => true),
    quit: vi.fn(),
    exit: vi.fn(),
  });
  class Tray extends EventEmitter {
    static last: Tray;
    tooltip = '';
    constructor(readonly icon: string) {
      super();
      Tray.last = this;
    }
    setToolTip(t: string) {
      this.tooltip = t;
    }
    setContextMenu = vi.fn();
    destroy = vi.fn();
  }
  class Notification extends EventEmitter {
    static shown: Notification[] = [];
    static isSupported = () => true;
    constructor(readonly options: unknown) {
      super();
    }
    show() {
      Notification.shown.push(this);
    }
  }
  return {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: { handle: (channel: string, handler: IpcHandler) => void ipcMainHandlers.set(channel, handler), removeHandler: vi.fn() },
    Menu: { buildFromTemplate: (template: unknown) => ({ template }) },
    net: { isOnline: () => false },
    Notification,
    powerMonitor: new EventEmitter(),
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => void fake.order.push('registerSchemesAsPrivileged')),
      handle: vi.fn(() => void fake.order.push('handle')),
    },
    safeStorage: {
      isAsyncEncryptionAvailable: async () => true,
      getSelectedStorageBackend: () => 'basic_text',
      encryptStringAsync: async (s: string) => Buffer.from(s),
      decryptStringAsync: async (b: Buffer) => ({ result: b.toString(), shouldReEncrypt: false }),
    },
    shell: { openExternal: vi.fn() },
    Tray,
  };
});
type IpcHandler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
const ipcMainHandlers = new Map<string, IpcHandler>();

// The fake's shape, not Electron's: what the assertions read.
let electron: {
  app: EventEmitter & { requestSingleInstanceLock: ReturnType<typeof vi.fn>; quit: ReturnType<typeof vi.fn> };
  BrowserWindow: typeof FakeBrowserWindow;
  Tray: { last: { tooltip: string; icon: string } };
};
let win: FakeBrowserWindow;

beforeAll(async () => {
  fake.userData = await mkdtemp(join(tmpdir(), 'dtd-shell-'));
  delete process.env.ELECTRON_RENDERER_URL;
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  await import('../index.ts');
  electron = (await import('electron')) as never;
  fake.order.push('ready');
  fake.ready!();
  await vi.waitFor(() => expect(electron.BrowserWindow.created.length).toBe(1));
  win = electron.BrowserWindow.created[0]!;
});
afterAll(async () => {
  electron.app.emit('before-quit', { preventDefault: () => undefined });
  await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalled());
  await rm(fake.userData, { recursive: true, force: true });
});

describe('the Electron shell', () => {
  it('registers app:// as privileged before ready and serves it after', () => {
    expect(fake.order).toEqual(['registerSchemesAsPrivileged', 'ready', 'handle']);
  });

  it('takes the single-instance lock', () => {
    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalled();
  });

  it('opens the console window on app://console with the sandboxed preload', () => {
    expect(win.loadURL).toHaveBeenCalledWith('app://console/index.html');
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true });
    expect(String(win.options.webPreferences!.preload)).toMatch(/preload[\\/]index\.cjs$/);
  });

  it('answers every contract channel', () => {
    expect([...ipcMainHandlers.keys()].sort()).toEqual(CONSOLE_METHODS.map(channelOf).sort());
  });

  it("answers the console window's calls through the console, and refuses others", async () => {
    const frame = win.webContents.mainFrame;
    frame.url = 'app://console/index.html';
    const own = await ipcMainHandlers.get(channelOf('appInfo'))!({ sender: win.webContents, senderFrame: frame });
    expect(own).toMatchObject({ ok: true, value: { version: '9.9.9', dataFile: join(fake.userData, 'console.sqlite') } });
    const session = await ipcMainHandlers.get(channelOf('session'))!({ sender: win.webContents, senderFrame: frame });
    // The fake safeStorage reports basic_text on this Linux machine: the operator is told.
    if (process.platform === 'linux')
      expect(session).toMatchObject({ ok: true, value: { signedIn: false, persisted: false, persistNote: expect.stringContaining('basic_text') } });
    const stranger = await ipcMainHandlers.get(channelOf('appInfo'))!({ sender: {}, senderFrame: frame });
    expect(stranger).toMatchObject({ ok: false, error: { kind: 'refused' } });
  });

  it('shows the tray with the RED count, all clear on an empty cache', async () => {
    await vi.waitFor(() => expect(electron.Tray.last.tooltip).toBe('DTD Operator Console — all clear'));
    expect(electron.Tray.last.icon).toMatch(/resources[\\/]tray\.png$/);
  });

  it('a second launch brings the window forward', () => {
    win.show.mockClear();
    electron.app.emit('second-instance');
    expect(win.show).toHaveBeenCalled();
    expect(electron.BrowserWindow.created.length).toBe(1);
  });

  it('keeps running in the tray when the window is closed, and reopens it from there', () => {
    win.destroyed = true;
    win.emit('closed');
    electron.app.emit('window-all-closed');
    expect(electron.app.quit).not.toHaveBeenCalled();
    electron.app.emit('activate');
    expect(electron.BrowserWindow.created.length).toBe(2);
    win = electron.BrowserWindow.created[1]!;
  });
});
