// Search under Node against the real database: the visibility rules, featured
// first, keyset pages that neither skip nor repeat, public columns only, and
// one search_events row per query with filters only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, rowCount, type TestDatabase } from '../../../test/db.ts';
import { createBusiness, createCouncil, createPayment, createPerson, createPlacement } from '../../../test/fixtures.ts';
import { createSearchEventRecorder } from './events.ts';
import { createSearchHandler, encodeCursor } from './handler.ts';

let db: TestDatabase;
let handler: ReturnType<typeof createSearchHandler>;
let events: ReturnType<typeof createSearchEventRecorder>;
const ids: Record<string, string> = {};

const search = async (body: unknown) => {
  const res = await handler(new Request('http://x/search', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  return { status: res.status, body: (await res.json()) as { results: Record<string, unknown>[]; nextCursor: string | null; error?: { field: string } } };
};

beforeAll(async () => {
  db = await freshDatabase();
  events = createSearchEventRecorder(db.sql, { flushMs: 5 });
  handler = createSearchHandler({ sql: db.sql, events });
  await createCouncil(db.sql, 'melbourne');
  await createCouncil(db.sql, 'monash');
  const owner = await createPerson(db.sql);
  for (let i = 0; i < 25; i++) {
    ids[`m${i}`] = await createBusiness(db.sql, owner, 'melbourne', {
      name: `Melbourne Trainer ${String(i).padStart(2, '0')}`,
      ageSpecialties: i % 2 ? ['puppy', 'adult'] : ['adult'],
      behaviorIssues: ['pulling'],
    });
  }
  ids.monash = await createBusiness(db.sql, owner, 'monash', { name: 'Monash Manners' });
  ids.suspended = await createBusiness(db.sql, owner, 'melbourne', { name: 'Aaa Suspended', status: 'suspended' });
  ids.deleted = await createBusiness(db.sql, owner, 'melbourne', { name: 'Aaa Deleted', deleted: true });
  ids.incomplete = await createBusiness(db.sql, owner, 'melbourne', { name: 'Aaa Incomplete', behaviorIssues: [] });
  // Two featured businesses, named to sort last alphabetically.
  for (const key of ['m23', 'm24']) {
    await createPlacement(db.sql, ids[key]!, 'melbourne', await createPayment(db.sql, ids[key]!, 'melbourne'));
  }
  await db.sql`update public.businesses set description = 'Gentle reactive dog rehabilitation' where id = ${ids.m7!}`;
});
afterAll(async () => {
  await events.flush();
  await db.drop();
});

describe('search', () => {
  it('shows only visible businesses: never suspended, deleted or without specialties', async () => {
    const { body } = await search({ council: 'melbourne', limit: 50 });
    const names = body.results.map((r) => r.name);
    expect(names).toHaveLength(25);
    expect(names.some((n) => String(n).startsWith('Aaa'))).toBe(false);
  });

  it('puts businesses with an active featured placement first, then orders by name', async () => {
    const { body } = await search({ council: 'melbourne', limit: 5 });
    expect(body.results.map((r) => [r.name, r.featured])).toEqual([
      ['Melbourne Trainer 23', true],
      ['Melbourne Trainer 24', true],
      ['Melbourne Trainer 00', false],
      ['Melbourne Trainer 01', false],
      ['Melbourne Trainer 02', false],
    ]);
  });

  it('pages with a keyset cursor that neither repeats nor skips a business', async () => {
    const seen: unknown[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const { body } = await search({ council: 'melbourne', limit: 4, ...(cursor ? { cursor } : {}) });
      seen.push(...body.results.map((r) => r.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBe(7);
    expect(new Set(seen).size).toBe(25);
    expect(seen).toHaveLength(25);
  });

  it('filters by age specialties (all chosen), behaviour issues and free text', async () => {
    const puppies = await search({ council: 'melbourne', ageSpecialties: ['puppy', 'adult'], limit: 50 });
    expect(puppies.body.results).toHaveLength(12);
    const text = await search({ q: 'reactive' });
    expect(text.body.results.map((r) => r.id)).toEqual([ids.m7]);
    const none = await search({ behaviorIssues: ['aggression'] });
    expect(none.body.results).toEqual([]);
    const other = await search({ council: 'monash' });
    expect(other.body.results.map((r) => r.name)).toEqual(['Monash Manners']);
  });

  it('returns public columns only', async () => {
    const { body } = await search({ council: 'monash' });
    expect(Object.keys(body.results[0]!).sort()).toEqual(
      ['ageSpecialties', 'behaviorIssues', 'councilId', 'description', 'email', 'featured', 'id', 'name', 'phone', 'serviceTypes', 'suburb', 'website'].sort(),
    );
  });

  it('records one search event per query with the filters but never the text', async () => {
    await events.flush();
    const before = await rowCount(db.sql, 'public.search_events');
    await search({ council: 'monash', q: "Jane's private school", behaviorIssues: ['pulling'] });
    await events.flush();
    expect(await rowCount(db.sql, 'public.search_events')).toBe(before + 1);
    const [event] = await db.sql`select council_id, filters, result_count from public.search_events order by id desc limit 1`;
    expect(event).toEqual({ council_id: 'monash', filters: { behaviorIssues: ['pulling'], hasText: true }, result_count: 0 });
  });

  it('answers 404 naming the council for one that does not exist, and records no event for it', async () => {
    await events.flush();
    const before = await rowCount(db.sql, 'public.search_events');
    const res = await search({ council: 'atlantis' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { type: 'not_found', field: 'council', message: 'council atlantis does not exist' } });
    await events.flush();
    expect(await rowCount(db.sql, 'public.search_events')).toBe(before);
  });

  it('one bad row never sinks a batch: the other searches in it are all recorded', async () => {
    const lines: string[] = [];
    const recorder = createSearchEventRecorder(db.sql, { flushMs: 10_000, log: (l) => lines.push(l) });
    const before = await rowCount(db.sql, 'public.search_events');
    const good = { occurredAt: new Date(), filters: {}, resultCount: 3, latencyMs: 4 };
    for (let i = 0; i < 10; i++) recorder.record({ ...good, councilId: i === 4 ? 'no-such-council' : 'melbourne' });
    recorder.record({ ...good, councilId: 'monash', latencyMs: -1 }); // a value the table refuses
    await recorder.flush();
    expect(await rowCount(db.sql, 'public.search_events')).toBe(before + 9);
    expect(lines).toEqual([expect.stringMatching(/^search events not written \(2 of 11\): /)]);
  });

  it('caps the page size and refuses a forged cursor, naming the field', async () => {
    expect((await search({ limit: 51 })).body.error?.field).toBe('limit');
    expect((await search({ cursor: 'bm90LWEtY3Vyc29y' })).body.error?.field).toBe('cursor');
    const forged = encodeCursor([false, "x' or 1=1 --", 'not-a-uuid']);
    expect((await search({ cursor: forged })).status).toBe(400);
  });

  it.each([
    ['a control character', 'Calm\u0000Paws'],
    ['an escape sequence', 'Calm\u001b[31mPaws'],
    ['a lone surrogate', 'Calm\ud800Paws'],
    ['an overlong name', 'x'.repeat(1000)],
  ])('refuses a cursor whose decoded name holds %s with a 400 naming the cursor, never a 500', async (_what, name) => {
    const cursor = encodeCursor([false, name, '6f1c2a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0f']);
    const res = await search({ council: 'melbourne', cursor });
    expect(res.status).toBe(400);
    expect(res.body.error?.field).toBe('cursor');
  });
});
