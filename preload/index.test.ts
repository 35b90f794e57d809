// The preload gives the page exactly the contract (every method and `on`),
// each method on its own channel, and nothing of Electron.
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CONSOLE_EVENTS, CONSOLE_METHODS, EVENT_CHANNEL, channelOf } from '../shared/ipc/contract.ts';

const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  return { exposed, invoke: { impl: undefined as undefined | ((channel: string, ...args: unknown[]) => Promise<unknown>) } };
});
const ipcRenderer = Object.assign(new EventEmitter(), {
  invoke: vi.fn((channel: string, ...args: unknown[]) => electron.invoke.impl?.(channel, ...args) ?? Promise.resolve({ ok: true, value: null })),
});
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void electron.exposed.set(key, api) },
  ipcRenderer,
}));

type Api = Record<string, (...args: unknown[]) => unknown>;
let dtd: Api;
beforeAll(async () => {
  const preload = await import('./index.ts');
  dtd = electron.exposed.get('dtd') as Api;
  expect(preload.EVENT_CHANNEL).toBe(EVENT_CHANNEL);
});

describe('the preload', () => {
  it('exposes one object, window.dtd, and nothing else', () => {
    expect([...electron.exposed.keys()]).toEqual(['dtd']);
  });

  it("exposes exactly the contract's methods plus on: no generic invoke", () => {
    expect(Object.keys(dtd).sort()).toEqual([...CONSOLE_METHODS, 'on'].sort());
    for (const value of Object.values(dtd)) expect(typeof value).toBe('function');
  });

  it('each method invokes its own channel with its arguments spread', async () => {
    for (const method of CONSOLE_METHODS) {
      ipcRenderer.invoke.mockClear();
      await dtd[method]!('a', { b: 1 });
      expect(ipcRenderer.invoke).toHaveBeenCalledWith(channelOf(method), 'a', { b: 1 });
    }
  });

  it("answers main's Result as it came", async () => {
    electron.invoke.impl = async () => ({ ok: false, error: { kind: 'offline', message: 'Offline.' } });
    expect(await dtd.syncNow!()).toEqual({ ok: false, error: { kind: 'offline', message: 'Offline.' } });
    electron.invoke.impl = undefined;
  });

  it('turns a failed IPC (main not answering) into a Result rather than a throw', async () => {
    electron.invoke.impl = async () => Promise.reject(new Error("No handler registered for 'dtd:alerts'"));
    expect(await dtd.alerts!()).toEqual({
      ok: false,
      error: { kind: 'server', message: expect.stringContaining('did not answer alerts') },
    });
    electron.invoke.impl = undefined;
  });

  it("on() hands the listener only its own event's payload, never the IPC event", () => {
    const alerts = vi.fn();
    const synced = vi.fn();
    dtd.on!('openAlert', alerts);
    dtd.on!('synced', synced);
    const ipcEvent = { sender: { send: () => undefined } };
    ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, { event: 'openAlert', payload: { alertId: 'a1' } });
    expect(alerts).toHaveBeenCalledWith({ alertId: 'a1' });
    expect(alerts.mock.calls[0]).toHaveLength(1);
    expect(synced).not.toHaveBeenCalled();
  });

  it('on() returns an unsubscribe that stops the listener and removes the IPC listener', () => {
    const before = ipcRenderer.listenerCount(EVENT_CHANNEL);
    const listener = vi.fn();
    const off = dtd.on!('status', listener) as () => void;
    expect(ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(before + 1);
    off();
    ipcRenderer.emit(EVENT_CHANNEL, {}, { event: 'status', payload: {} });
    expect(listener).not.toHaveBeenCalled();
    expect(ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(before);
  });

  it('knows every event the contract names', () => {
    for (const event of CONSOLE_EVENTS) {
      const listener = vi.fn();
      const off = dtd.on!(event, listener) as () => void;
      ipcRenderer.emit(EVENT_CHANNEL, {}, { event, payload: { x: 1 } });
      expect(listener).toHaveBeenCalledWith({ x: 1 });
      off();
    }
  });

  it('bundles to a sandbox-loadable script: it requires nothing but electron', async () => {
    const out = await build({
      entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      packages: 'external',
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect([...new Set(required)]).toEqual(['electron']);
  });
});
