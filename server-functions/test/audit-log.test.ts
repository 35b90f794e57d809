// The audit log keeps every operator action and money movement for 7 years:
// entries are appended through public.audit() and can never be changed or
// removed, not by the API roles, not by service_role, not by the superuser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { anonClaims, asRole, freshDatabase, operatorClaims, trainerClaims, type Claims, type TestDatabase } from './db.ts';

let db: TestDatabase;
let firstEntry = 0;
const operatorId = randomUUID();

beforeAll(async () => {
  db = await freshDatabase();
  const [row] = await db.sql`
    select public.audit(${operatorId}, 'operator', 'refund.approved', 'refund_request', 'rr-1', 2200,
                        ${db.sql.json({ note: 'within 72h' })}) as id`;
  firstEntry = Number(row!.id);
});
afterAll(async () => {
  await db.drop();
});

async function entries(): Promise<{ id: string; action: string; amount_cents: number | null }[]> {
  return db.sql`select id::text, action, amount_cents from public.audit_log order by id`;
}

describe('public.audit()', () => {
  it('appends an entry with server time and returns its id', async () => {
    const [entry] = await db.sql`select * from public.audit_log where id = ${firstEntry}`;
    expect(entry).toMatchObject({
      actor_id: operatorId,
      actor_kind: 'operator',
      action: 'refund.approved',
      subject_type: 'refund_request',
      subject_id: 'rr-1',
      amount_cents: 2200,
      details: { note: 'within 72h' },
    });
    expect(Math.abs((entry!.occurred_at as Date).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('is callable by service_role, the server', async () => {
    const id = await asRole(db.sql, { role: 'service_role' }, async (tx) => {
      const [r] = await tx`select public.audit(null, 'stripe', 'payment.succeeded', 'payment', 'pi_1', 2200) as id`;
      return Number(r!.id);
    });
    expect(id).toBeGreaterThan(firstEntry);
  });

  it.each([
    ['anon', anonClaims],
    ['a trainer', trainerClaims(randomUUID())],
    ['an operator', operatorClaims(operatorId)],
  ] as [string, Claims][])('is not callable by %s', async (_who, claims) => {
    await expect(asRole(db.sql, claims, (tx) => tx`select public.audit(null, 'system', 'forged.entry', null, null)`)).rejects.toThrow(
      /permission denied for function audit/,
    );
  });

  it('refuses an operator or trainer entry that does not name who acted', async () => {
    await expect(db.sql`select public.audit(null, 'operator', 'review.approved', 'review', 'r1')`).rejects.toThrow(/audit_log_people_are_named/);
  });
});

describe('audit_log is append-only', () => {
  const apiRoles: [string, Claims][] = [
    ['anon', anonClaims],
    ['a trainer', trainerClaims(randomUUID())],
    ['an operator', operatorClaims(operatorId)],
    ['service_role', { role: 'service_role' }],
  ];

  it.each(apiRoles)('refuses UPDATE, DELETE and TRUNCATE from %s', async (_who, claims) => {
    for (const statement of [`update public.audit_log set amount_cents = 0`, `delete from public.audit_log`, `truncate public.audit_log`]) {
      await expect(
        asRole(db.sql, claims, (tx) => tx.unsafe(statement)),
        statement,
      ).rejects.toThrow(/permission denied|append-only/);
    }
  });

  // The superuser holds every privilege, so only the triggers stand in the way.
  it.each([
    ['UPDATE', 'update public.audit_log set amount_cents = 0 where id = $1'],
    ['DELETE', 'delete from public.audit_log where id = $1'],
  ])('refuses %s from the superuser', async (op, statement) => {
    await expect(db.sql.unsafe(statement, [firstEntry])).rejects.toThrow(`audit_log is append-only: ${op} is not allowed`);
  });

  it('refuses service_role even if someone grants it UPDATE, DELETE and TRUNCATE', async () => {
    const refusals: string[] = [];
    await db.sql
      .begin(async (tx) => {
        await tx`grant update, delete, truncate on public.audit_log to service_role`;
        await tx`set local role service_role`;
        for (const statement of ['update public.audit_log set amount_cents = 0', 'delete from public.audit_log', 'truncate public.audit_log']) {
          await tx.savepoint((sp) => sp.unsafe(statement)).catch((err: Error) => refusals.push(err.message));
        }
        throw new Error('roll back the grant');
      })
      .catch(() => undefined);
    expect(refusals).toEqual([
      'audit_log is append-only: UPDATE is not allowed',
      'audit_log is append-only: DELETE is not allowed',
      'audit_log is append-only: TRUNCATE is not allowed',
    ]);
  });

  it('refuses TRUNCATE from the superuser', async () => {
    await expect(db.sql`truncate public.audit_log`).rejects.toThrow('audit_log is append-only: TRUNCATE is not allowed');
  });

  it('refuses a change even when no entry matches, so nobody can probe for a gap', async () => {
    await expect(db.sql`delete from public.audit_log where false`).rejects.toThrow(/append-only/);
    await expect(db.sql`update public.audit_log set action = action where false`).rejects.toThrow(/append-only/);
  });

  it('keeps every entry untouched after all those attempts', async () => {
    const rows = await entries();
    expect(rows[0]).toEqual({ id: String(firstEntry), action: 'refund.approved', amount_cents: 2200 });
  });
});
