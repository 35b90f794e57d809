// The only module that reads window.dtd: the preload's API in Electron, or
// the loopback bridge's when the console is served in a browser.
import type { ConsoleApi } from '../../../shared/ipc/contract.ts';
import { createLoopbackApi } from './loopback.ts';

declare global {
  interface Window {
    dtd?: ConsoleApi;
  }
}

let api: ConsoleApi | null = null;

export function consoleApi(): ConsoleApi {
  api ??= window.dtd ?? createLoopbackApi();
  return api;
}
