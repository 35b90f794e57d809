// The Postgres client every function uses. Supabase gives edge functions
// SUPABASE_DB_URL; the local stack passes the embedded server's URL the same way.
import postgres from 'postgres';

export type Sql = ReturnType<typeof postgres>;

export function createSql(url: string, max = 5): Sql {
  return postgres(url, {
    max,
    idle_timeout: 20,
    connect_timeout: 10,
    onnotice: () => undefined,
    // Supabase's pooler (transaction mode) does not keep prepared statements.
    prepare: false,
  });
}
