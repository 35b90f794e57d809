// Rules the operations tables enforce themselves: searches roll up by
// Melbourne business day, an alert is open at most once per thing it is
// about, cron attempts stay within their run's limit, and the queue order key
// is total.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { asRole, freshDatabase, operatorClaims, type TestDatabase } from './db.ts';
import { createAlert, createCouncil } from './fixtures.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
  await createCouncil(db.sql, 'melbourne');
  await createCouncil(db.sql, 'monash');
});
afterAll(async () => {
  await db.drop();
});

describe('search rollup', () => {
  it('counts searches per Melbourne business day and council, and re-running replaces the counts', async () => {
    // 2026-01-15 in Melbourne (AEDT, UTC+11) runs from 2026-01-14T13:00Z to 2026-01-15T13:00Z.
    await db.sql`
      insert into public.search_events (occurred_at, council_id, filters, result_count, latency_ms) values
        ('2026-01-14T12:59:59Z', 'melbourne', '{}', 3, 10),  -- 14 Jan in Melbourne
        ('2026-01-14T13:00:00Z', 'melbourne', '{}', 3, 10),
        ('2026-01-15T12:30:00Z', 'melbourne', '{"age": ["puppy"]}', 0, 10),
        ('2026-01-15T01:00:00Z', 'monash', '{}', 1, 10),
        ('2026-01-15T02:00:00Z', null, '{}', 5, 10),
        ('2026-01-15T13:00:00Z', 'melbourne', '{}', 2, 10)   -- 16 Jan in Melbourne`;
    const run = () =>
      asRole(db.sql, { role: 'service_role' }, async (tx) => {
        const [r] = await tx`select public.rollup_search_day('2026-01-15') as total`;
        const rows = await tx`select council_id, searches, zero_results from public.search_daily_rollup
                              where day = '2026-01-15' order by council_id`;
        return { total: r!.total, rows };
      });
    const expected = {
      total: 4,
      rows: [
        { council_id: '', searches: 1, zero_results: 0 },
        { council_id: 'melbourne', searches: 2, zero_results: 1 },
        { council_id: 'monash', searches: 1, zero_results: 0 },
      ],
    };
    expect(await run()).toEqual(expected);
    expect(await run()).toEqual(expected);
  });

  it('is run by the server only', async () => {
    await expect(asRole(db.sql, operatorClaims(randomUUID()), (tx) => tx`select public.rollup_search_day(current_date)`)).rejects.toThrow(
      /permission denied for function rollup_search_day/,
    );
  });
});

describe('alerts', () => {
  it('keep at most one open alert per kind and subject; once resolved, a new one may open', async () => {
    const first = await createAlert(db.sql, 'queue_long', 'monash');
    await expect(createAlert(db.sql, 'queue_long', 'monash')).rejects.toThrow(/alerts_one_open_per_subject/);
    await createAlert(db.sql, 'queue_long', 'melbourne');
    await db.sql`update public.alerts set resolved_at = now() where id = ${first}`;
    await createAlert(db.sql, 'queue_long', 'monash');
  });
});

describe('cron_jobs', () => {
  it('records each attempt of a run once, and never more attempts than the run allows', async () => {
    const runId = randomUUID();
    const attempt = (n: number) =>
      db.sql`insert into public.cron_jobs (job_name, run_id, attempt, max_attempts) values ('featured-expiry-and-promotion', ${runId}, ${n}, 5)`;
    await attempt(1);
    await expect(attempt(1)).rejects.toThrow(/cron_jobs_run_attempt_unique/);
    await attempt(5);
    await expect(attempt(6)).rejects.toThrow(/cron_jobs_attempt_in_range/);
  });
});

describe('feature flags', () => {
  it('stamp updated_at when switched', async () => {
    const [before] = await db.sql`select updated_at from public.feature_flags where key = 'AI_MODE'`;
    await new Promise((r) => setTimeout(r, 5));
    const [after] = await db.sql`update public.feature_flags set value = 'deterministic' where key = 'AI_MODE' returning updated_at`;
    expect((after!.updated_at as Date).getTime()).toBeGreaterThan((before!.updated_at as Date).getTime());
  });
});
