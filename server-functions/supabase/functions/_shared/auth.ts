// Verifies the JWT a request carries exactly as Supabase issues them: HS256
// signed with the project's JWT secret (legacy keys, and the local stack), or
// asymmetric keys published at the project's JWKS endpoint. The operator role
// is read from app_metadata, which only the service role can set.
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

export interface Claims extends JWTPayload {
  role?: string;
  email?: string;
  app_metadata?: { role?: string; [k: string]: unknown };
}

export type AuthResult = { ok: true; claims: Claims } | { ok: false; status: 401 | 403; message: string };

export interface JwtVerifier {
  verify(token: string): Promise<Claims>;
  /** The auth server's issuer (`<SUPABASE_URL>/auth/v1`): a signed-in user's token from anywhere else is refused. */
  issuer?: string;
}

// Every token must expire: a leaked one without `exp` would be good forever.
const REQUIRED = { requiredClaims: ['exp'] };

export function hs256Verifier(secret: string, opts: { issuer?: string } = {}): JwtVerifier {
  const key = new TextEncoder().encode(secret);
  return { issuer: opts.issuer, verify: async (token) => (await jwtVerify(token, key, { algorithms: ['HS256'], ...REQUIRED })).payload as Claims };
}

export function jwksVerifier(supabaseUrl: string): JwtVerifier {
  const jwks = createRemoteJWKSet(new URL('/auth/v1/.well-known/jwks.json', supabaseUrl));
  return { issuer: authIssuer(supabaseUrl), verify: async (token) => (await jwtVerify(token, jwks, REQUIRED)).payload as Claims };
}

/** The issuer Supabase Auth stamps on its access tokens. */
export const authIssuer = (supabaseUrl: string) => `${supabaseUrl.replace(/\/$/, '')}/auth/v1`;

export function bearerToken(req: Request): string | null {
  const header = req.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1]! : null;
}

export async function authenticate(req: Request, verifier: JwtVerifier): Promise<AuthResult> {
  const token = bearerToken(req);
  if (!token) return { ok: false, status: 401, message: 'missing Authorization: Bearer <token> header' };
  let claims: Claims;
  try {
    claims = await verifier.verify(token);
  } catch (err) {
    return { ok: false, status: 401, message: `invalid token: ${(err as Error).message}` };
  }
  // One check for every function: a signed-in user's token is Supabase Auth's, for this project's users.
  if (claims.role === 'authenticated') {
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes('authenticated')) return { ok: false, status: 401, message: 'invalid token: audience must be "authenticated"' };
    if (verifier.issuer && claims.iss !== verifier.issuer) return { ok: false, status: 401, message: `invalid token: issuer must be ${verifier.issuer}` };
  }
  return { ok: true, claims };
}

export function isOperator(claims: Claims): boolean {
  return claims.role === 'authenticated' && claims.app_metadata?.role === 'operator' && typeof claims.sub === 'string';
}

/** A signed-in person's claims (trainer or operator), or the 401/403 to answer. */
export async function signedInUser(
  req: Request,
  verifier: JwtVerifier,
  who: string,
): Promise<{ ok: true; claims: Claims & { sub: string } } | { ok: false; status: 401 | 403; message: string }> {
  const auth = await authenticate(req, verifier);
  if (!auth.ok) return auth;
  if (auth.claims.role !== 'authenticated' || typeof auth.claims.sub !== 'string') {
    return { ok: false, status: 403, message: `sign in as ${who}` };
  }
  return { ok: true, claims: auth.claims as Claims & { sub: string } };
}

/**
 * For server jobs: the scheduler (service role key) or the operator's session.
 * `scheduler` says which of the two called.
 */
export async function schedulerOrOperator(
  req: Request,
  verifier: JwtVerifier,
  action: string,
): Promise<{ ok: true; claims: Claims; scheduler: boolean } | { ok: false; status: 401 | 403; message: string }> {
  const auth = await authenticate(req, verifier);
  if (!auth.ok) return auth;
  const scheduler = auth.claims.role === 'service_role';
  if (!scheduler && !isOperator(auth.claims)) {
    return { ok: false, status: 403, message: `only the scheduler (service role) or the operator may ${action}` };
  }
  return { ok: true, claims: auth.claims, scheduler };
}
