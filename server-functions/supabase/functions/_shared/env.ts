// Reads the settings every function shares from the environment Supabase (or
// the local stack) provides, failing with the name of what is missing.
import { createSql, type Sql } from './db.ts';
import { authIssuer, hs256Verifier, jwksVerifier, type JwtVerifier } from './auth.ts';

export function requireEnv(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

let sharedSql: Sql | undefined;
export function databaseFromEnv(): Sql {
  sharedSql ??= createSql(requireEnv('SUPABASE_DB_URL'), {
    max: Number(Deno.env.get('DB_POOL_MAX') ?? '10'),
    prepare: Deno.env.get('DB_PREPARE') === 'true',
  });
  return sharedSql;
}

export function verifierFromEnv(): JwtVerifier {
  const secret = Deno.env.get('SUPABASE_JWT_SECRET') ?? Deno.env.get('JWT_SECRET');
  const url = Deno.env.get('SUPABASE_URL');
  return secret ? hs256Verifier(secret, { issuer: url ? authIssuer(url) : undefined }) : jwksVerifier(requireEnv('SUPABASE_URL'));
}
