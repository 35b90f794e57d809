// Stand-ins for the Electron objects the shell touches, for unit tests that
// run under plain Node (this machine has no Electron runtime). They record
// what the code under test registered, so a test can fire an event and see
// what the handler decided.
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export interface FakeEvent {
  url: string;
  isMainFrame?: boolean;
  defaultPrevented: boolean;
  preventDefault(): void;
}
export const fakeEvent = (url: string, extra: Partial<FakeEvent> = {}): FakeEvent => ({
  url,
  defaultPrevented: false,
  preventDefault() {
    this.defaultPrevented = true;
  },
  ...extra,
});

export interface FakeFrame {
  url: string;
  processId: number;
  routingId: number;
  parent: FakeFrame | null;
}
export const fakeFrame = (url: string, ids: { processId?: number; routingId?: number; parent?: FakeFrame | null } = {}): FakeFrame => ({
  url,
  processId: ids.processId ?? 7,
  routingId: ids.routingId ?? 1,
  parent: ids.parent ?? null,
});

export class FakeSession {
  permissionRequest?: (wc: unknown, permission: string, callback: (granted: boolean) => void, details?: unknown) => void;
  permissionCheck?: (wc: unknown, permission: string, origin: string, details?: unknown) => boolean;
  devicePermission?: (details: unknown) => boolean;
  setPermissionRequestHandler = vi.fn((h: FakeSession['permissionRequest']) => void (this.permissionRequest = h));
  setPermissionCheckHandler = vi.fn((h: FakeSession['permissionCheck']) => void (this.permissionCheck = h));
  setDevicePermissionHandler = vi.fn((h: FakeSession['devicePermission']) => void (this.devicePermission = h));
}

export class FakeWebContents extends EventEmitter {
  session = new FakeSession();
  mainFrame: FakeFrame;
  url: string;
  destroyed = false;
  windowOpenHandler?: (details: { url: string }) => { action: 'allow' | 'deny' };
  sent: { channel: string; message: unknown }[] = [];
  constructor(url = 'app://console/index.html') {
    super();
    this.url = url;
    this.mainFrame = fakeFrame(url);
  }
  setWindowOpenHandler = vi.fn((h: FakeWebContents['windowOpenHandler']) => void (this.windowOpenHandler = h));
  getURL = () => this.url;
  isDestroyed = () => this.destroyed;
  send = (channel: string, message: unknown) => void this.sent.push({ channel, message });
  /** Fires an event the way Electron does and says whether a handler stopped it. */
  fire(name: string, url: string, extra: Partial<FakeEvent> = {}): FakeEvent {
    const event = fakeEvent(url, extra);
    this.emit(name, event, url);
    return event;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  webContents = new FakeWebContents();
  destroyed = false;
  minimized = false;
  loadURL = vi.fn(async (url: string) => void (this.webContents.url = url));
  show = vi.fn();
  focus = vi.fn();
  restore = vi.fn(() => void (this.minimized = false));
  constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  isDestroyed = () => this.destroyed;
  isMinimized = () => this.minimized;
}
