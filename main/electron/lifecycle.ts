// The app's life around the console: one instance per user (a second launch
// brings the first window forward, so two processes never share one SQLite
// outbox), the network as the OS sees it, and a quit that waits for the sync
// engine to stop and the database to close before the process ends.
import type { App, Net, PowerMonitor } from 'electron';

/** False when another instance already runs (this one should quit at once). */
export function claimSingleInstance(app: Pick<App, 'requestSingleInstanceLock' | 'on'>, onSecondLaunch: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => onSecondLaunch());
  return true;
}

/** Tells the engine what the OS knows: now, and again after the machine wakes. */
export function watchNetwork(net: Pick<Net, 'isOnline'>, powerMonitor: Pick<PowerMonitor, 'on'>, setNetworkAvailable: (available: boolean) => void): void {
  const check = () => setNetworkAvailable(net.isOnline());
  check();
  powerMonitor.on('resume', check);
  powerMonitor.on('unlock-screen', check);
}

export const QUIT_TIMEOUT_MS = 10_000;

/**
 * Holds the first quit until `close` is done (a sync in flight finishes or is
 * abandoned, the session file is written, SQLite closes), then quits for real.
 * A close that hangs is given up on after `timeoutMs`: the outbox is in SQLite
 * and survives a hard stop; a console that cannot quit would not.
 */
export function quitGracefully(
  app: Pick<App, 'on' | 'quit'>,
  close: () => Promise<void>,
  { timeoutMs = QUIT_TIMEOUT_MS, log = (l: string) => console.warn(l) } = {},
): void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log(`the console took over ${timeoutMs} ms to close; quitting anyway`);
        resolve();
      }, timeoutMs);
    });
    void Promise.race([close().catch((err) => log(`closing the console failed: ${(err as Error).message}`)), timeout]).finally(() => {
      clearTimeout(timer);
      state = 'closed';
      app.quit();
    });
  });
}
