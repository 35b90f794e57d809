// Push: a batch of operator commands, each applied exactly once.
//
// The batch runs in one transaction, each command in its own savepoint, so a
// command the rules refuse (or a fault in one command) rolls back only its own
// writes and never blocks the ones behind it. Every verdict is stored in
// operator_commands under the client's command id, in the same transaction as
// the change it describes: a replay finds the id and answers "duplicate" with
// the first verdict, and a crash before commit leaves nothing to replay over.
// Two consoles pushing the same id at once meet at the primary key: the
// second waits for the first to commit, rolls its savepoint back, and answers
// duplicate. Commands in OWN_TRANSACTION (the daily job) get a transaction of
// their own.
import type { TransactionSql } from 'postgres';
import { z } from 'zod';
import {
  CommandEnvelope,
  CommandPayloads,
  VERSIONED,
  type Command,
  type CommandResult,
  type CommandType,
  type CommandVerdict,
} from '../../../../../shared/api/operator.ts';
import { firstIssue } from '../../../../../shared/api/public.ts';
import type { Sql } from '../db.ts';
import type { JobRun } from '../jobs/runner.ts';
import type { Stripe } from '../stripe.ts';
import { applyReviewBatch, isBatchableReview } from '../reviews/batch.ts';
import { commandAuditDetails, type Applied } from './command.ts';
import { applyCommand, OWN_TRANSACTION } from './handlers.ts';
import { Refusal } from './versioned.ts';

export interface PushDeps {
  sql: Sql;
  stripe: Stripe;
  now?: () => Date;
  runDailyJob: (operatorId: string) => Promise<JobRun>;
}

interface Stored {
  id: string;
  operator_id: string;
  status: 'applied' | 'rejected';
  result: CommandVerdict;
}

class Duplicate extends Error {}

const UUID = z.uuid();

function parse(raw: unknown): { ok: true; command: Command } | { ok: false; id: string | null; reason: string } {
  const maybeId = raw && typeof raw === 'object' && 'id' in raw && UUID.safeParse((raw as { id: unknown }).id).success ? (raw as { id: string }).id : null;
  const env = CommandEnvelope.safeParse(raw);
  if (!env.success) {
    const issue = firstIssue(env.error);
    return { ok: false, id: maybeId, reason: `malformed command: ${issue.field} ${issue.message}` };
  }
  const type = env.data.type as CommandType;
  const schema = (CommandPayloads as Record<string, z.ZodType>)[type];
  if (!schema) return { ok: false, id: maybeId, reason: `unknown command type "${env.data.type}"` };
  const payload = schema.safeParse(env.data.payload);
  if (!payload.success) {
    const issue = firstIssue(payload.error);
    return { ok: false, id: maybeId, reason: `malformed ${type} payload: ${issue.field} ${issue.message}` };
  }
  if (VERSIONED.has(type) && env.data.baseVersion === null) {
    return { ok: false, id: maybeId, reason: `${type} needs baseVersion: the version of the item you decided on` };
  }
  return { ok: true, command: { ...env.data, type, payload: payload.data } as Command };
}

export async function push(deps: PushDeps, operatorId: string, commands: unknown[]): Promise<CommandResult[]> {
  const now = deps.now ?? (() => new Date());
  const parsed = commands.map(parse);
  const ids = [...new Set(parsed.map((p) => (p.ok ? p.command.id : p.id)).filter((id): id is string => id !== null))];
  const results: CommandResult[] = [];
  const known = new Map<string, Stored>();
  for (const row of await deps.sql<Stored[]>`select id, operator_id, status, result from public.operator_commands where id = any(${ids}::uuid[])`) {
    known.set(row.id, row);
  }
  // Each "run the daily job" alone, everything between them together.
  const alone = (i: number) => {
    const q = parsed[i]!;
    return q.ok && OWN_TRANSACTION.has(q.command.type);
  };
  const segments: number[][] = [];
  for (const index of parsed.keys()) {
    const last = segments[segments.length - 1];
    if (last && !alone(index) && !alone(last[0]!)) last.push(index);
    else segments.push([index]);
  }
  for (const segment of segments) {
    const before = results.length;
    const knownBefore = new Set(known.keys());
    try {
      await deps.sql.begin((tx) => applySegment(tx, segment));
    } catch (err) {
      // The segment's transaction failed as a whole: none of it was kept.
      results.splice(before);
      for (const id of [...known.keys()]) if (!knownBefore.has(id)) known.delete(id);
      for (const index of segment) {
        const p = parsed[index]!;
        results.push({ index, id: p.ok ? p.command.id : p.id, status: 'error', reason: `server error: ${(err as Error).message}` });
      }
    }
  }
  return results;

  async function applySegment(tx: TransactionSql, segment: number[]) {
    const duplicateOf = (index: number, id: string): CommandResult | null => {
      const first = known.get(id);
      if (!first) return null;
      if (first.operator_id !== operatorId) {
        return { index, id, status: 'rejected', kind: 'invalid', reason: 'this command id was already used by another operator; send a new id' };
      }
      return { index, id, status: 'duplicate', first: first.result };
    };
    const store = async (
      sp: TransactionSql,
      id: string,
      type: string,
      payload: unknown,
      baseVersion: number | null,
      decidedAt: string | null,
      verdict: CommandVerdict,
    ) => {
      const inserted = await sp`
        insert into public.operator_commands (id, operator_id, type, payload, base_version, decided_at, status, result)
        values (${id}, ${operatorId}, ${/^[a-z][a-z0-9_.]*$/.test(type) ? type : 'invalid'}, ${sp.json(payload as never)},
                ${baseVersion}, ${decidedAt ?? now()}, ${verdict.status}, ${sp.json(verdict as never)})
        on conflict (id) do nothing
        returning id`;
      if (inserted.length === 0) throw new Duplicate();
      known.set(id, { id, operator_id: operatorId, status: verdict.status, result: verdict });
    };
    const recordDuplicate = async (index: number, id: string) => {
      const [row] = await tx<Stored[]>`select id, operator_id, status, result from public.operator_commands where id = ${id}`;
      known.set(id, row!);
      results.push(duplicateOf(index, id)!);
    };

    for (let at = 0; at < segment.length; at++) {
      const index = segment[at]!;
      const p = parsed[index]!;
      // A run of new review decisions on distinct reviews goes through the set-based path.
      const run: number[] = [];
      const seen = new Set<string>();
      for (let j = at; j < segment.length; j++) {
        const q = parsed[segment[j]!]!;
        if (!q.ok || !isBatchableReview(q.command) || known.has(q.command.id) || seen.has(q.command.payload.reviewId)) break;
        seen.add(q.command.payload.reviewId);
        run.push(segment[j]!);
      }
      if (run.length >= 2) {
        const cmds = run.map((i) => (parsed[i] as { command: Command }).command) as Parameters<typeof applyReviewBatch>[2];
        try {
          const verdicts = await tx.savepoint((sp) => applyReviewBatch(sp, operatorId, cmds, now()));
          verdicts.forEach((v, k) => {
            known.set(cmds[k]!.id, { id: cmds[k]!.id, operator_id: operatorId, status: v.status, result: v });
            results.push({ index: run[k]!, id: cmds[k]!.id, ...v });
          });
          at += run.length - 1;
          continue;
        } catch {
          // BatchFallback (a concurrent push of the same ids) or a fault in one
          // command: the run was rolled back; take it one by one, which keeps
          // a faulty command from failing its neighbours.
        }
      }
      if (!p.ok) {
        // Stored when it has an id, so its replay is a duplicate like any other.
        const dup = p.id ? duplicateOf(index, p.id) : null;
        if (dup) {
          results.push(dup);
          continue;
        }
        const verdict: CommandVerdict = { status: 'rejected', kind: 'invalid', reason: p.reason };
        if (p.id) {
          const raw = commands[index] as Record<string, unknown>;
          try {
            await tx.savepoint((sp) => store(sp, p.id!, String(raw.type ?? 'invalid'), raw.payload ?? {}, null, null, verdict));
          } catch (err) {
            if (err instanceof Duplicate) {
              await recordDuplicate(index, p.id);
              continue;
            }
            throw err;
          }
        }
        results.push({ index, id: p.id, ...verdict });
        continue;
      }
      const cmd = p.command;
      const dup = duplicateOf(index, cmd.id);
      if (dup) {
        results.push(dup);
        continue;
      }
      const appliedAt = now();
      try {
        const verdict = await tx.savepoint(async (sp) => {
          let outcome: Applied | Refusal;
          try {
            outcome = await sp.savepoint((inner) =>
              applyCommand({ tx: inner, stripe: deps.stripe, operatorId, now: appliedAt, runDailyJob: deps.runDailyJob }, cmd),
            );
          } catch (err) {
            if (!(err instanceof Refusal)) throw err;
            outcome = err;
          }
          const verdict: CommandVerdict =
            outcome instanceof Refusal
              ? { status: 'rejected', ...outcome.verdict }
              : { status: 'applied', ...(outcome.details ? { details: outcome.details } : {}) };
          if (!(outcome instanceof Refusal)) {
            await sp`select public.audit(${operatorId}, 'operator', ${'command.' + cmd.type}, ${outcome.subjectType}, ${outcome.subjectId},
              ${outcome.amountCents ?? null},
              ${sp.json(commandAuditDetails(cmd, appliedAt, outcome.before, outcome.after) as never)})`;
          }
          await store(sp, cmd.id, cmd.type, cmd.payload, cmd.baseVersion, cmd.decidedAt, verdict);
          return verdict;
        });
        results.push({ index, id: cmd.id, ...verdict });
      } catch (err) {
        if (err instanceof Duplicate) {
          await recordDuplicate(index, cmd.id);
          continue;
        }
        // A fault, not a verdict: nothing of this command was kept; the app retries it.
        results.push({ index, id: cmd.id, status: 'error', reason: `server error: ${(err as Error).message}` });
      }
    }
  }
}
