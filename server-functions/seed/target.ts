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
    throw new SeedError(
      `refusing to seed ${dataSet}: the database already has ${existing} businesses; seed into a freshly migrated database`,
    );
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
