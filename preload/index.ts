// Exposes exactly the typed console API to the page; no generic invoke.
import { contextBridge, ipcRenderer } from 'electron';
import type { ConsoleApi } from '../shared/ipc/contract.ts';

const api = {
  appInfo: () => ipcRenderer.invoke('app:info'),
} satisfies ConsoleApi;

contextBridge.exposeInMainWorld('dtd', api);
