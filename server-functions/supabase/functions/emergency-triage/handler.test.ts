// The triage handler under Node against the real database and the Z.AI double
// over real HTTP: every provider failure falls back to the deterministic rules.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, rowCount, type TestDatabase } from '../../../test/db.ts';
import { startZaiDouble, type ZaiDouble } from '../../../local/doubles/zai.ts';
import { CircuitBreaker } from '../_shared/ai/circuit-breaker.ts';
import { createAiRouter } from '../_shared/ai/router.ts';
import type { AiMode } from '../_shared/ai/mode.ts';
import { createTriageHandler } from './handler.ts';

let db: TestDatabase;
let zai: ZaiDouble;
let mode: AiMode = 'z_ai';
let clock = Date.parse('2026-11-26T03:00:00Z');
let handler: ReturnType<typeof createTriageHandler>;

beforeAll(async () => {
  db = await freshDatabase();
  zai = await startZaiDouble();
});
afterAll(async () => {
  await zai.close();
  await db.drop();
});
beforeEach(() => {
  mode = 'z_ai';
  zai.setMode('ok');
  const ask = createAiRouter({
    sql: db.sql,
    providers: { z_ai: { name: 'z_ai', baseUrl: zai.url, apiKey: 'test-key', model: 'glm', costCentsPerCall: 0.1 } },
    aiMode: async () => mode,
    breakers: { z_ai: new CircuitBreaker({ threshold: 3, cooldownMs: 60_000 }), secondary: new CircuitBreaker() },
    timeoutMs: 200,
    now: () => new Date(clock),
  });
  handler = createTriageHandler({ sql: db.sql, ask, ipSalt: 'test-salt' });
});

let caller = 0;
/** By default each call from a new address (the per-address AI allowance is tested on its own below). */
const triage = (text: string, from = `10.1.${Math.floor(++caller / 250)}.${caller % 250}`) =>
  handler(
    new Request('http://x/emergency-triage', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify({ text }),
    }),
  );

describe('emergency-triage handler', () => {
  it('answers from Z.AI when it is healthy and logs the call with its cost', async () => {
    const res = await triage('my dog is bleeding from the paw');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ category: 'medical', provider: 'z_ai', confidence: 0.93 });
    const [log] = await db.sql`select provider, category, fell_back, cost_cents::float8 as cost from public.triage_logs order by id desc limit 1`;
    expect(log).toEqual({ provider: 'z_ai', category: 'medical', fell_back: false, cost: 0.1 });
  });

  it.each(['failing', 'garbage', 'slow', 'down'] as const)('falls back to the deterministic rules when Z.AI is %s', async (state) => {
    zai.setMode(state, 1000);
    const res = await triage('Lost dog near the station');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ category: 'stray', provider: 'deterministic' });
    const [log] = await db.sql`select provider, fell_back, error from public.triage_logs order by id desc limit 1`;
    expect(log).toMatchObject({ provider: 'z_ai', fell_back: true });
    const [health] = await db.sql`select ok, error from public.ai_provider_health order by id desc limit 1`;
    expect(health!.ok).toBe(false);
    expect(health!.error).toMatch(/z_ai (http|malformed|timeout|network)/);
  });

  it('stops calling a failing Z.AI after three failures and probes it again after the cool-down', async () => {
    zai.setMode('failing');
    const before = zai.calls.failing;
    for (let i = 0; i < 10; i++) expect(await (await triage('aggressive dog')).json()).toMatchObject({ category: 'crisis' });
    expect(zai.calls.failing - before).toBe(3);
    zai.setMode('ok');
    clock += 61_000;
    expect(await (await triage('aggressive dog')).json()).toMatchObject({ provider: 'z_ai', category: 'crisis' });
  });

  it('uses only the rules when AI_MODE is deterministic', async () => {
    mode = 'deterministic';
    const calls = zai.calls.ok;
    expect(await (await triage("won't listen")).json()).toMatchObject({ provider: 'deterministic', category: 'normal' });
    expect(zai.calls.ok).toBe(calls);
  });

  it('spends an address’s AI allowance only on AI answers: none while the rules answer in deterministic mode', async () => {
    const from = '10.9.9.9';
    mode = 'deterministic';
    for (let i = 0; i < 25; i++) expect(await (await triage('my dog is limping', from)).json()).toMatchObject({ provider: 'deterministic' });
    mode = 'z_ai';
    expect(await (await triage('my dog is limping', from)).json()).toMatchObject({ provider: 'z_ai' });
  });

  it('refuses bad input with the field named and writes no row', async () => {
    const before = await rowCount(db.sql, 'public.triage_logs');
    const bad = [
      new Request('http://x/', { method: 'GET' }),
      new Request('http://x/', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' }),
      new Request('http://x/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":' }),
      new Request('http://x/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 5 }) }),
      new Request('http://x/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'ok', extra: 1 }) }),
      new Request('http://x/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(20_000) }) }),
    ];
    const fields = [];
    for (const req of bad) {
      const res = await handler(req);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      fields.push(((await res.json()) as { error: { field: string } }).error.field);
    }
    expect(fields).toEqual(['method', 'content-type', 'body', 'text', 'extra', 'body']);
    const after = await rowCount(db.sql, 'public.triage_logs');
    expect(after).toBe(before);
  });

  it('1,000 requests from one address: AI calls bounded by the hourly allowance, every one answered, the spend recorded', async () => {
    const from = '203.0.113.77';
    const [setting] = await db.sql<{ n: number }[]>`select (value #>> '{}')::int as n from public.settings where key = 'triage_ai_per_hour'`;
    const allowance = setting!.n;
    expect(allowance).toBe(20);
    const before = zai.calls.ok;
    const logsBefore = (await db.sql<{ n: number }[]>`select count(*)::int as n from public.triage_logs`)[0]!.n;
    const answers: { status: number; category: string; provider: string }[] = [];
    let next = 0;
    // Ten at a time, as a script would: the allowance is taken atomically, so a burst cannot all reach the AI.
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < 1000) {
          next++;
          const res = await triage('my dog is bleeding from the paw', from);
          answers.push({ status: res.status, ...((await res.json()) as { category: string; provider: string }) });
        }
      }),
    );
    expect(answers).toHaveLength(1000);
    expect(answers.every((a) => a.status === 200 && a.category === 'medical')).toBe(true); // an emergency is never refused
    expect(zai.calls.ok - before).toBe(allowance);
    expect(answers.filter((a) => a.provider === 'z_ai')).toHaveLength(allowance);
    const [spend] = await db.sql<{ n: number; cents: number; capped: number }[]>`
      select count(*)::int as n, sum(cost_cents)::float8 as cents,
             count(*) filter (where error = 'AI allowance for this address used up this hour')::int as capped
      from (select * from public.triage_logs order by id desc limit 1000) l`;
    expect(spend).toEqual({ n: 1000, cents: allowance * 0.1, capped: 1000 - allowance });
    expect((await db.sql<{ n: number }[]>`select count(*)::int as n from public.triage_logs`)[0]!.n - logsBefore).toBe(1000);
  }, 120_000);
});
