// The thresholds the console shows and applies come in the pull, read from
// the settings the rules enforce them by: a changed setting changes what the
// next pull says (the console keeps no copy of its own).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse } from '../../../../shared/api/operator.ts';
import { startStripeDouble, type StripeDouble } from '../../../local/doubles/stripe.ts';
import { signJwt } from '../../../local/stack/keys.ts';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { createPerson } from '../../../test/fixtures.ts';
import { hs256Verifier } from '../_shared/auth.ts';
import { createStripe } from '../_shared/stripe.ts';
import { createOperatorHandler } from './handler.ts';

const SECRET = 'operator-policy-test-secret';
let db: TestDatabase;
let stripeDouble: StripeDouble;
let handler: ReturnType<typeof createOperatorHandler>;
let token: string;

beforeAll(async () => {
  db = await freshDatabase();
  stripeDouble = await startStripeDouble();
  handler = createOperatorHandler({
    sql: db.sql,
    verifier: hs256Verifier(SECRET),
    stripe: createStripe('sk_test_double', stripeDouble.url),
    sleep: async () => {},
  });
  const operator = await createPerson(db.sql, { profileRole: 'operator' });
  token = await signJwt(SECRET, { sub: operator, aud: 'authenticated', role: 'authenticated', app_metadata: { role: 'operator' } }, 600);
});
afterAll(async () => {
  await stripeDouble?.close();
  await db?.drop();
});

const pull = async (cursor: string | null = null) => {
  const res = await handler(
    new Request('http://x/operator/pull', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ cursor }),
    }),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as PullResponse;
};
const setSetting = (key: string, value: string) =>
  db.sql`insert into public.settings (key, value, description) values (${key}, ${value}, 'test')
         on conflict (key) do update set value = excluded.value`;

describe("the server's policy in the pull", () => {
  it("carries the settings' values: the bulk line, the AI budget's switch line, the refund window and the spec's sync clock", async () => {
    const first = await pull();
    expect(first.policy).toEqual({
      bulkApproveMinConfidence: 0.9,
      aiBudgetSwitchRatio: 0.9,
      refreshMs: { normal: 60_000, red: 30_000 },
      refundWindowHours: 72,
    });
    // Every pull carries it, an incremental one too.
    expect((await pull(first.cursor)).policy).toEqual(first.policy);
  });

  it('a changed setting changes what the next pull says', async () => {
    await setSetting('bulk_approve_min_confidence', '0.95');
    await setSetting('ai_budget_switch_pct', '85');
    await setSetting('refund_window_hours', '48');
    await setSetting('console_refresh_red_seconds', '20');
    expect((await pull()).policy).toEqual({
      bulkApproveMinConfidence: 0.95,
      aiBudgetSwitchRatio: 0.85,
      refreshMs: { normal: 60_000, red: 20_000 },
      refundWindowHours: 48,
    });
  });
});
