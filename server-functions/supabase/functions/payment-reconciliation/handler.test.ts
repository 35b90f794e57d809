// The reconciliation function's routes: the operator runs it and downloads
// the archived files (as archived, with their SHA-256); trainers may not.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeDouble, type StripeDouble } from '../../../local/doubles/stripe.ts';
import { signJwt } from '../../../local/stack/keys.ts';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { createBusiness, createCouncil, createPayment, createPerson } from '../../../test/fixtures.ts';
import { hs256Verifier } from '../_shared/auth.ts';
import { createStripe } from '../_shared/stripe.ts';
import { createReconciliationHandler } from './handler.ts';

const SECRET = 'reconcile-test-secret';
let db: TestDatabase;
let double: StripeDouble;
let handler: ReturnType<typeof createReconciliationHandler>;
let operator: string;
let trainer: string;

beforeAll(async () => {
  db = await freshDatabase();
  double = await startStripeDouble();
  handler = createReconciliationHandler({ sql: db.sql, stripe: createStripe('sk_test_double', double.url), verifier: hs256Verifier(SECRET) });
  operator = await signJwt(SECRET, { sub: crypto.randomUUID(), aud: 'authenticated', role: 'authenticated', app_metadata: { role: 'operator' } }, 600);
  trainer = await signJwt(SECRET, { sub: crypto.randomUUID(), aud: 'authenticated', role: 'authenticated', app_metadata: { role: 'trainer' } }, 600);
  await createCouncil(db.sql, 'knox', 'Knox');
  const b = await createBusiness(db.sql, await createPerson(db.sql), 'knox');
  await createPayment(db.sql, b, 'knox', { paidAt: new Date(Date.now() - 60_000) }); // recorded here, unknown to Stripe
});
afterAll(async () => {
  await double?.close();
  await db?.drop();
});

const call = (token: string, method: string, query = '') =>
  handler(new Request(`http://x/payment-reconciliation${query}`, { method, headers: { authorization: `Bearer ${token}` } }));

describe('payment-reconciliation', () => {
  it('the operator runs it, lists the reports and downloads each file as archived', async () => {
    const res = await call(operator, 'POST');
    expect(res.status).toBe(201);
    const run = (await res.json()) as { reportId: string; name: string; discrepancies: { class: string }[] };
    expect(run.discrepancies.map((d) => d.class)).toEqual(['missing_in_stripe']);
    const list = (await (await call(operator, 'GET')).json()) as { reports: { id: string; discrepancies: number }[] };
    expect(list.reports[0]).toMatchObject({ id: run.reportId, discrepancies: 1 });
    for (const format of ['csv', 'pdf']) {
      const file = await call(operator, 'GET', `?id=${run.reportId}&format=${format}`);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-disposition')).toBe(`attachment; filename="${run.name}.${format}"`);
      const bytes = Buffer.from(await file.arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.headers.get('x-content-sha256'));
    }
  });

  it('refuses trainers, a malformed id and an unknown format, naming the field', async () => {
    expect((await call(trainer, 'POST')).status).toBe(403);
    expect(await (await call(operator, 'GET', '?id=nope')).json()).toMatchObject({ error: { field: 'id' } });
    expect(await (await call(operator, 'GET', `?id=${crypto.randomUUID()}&format=xls`)).json()).toMatchObject({ error: { field: 'format' } });
    expect((await call(operator, 'GET', `?id=${crypto.randomUUID()}`)).status).toBe(404);
  });
});
