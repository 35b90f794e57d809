// The Postgres client every function uses. Supabase gives edge functions
// SUPABASE_DB_URL; the local stack passes the embedded server's URL the same way.
import postgres from 'postgres';

export type Sql = ReturnType<typeof postgres>;

export interface SqlOptions {
  max?: number;
  /**
   * Prepared statements save a parse and plan per query on a direct
   * connection; Supabase's pooler in transaction mode cannot keep them, so
   * they are off unless the URL is known to be direct (DB_PREPARE=true).
   */
  prepare?: boolean;
}

export function createSql(url: string, opts: SqlOptions = {}): Sql {
  return postgres(url, {
    max: opts.max ?? 10,
    idle_timeout: 20,
    connect_timeout: 10,
    onnotice: () => undefined,
    prepare: opts.prepare ?? false,
  });
}
