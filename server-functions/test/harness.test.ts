import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRole, freshDatabase, type TestDatabase } from './db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('test harness', () => {
  it('runs statements as the role the claims name, with auth.uid() from the claims', async () => {
    const sub = '00000000-0000-4000-8000-000000000001';
    const row = await asRole(db.sql, { sub, role: 'authenticated' }, async (tx) => {
      const [r] = await tx`select current_user as who, auth.uid() as uid`;
      return r!;
    });
    expect(row).toEqual({ who: 'authenticated', uid: sub });
  });
});
