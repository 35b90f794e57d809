// The operator's offline week against the real stack (Postgres, Deno
// functions, gateway, Stripe double): pull, go offline, decide the demo seed's
// 51 reviews and 3 refunds, kill the console process with SIGKILL at random
// points (while deciding and while syncing) over 20 times, restart, reconnect
// → every decision applied exactly once, none lost, none doubled, and the
// SQLite file passes integrity_check after every kill.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrityCheck, openLocalDatabase } from '../main/store/db.ts';
import type { RunningStack } from '../server-functions/local/stack/stack.ts';
import { rng } from './malformed.ts';
import { operatorToken, startE2eStack, type E2eStack } from './stack.ts';

let world: E2eStack;
let stack: RunningStack;
let dir: string;
let sql: postgres.Sql;
let token: string;

beforeAll(async () => {
  world = await startE2eStack('week');
  ({ stack, sql, dir } = world);
  token = await operatorToken(stack.info);
}, 120_000);

afterAll(async () => world?.close());

/**
 * Runs the console process; kills it with SIGKILL as soon as it reports its
 * `killAtStep`-th unit of work (so the kill lands in the middle of the next
 * one). Resolves true when it finished on its own.
 */
function runClient(mode: string, dbPath: string, killAtStep: number | null): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'e2e/offline-client.ts', mode, dbPath, stack.info.API_URL, stack.info.ANON_KEY, token], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let steps = 0;
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      steps += (String(d).match(/step/g) ?? []).length;
      if (killAtStep !== null && steps >= killAtStep) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') return resolve(false);
      if (code === 0 && out.includes('done')) return resolve(true);
      reject(new Error(`console ${mode} exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

function checkIntegrity(dbPath: string) {
  const db = openLocalDatabase(dbPath);
  try {
    expect(integrityCheck(db)).toBe('ok');
    return {
      outbox: (db.prepare('select count(*) as n from outbox').get() as { n: number }).n,
      sending: (db.prepare("select count(*) as n from outbox where state = 'sending'").get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

describe('an offline week with crashes', () => {
  it('applies all 54 decisions exactly once after 20+ SIGKILLs while deciding and syncing', async () => {
    const dbPath = join(dir, 'console.sqlite');
    const random = rng(2026);
    const pendingReviews = await sql<{ id: string; ai_confidence: string }[]>`select id, ai_confidence from public.reviews where status = 'pending'`;
    const pendingRefunds = await sql<{ id: string }[]>`select id from public.refund_requests where status = 'pending'`;
    expect(pendingReviews).toHaveLength(51);
    expect(pendingRefunds).toHaveLength(3);
    const refundsBefore = stack.doubles.stripe!.store.refunds.size;

    expect(await runClient('pull', dbPath, null)).toBe(true);
    let kills = 0;
    const killsSeen: string[] = [];
    // Offline: decide, killed at random points until one run gets through.
    for (let finished = false; !finished; ) {
      const at = kills < 12 ? 1 + Math.floor(random() * 5) : null;
      finished = await runClient('decide', dbPath, at);
      if (!finished) {
        kills++;
        killsSeen.push(`decide@${at}`);
      }
      const local = checkIntegrity(dbPath);
      expect(local.sending).toBe(0); // nothing was sent while offline
    }
    expect(checkIntegrity(dbPath).outbox).toBe(54);
    // Nothing reached the server while offline.
    expect((await sql`select count(*)::int as n from public.operator_commands`)[0]!.n).toBe(0);

    // Online: sync, killed at random points mid-push.
    for (let finished = false; !finished; ) {
      const at = kills < 24 ? 1 + Math.floor(random() * 2) : null;
      finished = await runClient('sync', dbPath, at);
      if (!finished) {
        kills++;
        killsSeen.push(`sync@${at}`);
      }
      checkIntegrity(dbPath);
    }
    expect(kills).toBeGreaterThanOrEqual(20);
    expect(checkIntegrity(dbPath).outbox).toBe(0);

    // Every review and refund decided once, by the operator's one command each.
    const reviews = await sql<{ id: string; status: string; commands: number; audits: number }[]>`
      select r.id, r.status,
             (select count(*)::int from public.operator_commands c where c.payload ->> 'reviewId' = r.id::text and c.status = 'applied') as commands,
             (select count(*)::int from public.audit_log a where a.subject_id = r.id::text and a.action like 'command.review.%') as audits
      from public.reviews r where r.id = any(${pendingReviews.map((r) => r.id)}::uuid[])`;
    const expected = new Map(pendingReviews.map((r) => [r.id, Number(r.ai_confidence) >= 0.9 ? 'approved' : 'rejected']));
    for (const r of reviews)
      expect({ id: r.id, status: r.status, commands: r.commands, audits: r.audits }).toEqual({ id: r.id, status: expected.get(r.id), commands: 1, audits: 1 });
    const refunds = await sql<{ status: string; n: number }[]>`
      select rr.status, (select count(*)::int from public.audit_log a where a.subject_id = rr.id::text and a.action like 'command.refund.%') as n
      from public.refund_requests rr where rr.id = any(${pendingRefunds.map((r) => r.id)}::uuid[]) order by rr.status`;
    expect(refunds).toEqual([
      { status: 'approved', n: 1 },
      { status: 'approved', n: 1 },
      { status: 'denied', n: 1 },
    ]);
    expect(stack.doubles.stripe!.store.refunds.size - refundsBefore).toBe(2);
    expect((await sql`select count(*)::int as n from public.operator_commands where status = 'applied'`)[0]!.n).toBe(54);
    // The console's own record agrees, and it has nothing to complain about.
    const db = openLocalDatabase(dbPath);
    expect((db.prepare('select count(*) as n from sent').get() as { n: number }).n).toBe(54);
    expect((db.prepare('select count(*) as n from verdicts').get() as { n: number }).n).toBe(0);
    db.close();
    console.log(`offline week: ${kills} SIGKILLs (${killsSeen.join(', ')})`);
  }, 600_000);
});
