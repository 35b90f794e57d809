// A local stand-in for the two GoTrue endpoints the console and tests use
// (POST /auth/v1/token for password and refresh_token grants, GET /auth/v1/user),
// answering in GoTrue's response format so supabase-js works unchanged.
// Passwords are checked against auth.users' bcrypt hashes with pgcrypto.
// Local only: hosted Supabase has the real GoTrue.
import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { jwtVerify } from 'jose';
import { signJwt } from './keys.ts';

const ACCESS_TTL = 3600;
const REFRESH_TTL = 30 * 24 * 3600;

interface UserRow {
  id: string;
  aud: string;
  role: string;
  email: string;
  raw_app_meta_data: Record<string, unknown>;
  raw_user_meta_data: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export interface AuthReply {
  status: number;
  body: unknown;
}

const invalid = (msg: string, code = 'invalid_credentials', status = 400): AuthReply => ({
  status,
  body: { code: status, error_code: code, msg },
});

export function createAuthEndpoint(sql: Sql, jwtSecret: string, apiUrl: string) {
  const issuer = `${apiUrl}/auth/v1`;

  async function session(user: UserRow): Promise<AuthReply> {
    const now = Math.floor(Date.now() / 1000);
    const sessionId = randomUUID();
    const appMetadata = { provider: 'email', providers: ['email'], ...user.raw_app_meta_data };
    const access_token = await signJwt(
      jwtSecret,
      {
        iss: issuer,
        sub: user.id,
        aud: user.aud,
        email: user.email,
        phone: '',
        app_metadata: appMetadata,
        user_metadata: user.raw_user_meta_data,
        role: user.role,
        aal: 'aal1',
        amr: [{ method: 'password', timestamp: now }],
        session_id: sessionId,
        is_anonymous: false,
      },
      ACCESS_TTL,
    );
    const refresh_token = await signJwt(jwtSecret, { iss: issuer, sub: user.id, typ: 'refresh', session_id: sessionId }, REFRESH_TTL);
    return {
      status: 200,
      body: {
        access_token,
        token_type: 'bearer',
        expires_in: ACCESS_TTL,
        expires_at: now + ACCESS_TTL,
        refresh_token,
        user: publicUser(user, appMetadata),
      },
    };
  }

  function publicUser(user: UserRow, appMetadata = user.raw_app_meta_data) {
    return {
      id: user.id,
      aud: user.aud,
      role: user.role,
      email: user.email,
      email_confirmed_at: user.created_at.toISOString(),
      phone: '',
      confirmed_at: user.created_at.toISOString(),
      last_sign_in_at: new Date().toISOString(),
      app_metadata: appMetadata,
      user_metadata: user.raw_user_meta_data,
      identities: [],
      created_at: user.created_at.toISOString(),
      updated_at: user.updated_at.toISOString(),
      is_anonymous: false,
    };
  }

  async function userById(id: string): Promise<UserRow | undefined> {
    const [user] = await sql<UserRow[]>`
      select id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at
      from auth.users where id = ${id}`;
    return user;
  }

  return {
    async token(grantType: string | null, body: Record<string, unknown>): Promise<AuthReply> {
      if (grantType === 'password') {
        const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
        const password = typeof body.password === 'string' ? body.password : '';
        if (!email || !password) return invalid('email and password are required', 'validation_failed');
        const [user] = await sql<UserRow[]>`
          select id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at
          from auth.users
          where lower(email) = ${email}
            and encrypted_password is not null
            and encrypted_password = extensions.crypt(${password}, encrypted_password)`;
        return user ? session(user) : invalid('Invalid login credentials');
      }
      if (grantType === 'refresh_token') {
        const token = typeof body.refresh_token === 'string' ? body.refresh_token : '';
        try {
          const { payload } = await jwtVerify(token, new TextEncoder().encode(jwtSecret), { algorithms: ['HS256'] });
          const user = payload.typ === 'refresh' && payload.sub ? await userById(payload.sub) : undefined;
          return user ? session(user) : invalid('Invalid Refresh Token', 'refresh_token_not_found');
        } catch {
          return invalid('Invalid Refresh Token', 'refresh_token_not_found');
        }
      }
      return invalid(`unsupported grant_type ${grantType ?? '(none)'}`, 'validation_failed');
    },

    async user(accessToken: string | null): Promise<AuthReply> {
      if (!accessToken) return invalid('missing access token', 'no_authorization', 401);
      try {
        const { payload } = await jwtVerify(accessToken, new TextEncoder().encode(jwtSecret), { algorithms: ['HS256'] });
        const user = payload.sub ? await userById(payload.sub) : undefined;
        return user ? { status: 200, body: publicUser(user) } : invalid('User not found', 'user_not_found', 404);
      } catch (err) {
        return invalid(`invalid JWT: ${(err as Error).message}`, 'bad_jwt', 401);
      }
    },
  };
}
