// Every IPC call is answered only for the console window's own top frame on
// the console's origin; anything else is refused as a Result, and the
// console never hears of it.
import { describe, expect, it, vi } from 'vitest';
import { CONSOLE_METHODS, EVENT_CHANNEL, channelOf, ok, type ConsoleEvent } from '../../shared/ipc/contract.ts';
import { forwardConsoleEvents, isTrustedSender, registerConsoleIpc, REFUSED_MESSAGE, type SenderEvent } from './ipc.ts';
import { FakeBrowserWindow, fakeFrame, type FakeFrame } from './testing/fake-electron.ts';

const ORIGINS = ['app://console'];

/** An onEvent stand-in that hands the test the listener forwardConsoleEvents subscribes. */
function captureListener() {
  const captured: { listener?: (e: ConsoleEvent) => void } = {};
  const onEvent = (listener: (e: ConsoleEvent) => void) => {
    captured.listener = listener;
    return () => undefined;
  };
  return { captured, onEvent };
}

function setup() {
  const handlers = new Map<string, (event: SenderEvent, ...args: unknown[]) => unknown>();
  const ipcMain = {
    handle: vi.fn((channel: string, h: (event: SenderEvent, ...args: unknown[]) => unknown) => void handlers.set(channel, h)),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
  };
  const win = new FakeBrowserWindow({});
  win.webContents.url = 'app://console/index.html';
  win.webContents.mainFrame = fakeFrame('app://console/index.html', { processId: 7, routingId: 1 });
  const call = vi.fn(async (_method: string, _args: unknown) => ok('answered'));
  const log = vi.fn();
  const unregister = registerConsoleIpc({
    ipcMain: ipcMain as never,
    call,
    isTrusted: (event) => isTrustedSender(event, win as never, ORIGINS),
    log,
  });
  const invoke = (channel: string, frame: FakeFrame | null, ...args: unknown[]) =>
    handlers.get(channel)!({ sender: win.webContents, senderFrame: frame } as never, ...args);
  return { handlers, ipcMain, win, call, log, unregister, invoke };
}

describe('console IPC', () => {
  it('registers exactly one channel per contract method, and removes them all', () => {
    const { handlers, unregister } = setup();
    expect([...handlers.keys()].sort()).toEqual(CONSOLE_METHODS.map(channelOf).sort());
    unregister();
    expect(handlers.size).toBe(0);
  });

  it("forwards a call from the window's main frame to the console with its arguments as one tuple", async () => {
    const { invoke, win, call } = setup();
    const answer = await invoke(channelOf('decideReview'), win.webContents.mainFrame, 'c0ffee00-0000-4000-8000-000000000000', { kind: 'approve' });
    expect(call).toHaveBeenCalledWith('decideReview', ['c0ffee00-0000-4000-8000-000000000000', { kind: 'approve' }]);
    expect(answer).toEqual(ok('answered'));
  });

  it('accepts the main frame by its ids, not by object identity', async () => {
    const { invoke, call } = setup();
    await invoke(channelOf('alerts'), fakeFrame('app://console/index.html#/alerts', { processId: 7, routingId: 1 }));
    expect(call).toHaveBeenCalledWith('alerts', []);
  });

  const refusedCases: [string, (win: FakeBrowserWindow) => FakeFrame | null][] = [
    ['a subframe (an iframe in the page)', (win) => fakeFrame('app://console/frame.html', { processId: 7, routingId: 2, parent: win.webContents.mainFrame })],
    ['a frame of another process', () => fakeFrame('app://console/index.html', { processId: 8, routingId: 1 })],
    ['the main frame showing another origin', (win) => ({ ...win.webContents.mainFrame, url: 'https://evil.example/' })],
    ['the main frame showing file://', (win) => ({ ...win.webContents.mainFrame, url: 'file:///tmp/x.html' })],
    ['a frame that is gone', () => null],
  ];
  it.each(refusedCases)('refuses %s with a Result, never calling the console', async (_why, frameOf) => {
    const { invoke, win, call, log } = setup();
    const answer = await invoke(channelOf('signOut'), frameOf(win));
    expect(answer).toEqual({ ok: false, error: { kind: 'refused', message: REFUSED_MESSAGE } });
    expect(call).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalled();
  });

  it('refuses a call from another webContents even with the right frame ids', async () => {
    const { handlers, win, call } = setup();
    const other = new FakeBrowserWindow({});
    const answer = await handlers.get(channelOf('outbox'))!({ sender: other.webContents, senderFrame: win.webContents.mainFrame } as never);
    expect(answer).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(call).not.toHaveBeenCalled();
  });

  it('refuses everything once the window is closed', async () => {
    const { invoke, win, call } = setup();
    win.destroyed = true;
    expect(await invoke(channelOf('status'), win.webContents.mainFrame)).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(call).not.toHaveBeenCalled();
  });

  it("in development, trusts the dev server's origin only when it is configured", () => {
    const win = new FakeBrowserWindow({});
    win.webContents.mainFrame = fakeFrame('http://localhost:5173/');
    const event = { sender: win.webContents, senderFrame: win.webContents.mainFrame } as never;
    expect(isTrustedSender(event, win as never, ['app://console'])).toBe(false);
    expect(isTrustedSender(event, win as never, ['app://console', 'http://localhost:5173'])).toBe(true);
  });
});

describe('console events', () => {
  const synced: ConsoleEvent = { event: 'openAlert', payload: { alertId: 'a1' } };

  it('go to the window on the event channel', () => {
    const win = new FakeBrowserWindow({});
    const { captured, onEvent } = captureListener();
    forwardConsoleEvents(onEvent, () => win as never, ORIGINS);
    captured.listener!(synced);
    expect(win.webContents.sent).toEqual([{ channel: EVENT_CHANNEL, message: synced }]);
  });

  it('are dropped when there is no window, or it shows something other than the console', () => {
    const win = new FakeBrowserWindow({});
    let current: FakeBrowserWindow | null = null;
    const { captured, onEvent } = captureListener();
    forwardConsoleEvents(onEvent, () => current as never, ORIGINS);
    captured.listener!(synced);
    current = win;
    win.webContents.url = 'https://evil.example/';
    captured.listener!(synced);
    expect(win.webContents.sent).toEqual([]);
  });
});
