// Seeds the demo data set the first time the local stack starts (an empty
// directory), and always makes sure the operator account can sign in.
import type { Sql } from 'postgres';
import { ensureOperator } from './accounts.ts';
import { writeDemo } from './demo.ts';
import { lockDirectory } from './target.ts';

export interface FirstStartOptions {
  operatorEmail: string;
  operatorPassword: string;
  /** The demo's "now" (tests pin it); defaults to the clock. */
  now?: Date;
}

/**
 * Returns true when it seeded the demo (the database had no businesses),
 * false when it kept the existing data. One transaction: two stacks starting
 * at once cannot both seed, and a failed seed leaves nothing half-written.
 */
export async function seedOnFirstStart(sql: Sql, opts: FirstStartOptions): Promise<boolean> {
  return sql.begin(async (tx) => {
    const existing = await lockDirectory(tx);
    if (existing > 0) {
      await ensureOperator(tx, opts.operatorEmail, opts.operatorPassword);
      return false;
    }
    await writeDemo(tx, { now: opts.now, operator: { email: opts.operatorEmail, password: opts.operatorPassword } });
    return true;
  });
}
