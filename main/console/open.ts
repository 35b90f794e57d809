// Puts the console together: the SQLite file, the session, the HTTP
// transport, the sync engine, the handlers behind the contract, and the
// events the renderer hears. The Electron shell, the browser bridge, the
// crash tests' client process and the benchmarks all open it the same way.
import { createInvestigationClient } from './investigation.ts';
import { createPlaybooksClient } from './playbooks.ts';
import { createReconciliationClient } from './reconciliation.ts';
import { EventEmitter } from 'node:events';
import type { AlertItem } from '../../shared/api/operator.ts';
import type { AppInfo, ConsoleEvent, ConsoleEventName, ConsoleEvents, ConsoleHandlers } from '../../shared/ipc/contract.ts';
import { createEdge } from '../ipc/edge.ts';
import { openLocalDatabase } from '../store/db.ts';
import { createStore } from '../store/store.ts';
import { createSyncEngine, type EngineOptions } from '../sync/engine.ts';
import { createHttpTransport, type OperatorTransport } from '../sync/transport.ts';
import { createRedAlertWatcher } from './red-alerts.ts';
import { createConsoleService } from './handlers/index.ts';
import { createSessionManager, memorySecretStore, type SecretStore } from './session.ts';

export interface OpenConsoleOptions {
  dbPath: string;
  apiUrl: string;
  anonKey?: string;
  /** Where the session is kept; in memory (and said so) by default. */
  secrets?: SecretStore;
  /** A fixed token instead of the session (tests and benchmarks that sign in themselves). */
  getAccessToken?: () => Promise<string>;
  engine?: EngineOptions;
  transport?: OperatorTransport;
  appInfo?: Partial<AppInfo>;
  fetch?: typeof fetch;
}

export function openConsole(opts: OpenConsoleOptions) {
  const db = openLocalDatabase(opts.dbPath);
  const store = createStore(db);
  const session = createSessionManager({
    apiUrl: opts.apiUrl,
    anonKey: opts.anonKey ?? '',
    fetch: opts.fetch,
    secrets: opts.secrets ?? memorySecretStore('This console keeps the session in memory only; you sign in again after a restart.'),
  });
  const transport =
    opts.transport ??
    createHttpTransport({
      apiUrl: opts.apiUrl,
      anonKey: opts.anonKey,
      fetch: opts.fetch,
      getAccessToken: opts.getAccessToken ?? (() => session.accessToken()),
    });
  const engine = createSyncEngine(store, transport, opts.engine);
  const reconciliation = createReconciliationClient({
    apiUrl: opts.apiUrl,
    anonKey: opts.anonKey,
    fetch: opts.fetch,
    getAccessToken: opts.getAccessToken ?? (() => session.accessToken()),
    timeoutMs: 60_000,
  });
  const investigation = createInvestigationClient({
    apiUrl: opts.apiUrl,
    anonKey: opts.anonKey,
    fetch: opts.fetch,
    getAccessToken: opts.getAccessToken ?? (() => session.accessToken()),
  });
  // Its live checks call other functions (triage, the webhook) from the server: a longer wait than a read.
  const playbooks = createPlaybooksClient({
    apiUrl: opts.apiUrl,
    anonKey: opts.anonKey,
    fetch: opts.fetch,
    getAccessToken: opts.getAccessToken ?? (() => session.accessToken()),
    timeoutMs: 60_000,
  });
  const appInfo: AppInfo = {
    version: '0.1.0',
    apiUrl: opts.apiUrl,
    platform: process.platform,
    dataFile: opts.dbPath,
    localOperator: null,
    ...opts.appInfo,
  };

  const events = new EventEmitter();
  const emit = <E extends ConsoleEventName>(event: E, payload: ConsoleEvents[E]) => events.emit('event', { event, payload } satisfies ConsoleEvent<E>);
  const data = createConsoleService({ store, engine, transport, reconciliation, investigation, playbooks });
  // A decision queued, changed or taken back moves the status line's counts
  // now, not at the next sync (no sync event follows a local change): any
  // call that moved the outbox or the verdicts says so.
  const announced = Object.fromEntries(
    Object.entries(data).map(([m, fn]) => [
      m,
      (...args: unknown[]) => {
        const before = store.revision();
        const tell = () => {
          if (store.revision() !== before) emit('status', engine.status());
        };
        const answer = (fn as (...a: unknown[]) => unknown)(...args);
        if (answer instanceof Promise) return answer.finally(tell);
        tell();
        return answer;
      },
    ]),
  ) as typeof data;
  const api = {
    ...announced,
    appInfo: () => appInfo,
    session: () => session.info(),
    signIn: async (email, password) => {
      const info = await session.signIn(email, password);
      engine.sessionRenewed();
      return info;
    },
    signOut: async () => {
      const info = await session.signOut();
      emit('signedOut', { reason: 'You signed out. Decisions not yet sent stay in the outbox until you sign in again.' });
      return info;
    },
  } satisfies ConsoleHandlers;

  // Engine events become the renderer's events; each RED alert is told once.
  const unseenRed = createRedAlertWatcher();
  let toldSignIn = false;
  engine.on((e) => {
    if (e.type === 'progress') emit('progress', { phase: e.phase, done: e.done, total: e.total });
    if (e.type === 'stalled') emit('stalled', { oldestPendingAgeMs: e.oldestPendingAgeMs });
    if (e.type === 'synced') {
      toldSignIn = false;
      emit('synced', { changed: e.changed, report: e.report });
      if (e.changed.includes('alerts')) for (const alert of unseenRed(data.alerts() as AlertItem[])) emit('redAlert', { alert });
    }
    const status = engine.status();
    if (status.needsSignIn && !toldSignIn) {
      toldSignIn = true;
      emit('signedOut', { reason: `The server needs you to sign in again (${status.lastError ?? 'no session'}). Nothing waiting to sync is lost.` });
    }
    emit('status', status);
  });

  return {
    db,
    store,
    engine,
    transport,
    session,
    api,
    appInfo,
    /** The contract's edge over these handlers (what IPC and the bridge call). */
    call: createEdge(api),
    /** Every event for the renderer; returns an unsubscribe. */
    onEvent(listener: (e: ConsoleEvent) => void) {
      events.on('event', listener);
      return () => void events.off('event', listener);
    },
    /** Shell-originated events (a notification was clicked). */
    emit,
    async close() {
      await engine.stop();
      db.close();
    },
  };
}

export type OpenConsole = ReturnType<typeof openConsole>;
