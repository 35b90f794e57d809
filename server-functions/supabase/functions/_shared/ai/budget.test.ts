// The monthly AI budget enforced, on the real database and the Z.AI double:
// at the switch line (90 % of $250 by default) the router answers from the
// deterministic rules by itself and the alerts refresh says so; under it, or
// in a new month, the flag's provider is used again and the alert resolves.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startZaiDouble, type ZaiDouble } from '../../../../local/doubles/zai.ts';
import { freshDatabase, type TestDatabase } from '../../../../test/db.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { createAiModeReader } from './mode.ts';
import { createAiRouter } from './router.ts';

let db: TestDatabase;
let zai: ZaiDouble;
beforeAll(async () => {
  db = await freshDatabase();
  zai = await startZaiDouble();
  await db.sql`insert into public.feature_flags (key, value) values ('AI_MODE', 'z_ai') on conflict (key) do update set value = 'z_ai'`;
});
afterAll(async () => {
  await zai.close();
  await db.drop();
});
beforeEach(async () => {
  await db.sql`delete from public.ai_provider_health`;
  await db.sql`update public.settings set value = '25000' where key = 'ai_budget_cents_per_month'`;
});

/** Spend this month (or `at` another time), as the router records it: one good call per row. */
const spend = (cents: number, at = 'now()') =>
  db.sql.unsafe(`insert into public.ai_provider_health (provider, checked_at, ok, latency_ms, cost_cents) values ('z_ai', ${at}, true, 500, ${cents})`);
const mode = () => createAiModeReader(db.sql, 0)();
const budgetAlert = async () => {
  await db.sql`select public.refresh_alerts('all')`;
  return (
    (await db.sql<{ severity: string; message: string }[]>`select severity, message from public.alerts where kind = 'ai_budget' and resolved_at is null`)[0] ??
    null
  );
};

describe('the monthly AI budget', () => {
  it('switches the router to the deterministic rules at 90 %, and back under it', async () => {
    await spend(22_499.99); // one cent under $225.00
    expect(await mode()).toBe('z_ai');
    expect(await budgetAlert()).toBeNull();

    await spend(0.01); // exactly 90 % of $250.00
    expect(await mode()).toBe('deterministic');
    const alert = await budgetAlert();
    expect(alert).toEqual({
      severity: 'YELLOW',
      message:
        'AI spend $225.00 AUD of the $250.00 AUD monthly budget (90% reached): the AI router answers from the deterministic rules until the month ends or the budget is raised',
    });

    // The router, reading the real flag and budget, no longer calls Z.AI.
    const ask = createAiRouter({
      sql: db.sql,
      providers: { z_ai: { name: 'z_ai', baseUrl: zai.url, apiKey: 'k', model: 'glm', costCentsPerCall: 0.1 } },
      aiMode: createAiModeReader(db.sql, 0),
      breakers: { z_ai: new CircuitBreaker(), secondary: new CircuitBreaker() },
      timeoutMs: 500,
    });
    const before = zai.calls.ok;
    const outcome = await ask('Classify.', 'my dog is bleeding', (j) => j);
    expect(outcome.value).toBeNull(); // the caller answers from its rules
    expect(zai.calls.ok).toBe(before);

    await db.sql`update public.settings set value = '30000' where key = 'ai_budget_cents_per_month'`; // the operator raises it
    expect(await mode()).toBe('z_ai');
    expect(await budgetAlert()).toBeNull();
  });

  it("counts this Melbourne month only: last month's spend does not switch", async () => {
    await spend(24_000, "(date_trunc('month', now() at time zone 'Australia/Melbourne') at time zone 'Australia/Melbourne') - interval '1 second'");
    expect(await mode()).toBe('z_ai');
    const [state] = await db.sql<{ s: { spent_cents: number; over: boolean } }[]>`select public.ai_budget_state() as s`;
    expect(state!.s).toMatchObject({ spent_cents: 0, over: false });
  });
});
