// The local stack's JWT secret and the anon / service_role API keys, made the
// way Supabase makes them (HS256 JWTs whose `role` claim is the Postgres role),
// kept in the data directory so tokens stay valid across restarts.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';

export interface StackSecrets {
  JWT_SECRET: string;
  ANON_KEY: string;
  SERVICE_ROLE_KEY: string;
  STRIPE_WEBHOOK_SECRET: string;
  OPERATOR_EMAIL: string;
  OPERATOR_PASSWORD: string;
}

export async function signJwt(secret: string, claims: Record<string, unknown>, expiresInSeconds: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + expiresInSeconds)
    .sign(new TextEncoder().encode(secret));
}

const TEN_YEARS = 10 * 365 * 24 * 3600;

export async function loadOrCreateSecrets(dir: string): Promise<StackSecrets> {
  const file = join(dir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as StackSecrets;
  const JWT_SECRET = randomBytes(32).toString('base64url');
  const secrets: StackSecrets = {
    JWT_SECRET,
    ANON_KEY: await signJwt(JWT_SECRET, { iss: 'supabase-local', role: 'anon' }, TEN_YEARS),
    SERVICE_ROLE_KEY: await signJwt(JWT_SECRET, { iss: 'supabase-local', role: 'service_role' }, TEN_YEARS),
    STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('base64url')}`,
    OPERATOR_EMAIL: 'operator@dtd.local',
    OPERATOR_PASSWORD: randomBytes(12).toString('base64url'),
  };
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
