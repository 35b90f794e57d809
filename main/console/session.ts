// The operator's Supabase session, through supabase-js (GoTrue's password
// and refresh-token grants: the hosted project's or the local stack's).
// supabase-js keeps its session in the storage we give it: a SecretStore that
// encrypts it with the OS (Electron safeStorage) where that is real, or
// keeps it in memory and says why. Tokens are refreshed on demand, when a
// sync asks for one, so a week offline ends with one refresh, not a timer
// failing in the background.
import { createClient, type SupportedStorage } from '@supabase/supabase-js';
import { ConsoleError } from '../../shared/ipc/result.ts';
import type { SessionInfo } from '../../shared/ipc/views.ts';
import { TransportError } from '../sync/transport.ts';

/** Where the session lives between launches. */
export interface SecretStore {
  /** False when the secret only lives in memory (then `note` says why). */
  persisted: boolean;
  note: string | null;
  read(): string | null;
  write(value: string): void;
  clear(): void;
}

export function memorySecretStore(note: string): SecretStore {
  let value: string | null = null;
  return { persisted: false, note, read: () => value, write: (v) => void (value = v), clear: () => void (value = null) };
}

class NoRealtime {
  constructor() {
    throw new Error('the console does not use Supabase realtime');
  }
}

export interface SessionManagerOptions {
  apiUrl: string;
  anonKey: string;
  secrets: SecretStore;
  fetch?: typeof fetch;
}

const isNetworkFailure = (err: unknown) => {
  const e = err as { name?: string; status?: number; message?: string } | null;
  return !!e && (e.name === 'AuthRetryableFetchError' || e.status === 0 || /fetch failed|ECONNREFUSED|network/i.test(e.message ?? ''));
};

export function createSessionManager(opts: SessionManagerOptions) {
  const STORAGE_KEY = 'dtd-operator-session';
  const memory = new Map<string, string>();
  // supabase-js stores the session under its key; everything else (a PKCE verifier, say) stays in memory.
  const storage: SupportedStorage = {
    getItem: (key: string) => (key === STORAGE_KEY ? opts.secrets.read() : (memory.get(key) ?? null)),
    setItem: (key: string, value: string) => (key === STORAGE_KEY ? opts.secrets.write(value) : void memory.set(key, value)),
    removeItem: (key: string) => (key === STORAGE_KEY ? opts.secrets.clear() : void memory.delete(key)),
  };
  const client = createClient(opts.apiUrl, opts.anonKey || 'no-anon-key', {
    auth: { storage, storageKey: STORAGE_KEY, persistSession: true, autoRefreshToken: false, detectSessionInUrl: false },
    global: opts.fetch ? { fetch: opts.fetch } : {},
    // The console never opens a realtime channel; Node 20 has no WebSocket for supabase-js to find.
    realtime: { transport: NoRealtime as never },
  });

  const info = async (): Promise<SessionInfo> => {
    const { data } = await client.auth.getSession().catch(() => ({ data: { session: null } }));
    const user = data.session?.user;
    return {
      signedIn: !!data.session,
      email: user?.email ?? null,
      name: (user?.user_metadata?.display_name as string | undefined) ?? null,
      persisted: opts.secrets.persisted,
      persistNote: opts.secrets.note,
    };
  };

  return {
    info,
    async signIn(email: string, password: string): Promise<SessionInfo> {
      let result: Awaited<ReturnType<typeof client.auth.signInWithPassword>>;
      try {
        result = await client.auth.signInWithPassword({ email, password });
      } catch (err) {
        throw new ConsoleError(isNetworkFailure(err) ? 'offline' : 'server', `Sign-in failed: ${(err as Error).message}`);
      }
      if (result.error) {
        if (isNetworkFailure(result.error))
          throw new ConsoleError('offline', `Cannot reach the server at ${opts.apiUrl} to sign in; check the connection and try again.`);
        throw new ConsoleError('refused', `Sign-in refused: ${result.error.message}`);
      }
      // The server checks the role on every call; saying so here spares a week of refused syncs.
      if (result.data.user?.app_metadata?.role !== 'operator') {
        await client.auth.signOut({ scope: 'local' });
        throw new ConsoleError('refused', `${email} is not an operator account (app_metadata.role must be "operator")`);
      }
      return info();
    },
    async signOut(): Promise<SessionInfo> {
      await client.auth.signOut({ scope: 'local' }).catch(() => undefined);
      opts.secrets.clear();
      return info();
    },
    /** The access token for the operator API; a TransportError('auth') when there is no usable session. */
    async accessToken(): Promise<string> {
      const { data, error } = await client.auth.getSession();
      if (error && isNetworkFailure(error)) throw new TransportError('offline', `cannot refresh the session: ${error.message}`);
      if (!data.session) throw new TransportError('auth', error ? `the session ended (${error.message}); sign in again` : 'not signed in; sign in to sync');
      return data.session.access_token;
    },
  };
}

export type SessionManager = ReturnType<typeof createSessionManager>;
