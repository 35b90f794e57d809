// Puts the console together: the SQLite file, the HTTP transport, the sync
// engine and the API the window uses. The Electron shell, the offline-week
// test's client process and the benchmarks all open it the same way.
import type { AppInfo } from '../../shared/ipc/contract.ts';
import { openLocalDatabase } from '../store/db.ts';
import { createStore } from '../store/store.ts';
import { createSyncEngine, type EngineOptions } from '../sync/engine.ts';
import { createHttpTransport, type OperatorTransport } from '../sync/transport.ts';
import { createConsoleService } from './service.ts';

export interface OpenConsoleOptions {
  dbPath: string;
  apiUrl: string;
  anonKey?: string;
  getAccessToken: () => Promise<string>;
  engine?: EngineOptions;
  transport?: OperatorTransport;
  appInfo?: Partial<AppInfo>;
}

export function openConsole(opts: OpenConsoleOptions) {
  const db = openLocalDatabase(opts.dbPath);
  const store = createStore(db);
  const transport = opts.transport ?? createHttpTransport({ apiUrl: opts.apiUrl, anonKey: opts.anonKey, getAccessToken: opts.getAccessToken });
  const engine = createSyncEngine(store, transport, opts.engine);
  const api = createConsoleService({
    store, engine, transport,
    appInfo: { version: '0.1.0', apiUrl: opts.apiUrl, platform: process.platform, ...opts.appInfo },
  });
  return {
    db, store, engine, api, transport,
    async close() {
      await engine.stop();
      db.close();
    },
  };
}

export type OpenConsole = ReturnType<typeof openConsole>;
