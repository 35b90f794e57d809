// Health under Node with a moved clock: the RED "Z.AI failing > 30 minutes"
// alert opens only past the threshold, resolves after a good call, and the
// AI summary counts this month's calls, uptime, latency and cost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { signJwt } from '../../../local/stack/keys.ts';
import { hs256Verifier } from '../_shared/auth.ts';
import { createHealthHandler } from './handler.ts';

const SECRET = 'health-test-secret';
let db: TestDatabase;
let clock = new Date('2026-11-20T03:00:00Z');
let handler: ReturnType<typeof createHealthHandler>;
let operatorToken: string;

const minutes = (n: number) => new Date(clock.getTime() + n * 60_000);
const get = async (token?: string) => {
  const res = await handler(new Request('http://x/health', { headers: token ? { authorization: `Bearer ${token}` } : {} }));
  // biome-ignore lint/suspicious/noExplicitAny: the tests read the health answer's fields as they come
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};
const recordCall = (at: Date, ok: boolean) =>
  db.sql`insert into public.ai_provider_health (provider, checked_at, ok, latency_ms, error, cost_cents)
         values ('z_ai', ${at}, ${ok}, ${ok ? 300 : null}, ${ok ? null : 'z_ai http: HTTP 500'}, ${ok ? 0.1 : 0})`;

beforeAll(async () => {
  db = await freshDatabase();
  handler = createHealthHandler({ sql: db.sql, verifier: hs256Verifier(SECRET), now: () => clock });
  operatorToken = await signJwt(SECRET, { sub: crypto.randomUUID(), aud: 'authenticated', role: 'authenticated', app_metadata: { role: 'operator' } }, 600);
});
afterAll(async () => {
  await db.drop();
});

describe('health', () => {
  it('is GREEN with no alerts and hides details from anonymous callers', async () => {
    const { status, body } = await get();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', level: 'GREEN', database: { ok: true }, counts: { red: 0, yellow: 0 } });
    expect(body.alerts).toBeUndefined();
  });

  it('opens RED zai_down only once Z.AI has been failing for more than 30 minutes, and resolves it after a good call', async () => {
    const start = new Date(clock);
    await recordCall(new Date(start.getTime() - 60_000), true);
    await recordCall(start, false);
    clock = minutes(29);
    await recordCall(clock, false);
    expect((await get()).body.level).toBe('GREEN');

    clock = new Date(start.getTime() + 31 * 60_000);
    await recordCall(clock, false);
    const red = await get(operatorToken);
    expect(red.body.level).toBe('RED');
    expect(red.body.alerts).toEqual([
      expect.objectContaining({ severity: 'RED', kind: 'zai_down', subject: 'z_ai', message: expect.stringMatching(/Z\.AI down since .* \(31 min\)/) }),
    ]);
    // Still one alert on the next refresh.
    clock = minutes(5);
    expect((await get(operatorToken)).body.alerts).toHaveLength(1);

    clock = minutes(1);
    await recordCall(clock, true);
    expect((await get()).body.level).toBe('GREEN');
    const [row] = await db.sql`select resolved_at from public.alerts where kind = 'zai_down'`;
    expect(row!.resolved_at).toEqual(clock);
  });

  it('summarises this month per provider for the operator: calls, uptime, latency, cost vs budget', async () => {
    const { body } = await get(operatorToken);
    expect(body.ai.budget_cents).toBe(25000);
    const zai = body.ai.providers.find((p: { provider: string }) => p.provider === 'z_ai');
    expect(zai).toMatchObject({ calls: 5, uptime_pct: 40, avg_latency_ms: 300 });
    expect(Number(zai.cost_cents)).toBeCloseTo(0.2);
  });
});
