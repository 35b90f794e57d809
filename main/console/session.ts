// The operator's Supabase session: password sign-in and refresh through
// GoTrue's /auth/v1/token (the hosted project's or the local stack's).
// Refreshes a minute before expiry so a long offline week ends with one
// refresh, not a failed push.
export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

async function token(apiUrl: string, anonKey: string, grant: string, body: unknown): Promise<Session> {
  const res = await fetch(`${apiUrl.replace(/\/$/, '')}/auth/v1/token?grant_type=${grant}`, {
    method: 'POST',
    headers: { apikey: anonKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const data = (await res.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string; expires_in?: number; error_description?: string; msg?: string };
  if (!res.ok || !data.access_token) throw new Error(`sign-in failed: ${data.error_description ?? data.msg ?? res.status}`);
  return { accessToken: data.access_token, refreshToken: data.refresh_token ?? '', expiresAt: Date.now() + (data.expires_in ?? 3600) * 1000 };
}

export function createSessionManager(apiUrl: string, anonKey: string, initial: Session | null = null) {
  let session = initial;
  return {
    async signIn(email: string, password: string) {
      session = await token(apiUrl, anonKey, 'password', { email, password });
      return session;
    },
    async accessToken(): Promise<string> {
      if (!session) throw new Error('not signed in');
      if (Date.now() > session.expiresAt - 60_000 && session.refreshToken) {
        session = await token(apiUrl, anonKey, 'refresh_token', { refresh_token: session.refreshToken });
      }
      return session.accessToken;
    },
    current: () => session,
  };
}
