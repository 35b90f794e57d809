import type { ConsoleApi } from '../../shared/ipc/contract.ts';

declare global {
  interface Window {
    dtd: ConsoleApi;
  }
}

/** The preload's API (or, in browser tests, the loopback bridge that implements it). */
export function consoleApi(): ConsoleApi {
  return window.dtd;
}
