// What every data set needs from the target database before writing: the
// business settings (price, slots, windows: never literals in the seed), and
// the promise that the directory is still empty.
import type { Db } from './copy.ts';

export class SeedError extends Error {
  override name = 'SeedError';
}

export interface SeedSettings {
  priceCents: number;
  currency: string;
  featuredDays: number;
  slotsPerCouncil: number;
  refundWindowHours: number;
  cronMaxAttempts: number;
  timeZone: string;
}

export async function readSettings(db: Db): Promise<SeedSettings> {
  const rows = await db<{ key: string; value: unknown }[]>`select key, value from public.settings`;
  const values = new Map(rows.map((r) => [r.key, r.value]));
  const number = (key: string): number => {
    const v = Number(values.get(key));
    if (!Number.isFinite(v) || v <= 0) throw new SeedError(`setting ${key} is missing or not a positive number`);
    return v;
  };
  const text = (key: string): string => {
    const v = values.get(key);
    if (typeof v !== 'string' || v === '') throw new SeedError(`setting ${key} is missing or not a string`);
    return v;
  };
  return {
    priceCents: number('featured_price_cents'),
    currency: text('featured_currency'),
    featuredDays: number('featured_days'),
    slotsPerCouncil: number('featured_slots_per_council'),
    refundWindowHours: number('refund_window_hours'),
    cronMaxAttempts: number('cron_max_attempts'),
    timeZone: text('business_timezone'),
  };
}

/**
 * Locks the directory against a concurrent seed (SHARE ROW EXCLUSIVE blocks
 * other writers and other seeds, never readers) and reports how many
 * businesses it already holds. Call inside the seeding transaction.
 */
export async function lockDirectory(db: Db): Promise<number> {
  await db`lock table public.businesses in share row exclusive mode`;
  const [row] = await db<{ n: number }[]>`select count(*)::int as n from public.businesses`;
  return row!.n;
}

/** Refuses to seed a directory that already has businesses: seeds add a whole world, never merge into one. */
export async function claimEmptyDirectory(db: Db, dataSet: string): Promise<void> {
  const existing = await lockDirectory(db);
  if (existing > 0) {
    throw new SeedError(`refusing to seed ${dataSet}: the database already has ${existing} businesses; seed into a freshly migrated database`);
  }
}

/** Row counts of the tables a seed writes, for the CLI and tests. */
export async function tableCounts(db: Db, tables: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await db<{ n: number }[]>`select count(*)::int as n from ${db(table)}`;
    counts[table] = row!.n;
  }
  return counts;
}

/**
 * Whether a bulk load may switch off triggers (session_replication_role =
 * replica): only when none of `tables` has a trigger of its own on INSERT, so
 * the only triggers skipped are the foreign-key checks, which
 * verifyForeignKeys then does once per constraint instead of once per row,
 * and the `replayed` ones, whose work the caller redoes set-based after.
 */
export async function onlyForeignKeyTriggers(db: Db, tables: readonly string[], replayed: readonly string[] = []): Promise<boolean> {
  const rows = await db<{ name: string }[]>`
    select t.tgname as name from pg_trigger t
    where not t.tgisinternal and (t.tgtype & 4) <> 0
      and t.tgrelid = any(${[...tables]}::regclass[])`;
  return rows.every((r) => replayed.includes(r.name));
}

/** Checks every foreign key of `tables` with one anti-join each; throws on the first one broken. */
export async function verifyForeignKeys(db: Db, tables: readonly string[]): Promise<number> {
  const keys = await db<{ child: string; name: string; parent: string; cols: string[]; refs: string[] }[]>`
    select c.conrelid::regclass::text as child, c.conname as name, c.confrelid::regclass::text as parent,
           array(select quote_ident(a.attname) from unnest(c.conkey) with ordinality k(n, i)
                 join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as cols,
           array(select quote_ident(a.attname) from unnest(c.confkey) with ordinality k(n, i)
                 join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i) as refs
    from pg_constraint c
    where c.contype = 'f' and c.conrelid = any(${[...tables]}::regclass[])`;
  for (const key of keys) {
    const present = key.cols.map((c) => `x.${c} is not null`).join(' and ');
    const match = key.cols.map((c, i) => `y.${key.refs[i]} = x.${c}`).join(' and ');
    const [row] = await db.unsafe<{ n: number }[]>(
      `select count(*)::int as n from ${key.child} x where ${present} and not exists (select 1 from ${key.parent} y where ${match})`,
    );
    if (row!.n > 0) throw new SeedError(`foreign key ${key.name} on ${key.child} is broken for ${row!.n} rows`);
  }
  return keys.length;
}

/**
 * Runs `load` with the plain (non-constraint) indexes of `tables` dropped, then
 * builds them again from their own definitions (pg_get_indexdef) and
 * comments. One sorted build is far cheaper than millions of scattered
 * inserts. Call inside the seeding transaction: a failure restores them.
 */
export async function withIndexesBuiltAfter<T>(db: Db, tables: readonly string[], load: () => Promise<T>): Promise<T> {
  const indexes = await db<{ name: string; definition: string; comment: string | null }[]>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition,
           obj_description(i.indexrelid, 'pg_class') as comment
    from pg_index i
    where i.indrelid = any(${[...tables]}::regclass[])
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`;
  for (const index of indexes) await db.unsafe(`drop index ${index.name}`);
  const result = await load();
  await db`set local maintenance_work_mem = '256MB'`;
  for (const index of indexes) {
    await db.unsafe(index.definition);
    if (index.comment !== null) await db.unsafe(`comment on index ${index.name} is ${quoteLiteral(index.comment)}`);
  }
  return result;
}

function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
