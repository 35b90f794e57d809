// Who is signed in, and the sign-in form's state. The session itself lives in
// main (supabase-js); this holds main's last answer.
import { createStore } from 'zustand/vanilla';
import type { ConsoleApi } from '../../../shared/ipc/contract.ts';
import type { AppInfo, SessionInfo } from '../../../shared/ipc/views.ts';

export interface SessionState {
  loaded: boolean;
  info: SessionInfo | null;
  app: AppInfo | null;
  busy: boolean;
  /** Why the last sign-in failed, or why the console signed out. */
  error: string | null;
  load(): Promise<void>;
  signIn(email: string, password: string): Promise<boolean>;
  signOut(): Promise<void>;
}

export function createSessionStore(api: ConsoleApi) {
  const store = createStore<SessionState>()((set) => ({
    loaded: false,
    info: null,
    app: null,
    busy: false,
    error: null,
    async load() {
      const [info, app] = await Promise.all([api.session(), api.appInfo()]);
      set({ loaded: true, info: info.ok ? info.value : null, app: app.ok ? app.value : null, error: info.ok ? null : info.error.message });
    },
    async signIn(email, password) {
      set({ busy: true, error: null });
      const r = await api.signIn(email, password);
      set(r.ok ? { busy: false, info: r.value } : { busy: false, error: r.error.message });
      return r.ok;
    },
    async signOut() {
      const r = await api.signOut();
      if (r.ok) set({ info: r.value });
    },
  }));
  api.on('signedOut', ({ reason }) => store.setState((s) => ({ info: s.info ? { ...s.info, signedIn: false } : s.info, error: reason })));
  return store;
}
export type SessionStore = ReturnType<typeof createSessionStore>;
