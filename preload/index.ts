// Exposes exactly the typed console API to the page: one method per entry of
// CONSOLE_METHODS, each invoking its own channel. No generic invoke, no
// Electron object reaches the renderer.
import { contextBridge, ipcRenderer } from 'electron';
import { CONSOLE_METHODS, channelOf, type ConsoleApi } from '../shared/ipc/contract.ts';

const api = Object.fromEntries(
  CONSOLE_METHODS.map((method) => [method, (...args: unknown[]) => ipcRenderer.invoke(channelOf(method), ...args)]),
) as unknown as ConsoleApi;

contextBridge.exposeInMainWorld('dtd', api);
