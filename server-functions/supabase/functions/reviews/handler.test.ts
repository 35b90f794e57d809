// Review submission under Node against the real database and the Z.AI double.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, rowCount, type TestDatabase } from '../../../test/db.ts';
import { createBusiness, createCouncil, createPerson } from '../../../test/fixtures.ts';
import { startZaiDouble, type ZaiDouble } from '../../../local/doubles/zai.ts';
import { CircuitBreaker } from '../_shared/ai/circuit-breaker.ts';
import { createAiRouter } from '../_shared/ai/router.ts';
import { createReviewsHandler } from './handler.ts';

let db: TestDatabase;
let zai: ZaiDouble;
let handler: ReturnType<typeof createReviewsHandler>;
let visible: string;
let hidden: string;
let address = 0;

beforeAll(async () => {
  db = await freshDatabase();
  zai = await startZaiDouble();
  await createCouncil(db.sql, 'melbourne');
  const owner = await createPerson(db.sql);
  visible = await createBusiness(db.sql, owner, 'melbourne');
  hidden = await createBusiness(db.sql, owner, 'melbourne', { status: 'suspended' });
});
afterAll(async () => {
  await zai.close();
  await db.drop();
});
beforeEach(() => {
  zai.setMode('ok');
  address++;
  const ask = createAiRouter({
    sql: db.sql,
    providers: { z_ai: { name: 'z_ai', baseUrl: zai.url, apiKey: 'k', model: 'glm', costCentsPerCall: 0.1 } },
    aiMode: async () => 'z_ai',
    breakers: { z_ai: new CircuitBreaker(), secondary: new CircuitBreaker() },
    timeoutMs: 200,
  });
  handler = createReviewsHandler({ sql: db.sql, ask, ipSalt: 'test-salt' });
});

const submit = (body: Record<string, unknown>, from = `10.0.0.${address}`) =>
  handler(
    new Request('http://x/reviews', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify(body),
    }),
  );
const goodText = 'Sam helped our reactive puppy so much, the training was calm and patient.';

describe('reviews', () => {
  it('stores a pending review with the AI safety score, and never the address itself', async () => {
    const res = await submit({ businessId: visible, rating: 5, text: goodText, displayName: 'Jo' });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const [row] = await db.sql`select status, ai_confidence::float8 as c, ai_flags, display_name, submitted_ip_hash from public.reviews where id = ${id}`;
    expect(row).toMatchObject({ status: 'pending', c: 0.96, ai_flags: [], display_name: 'Jo' });
    expect(row!.submitted_ip_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.submitted_ip_hash).not.toContain('10.0.0');
  });

  it('scores with the deterministic rules when Z.AI fails', async () => {
    zai.setMode('failing');
    const res = await submit({ businessId: visible, rating: 1, text: 'Buy cheap crypto now at www.spam.example, best deals!!' });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const [row] = await db.sql`select ai_confidence::float8 as c, ai_flags from public.reviews where id = ${id}`;
    expect(row!.ai_flags).toEqual(expect.arrayContaining(['spam', 'off_topic']));
    expect(row!.c).toBeLessThan(0.9);
  });

  it('refuses fields the client may not set, naming the field, and writes nothing', async () => {
    const before = await rowCount(db.sql, 'public.reviews');
    for (const [extra, field] of [
      [{ status: 'approved' }, 'status'],
      [{ ai_confidence: 1 }, 'ai_confidence'],
      [{ moderatedBy: 'x' }, 'moderatedBy'],
    ] as const) {
      const res = await submit({ businessId: visible, rating: 5, text: goodText + field, ...extra });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
    }
    expect(await rowCount(db.sql, 'public.reviews')).toBe(before);
  });

  it('refuses a business that is not listed in search', async () => {
    const res = await submit({ businessId: hidden, rating: 4, text: goodText });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('businessId');
  });

  it('allows 5 reviews an hour per address, then 429 with Retry-After', async () => {
    for (let i = 0; i < 5; i++) expect((await submit({ businessId: visible, rating: 4, text: `${goodText} Visit ${i}.` }, '203.0.113.9')).status).toBe(201);
    const sixth = await submit({ businessId: visible, rating: 4, text: `${goodText} Visit 6.` }, '203.0.113.9');
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await submit({ businessId: visible, rating: 4, text: `${goodText} Visit 6.` }, '203.0.113.10')).status).toBe(201);
  });

  it('refuses the same text for the same business within 24 hours (409), whatever the spacing or case', async () => {
    const text = 'Great trainer, our dog finally walks nicely on the lead now.';
    expect((await submit({ businessId: visible, rating: 5, text }, '198.51.100.1')).status).toBe(201);
    const again = await submit({ businessId: visible, rating: 5, text: `  ${text.toUpperCase()}  ` }, '198.51.100.2');
    expect(again.status).toBe(409);
  });

  it('lets only 5 of 10 concurrent submissions from one address through', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => submit({ businessId: visible, rating: 3, text: `${goodText} Burst ${i}.` }, '192.0.2.77')),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });

  it('asks the AI nothing for a review it refuses: unknown business, duplicate, over the limit (1,000 from one address)', async () => {
    const before = zai.calls.ok;
    expect((await submit({ businessId: hidden, rating: 5, text: goodText })).status).toBe(404);
    expect(zai.calls.ok).toBe(before);
    const from = '198.51.100.9';
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < 1000) {
          const n = ++next;
          statuses.push((await submit({ businessId: visible, rating: 4, text: `${goodText} Visit number ${n}.` }, from)).status);
        }
      }),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(995);
    expect(zai.calls.ok - before).toBeLessThanOrEqual(5); // the hourly limit bounds the AI bill, burst or not
    const fresh = `${goodText} Worth every cent.`;
    const again = await submit({ businessId: visible, rating: 5, text: fresh }, '198.51.100.10');
    const dup = await submit({ businessId: visible, rating: 5, text: fresh }, '198.51.100.11');
    expect([again.status, dup.status]).toEqual([201, 409]);
    expect(zai.calls.ok - before).toBeLessThanOrEqual(6); // the duplicate was refused before any call
  }, 120_000);
});
