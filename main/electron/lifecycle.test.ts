import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { claimSingleInstance, quitGracefully, watchNetwork } from './lifecycle.ts';

describe('single instance', () => {
  it('a second launch brings the first window forward', () => {
    const app = Object.assign(new EventEmitter(), { requestSingleInstanceLock: vi.fn(() => true) });
    const focus = vi.fn();
    expect(claimSingleInstance(app as never, focus)).toBe(true);
    app.emit('second-instance');
    expect(focus).toHaveBeenCalled();
  });

  it('the second launch itself is told to quit', () => {
    const app = Object.assign(new EventEmitter(), { requestSingleInstanceLock: vi.fn(() => false) });
    expect(claimSingleInstance(app as never, vi.fn())).toBe(false);
    expect(app.listenerCount('second-instance')).toBe(0);
  });
});

describe('network', () => {
  it("tells the engine the OS's view now and after waking", () => {
    let online = false;
    const net = { isOnline: () => online };
    const power = new EventEmitter();
    const setNetworkAvailable = vi.fn();
    watchNetwork(net, power as never, setNetworkAvailable);
    expect(setNetworkAvailable).toHaveBeenLastCalledWith(false);
    online = true;
    power.emit('resume');
    expect(setNetworkAvailable).toHaveBeenLastCalledWith(true);
  });
});

describe('quitting', () => {
  const quitEvent = () => ({
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  });
  const makeApp = () => {
    const app = Object.assign(new EventEmitter(), { quit: vi.fn() });
    app.quit.mockImplementation(() => void app.emit('before-quit', quitEvent()));
    return app;
  };

  it('waits for the console to close before the process ends, then quits once', async () => {
    const app = makeApp();
    let finish!: () => void;
    const close = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    quitGracefully(app as never, close, { log: vi.fn() });
    const first = quitEvent();
    app.emit('before-quit', first);
    expect(first.defaultPrevented).toBe(true);
    app.emit('before-quit', quitEvent());
    expect(close).toHaveBeenCalledTimes(1);
    expect(app.quit).not.toHaveBeenCalled();
    finish();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(1));
  });

  it('quits even when closing fails or hangs', async () => {
    const app = makeApp();
    const log = vi.fn();
    quitGracefully(app as never, () => new Promise<void>(() => undefined), { timeoutMs: 20, log });
    app.emit('before-quit', quitEvent());
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
    expect(log).toHaveBeenCalledWith(expect.stringContaining('quitting anyway'));

    const failing = makeApp();
    quitGracefully(failing as never, async () => Promise.reject(new Error('disk full')), { log });
    failing.emit('before-quit', quitEvent());
    await vi.waitFor(() => expect(failing.quit).toHaveBeenCalled());
  });
});
