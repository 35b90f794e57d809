// Accounts the local stack signs in with. On hosted Supabase the operator is
// created with the Admin API (app_metadata.role = 'operator'); locally we write
// auth.users directly with a bcrypt hash, as GoTrue would store it.
import type { Sql, TransactionSql } from 'postgres';

type Db = Sql | TransactionSql;

export async function upsertOperatorAccount(sql: Db, email: string, password: string): Promise<string> {
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

/**
 * The operator the seed data's decisions are attributed to. With a password
 * it is a real sign-in (the local stack's); without one it is an account
 * that cannot sign in (no password hash), and an existing password is kept.
 * Either way it gets a profiles row saying `operator`.
 */
export async function ensureOperator(sql: Db, email: string, password?: string): Promise<string> {
  let id: string;
  if (password !== undefined) {
    id = await upsertOperatorAccount(sql, email, password);
  } else {
    const [row] = await sql<{ id: string }[]>`
      insert into auth.users (email, raw_app_meta_data, raw_user_meta_data)
      values (${email}, ${sql.json({ role: 'operator' })}, ${sql.json({ display_name: 'DTD Operator' })})
      on conflict (email) do update
        set raw_app_meta_data = auth.users.raw_app_meta_data || excluded.raw_app_meta_data
      returning id`;
    id = row!.id;
  }
  await sql`
    insert into public.profiles (id, role, email, display_name)
    values (${id}, 'operator', ${email}, 'DTD Operator')
    on conflict (id) do nothing`;
  return id;
}
