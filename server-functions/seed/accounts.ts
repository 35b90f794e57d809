// Accounts the local stack signs in with. On hosted Supabase the operator is
// created with the Admin API (app_metadata.role = 'operator'); locally we write
// auth.users directly with a bcrypt hash, as GoTrue would store it.
import type { Sql } from 'postgres';

export async function upsertOperatorAccount(sql: Sql, email: string, password: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into auth.users (email, encrypted_password, raw_app_meta_data, raw_user_meta_data)
    values (${email}, extensions.crypt(${password}, extensions.gen_salt('bf', 8)),
            ${sql.json({ role: 'operator' })}, ${sql.json({ display_name: 'DTD Operator' })})
    on conflict (email) do update
      set encrypted_password = excluded.encrypted_password,
          raw_app_meta_data = auth.users.raw_app_meta_data || excluded.raw_app_meta_data,
          updated_at = now()
    returning id`;
  return row!.id;
}
