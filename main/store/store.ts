// The console's local state: the server's items as last pulled, the outbox of
// decisions not yet accepted, the verdict inbox and the record of what went
// through. Plain functions over better-sqlite3; every change that must stay
// together (a decision and its outbox entry, a push's results, a pull) is one
// transaction.
import { randomUUID } from 'node:crypto';
import type { CommandResult, CommandType, CommandVerdict, OperatorPolicy, PullResponse, WireCommand } from '../../shared/api/operator.ts';
import { declarationOf, type ItemPatch } from '../../shared/commands/index.ts';
import type { LocalDatabase } from './db.ts';

export interface OutboxRow {
  seq: number;
  id: string;
  type: CommandType;
  payload: string;
  base_version: number | null;
  decided_at: string;
  subject_kind: string | null;
  subject_id: string | null;
  state: 'pending' | 'sending' | 'dead';
  attempts: number;
  last_error: string | null;
  next_attempt_at: number;
}

export interface NewCommand {
  type: CommandType;
  payload: Record<string, unknown>;
  baseVersion: number | null;
  subjectKind?: string | null;
  subjectId?: string | null;
}

export class OutboxEditError extends Error {}

/** After this many server faults on one command it moves to the dead-letter lane. */
export const MAX_ATTEMPTS = 5;

const KINDS = {
  reviews: 'review',
  refunds: 'refund',
  alerts: 'alert',
  cronRuns: 'cron_run',
  activity: 'activity',
  flags: 'flag',
  accounts: 'account',
  incidents: 'incident',
  emails: 'email',
  complaints: 'complaint',
  escalations: 'escalation',
  runs: 'run',
} as const;

/** Subject kinds the operator decides once (pending → decided), with the words for them. */
const DECIDABLE: Record<string, string> = { review: 'review', refund: 'refund request', complaint: 'complaint' };

export function createStore(db: LocalDatabase, clock: () => number = Date.now) {
  const nowIso = () => new Date(clock()).toISOString();
  /** Moves whenever the outbox or the verdicts change: main tells the status line, whichever call changed them. */
  let revision = 0;
  const changing =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      const r = fn(...args);
      revision++;
      return r;
    };
  // Positional parameters: binding an object per row cost ~20 % of a 10,000-item pull.
  const insertItem = db.prepare('insert into items (kind, id, business_id, status, version, data, fetched_at) values (?, ?, ?, ?, ?, ?, ?)');
  const upsertItem = db.prepare(`
    insert into items (kind, id, business_id, status, version, data, fetched_at)
    values (?, ?, ?, ?, ?, ?, ?)
    on conflict (kind, id) do update set business_id = excluded.business_id, status = excluded.status,
      version = excluded.version, data = excluded.data, fetched_at = excluded.fetched_at
    where excluded.version >= items.version`);
  const setMeta = db.prepare('insert into meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value');
  const getMeta = db.prepare<[string], { value: string }>('select value from meta where key = ?');
  const outboxBySubject = db.prepare<[string, string], OutboxRow>(
    "select * from outbox where subject_kind = ? and subject_id = ? and state <> 'dead' order by seq desc limit 1",
  );
  const insertOutbox = db.prepare(`
    insert into outbox (id, type, payload, base_version, decided_at, subject_kind, subject_id)
    values (@id, @type, @payload, @base_version, @decided_at, @subject_kind, @subject_id)`);

  const countPending = db.prepare("select count(*) as n from outbox where state in ('pending', 'sending')");
  const countDead = db.prepare("select count(*) as n from outbox where state = 'dead'");
  const outboxById = db.prepare<[string], OutboxRow>('select * from outbox where id = ?');
  const deleteOutbox = db.prepare('delete from outbox where id = ?');
  const insertSent = db.prepare('insert or ignore into sent (command_id, type, subject_id, applied_at, details) values (?, ?, ?, ?, ?)');
  const changeWaiting = db.prepare('update outbox set type = ?, payload = ?, decided_at = ? where seq = ?');
  const itemStatus = db.prepare<[string, string], { status: string | null; data: string }>('select status, data from items where kind = ? and id = ?');
  // An applied decision's effect on a cached item, until a pull brings the
  // server's row. The version stays as pulled: the server bumped it, so the
  // next pull's upsert (version >= cached) replaces this guess with the truth.
  // Only a pending item is marked; anything else already came from the server.
  const patchStatements = new Map<string, ReturnType<typeof db.prepare<unknown[]>>>();
  const patchItem = (patch: ItemPatch) => {
    const fields = Object.keys(patch.fields).sort();
    const key = fields.join(',');
    let stmt = patchStatements.get(key);
    if (!stmt) {
      const sets = fields.map((f) => `, '$.${f.replace(/[^A-Za-z0-9_]/g, '')}', json(?)`).join('');
      stmt = db.prepare<unknown[]>(`update items set status = ?, data = json_set(data, '$.status', ?${sets}) where kind = ? and id = ? and status = 'pending'`);
      patchStatements.set(key, stmt);
    }
    stmt.run(patch.status, patch.status, ...fields.map((f) => JSON.stringify(patch.fields[f] ?? null)), patch.kind, patch.id);
  };

  const meta = (key: string): string | null => getMeta.get(key)?.value ?? null;

  /** One pull's answer, kept whole or not at all. A first (full) pull replaces the cache. */
  const applyPullTx = db.transaction((res: PullResponse) => {
    // A first pull replaces the cache, so its rows are plain inserts.
    if (res.full) db.prepare('delete from items').run();
    const write = res.full ? insertItem : upsertItem;
    for (const [field, kind] of Object.entries(KINDS) as [keyof typeof KINDS, string][]) {
      for (const item of res[field] as unknown as Record<string, unknown>[]) {
        write.run(
          kind,
          String(item.id ?? item.key),
          (item.businessId as string | undefined) ?? null,
          (item.status as string | undefined) ?? (item.resolvedAt === undefined ? null : item.resolvedAt ? 'resolved' : 'open'),
          typeof item.version === 'number' ? item.version : 0,
          JSON.stringify(item),
          res.serverTime,
        );
      }
    }
    setMeta.run('cursor', res.cursor);
    setMeta.run('last_pull_server_time', res.serverTime);
    setMeta.run('last_pull_at', nowIso());
    setMeta.run('metrics', JSON.stringify(res.metrics));
    setMeta.run('policy', JSON.stringify(res.policy));
  });

  /**
   * The cache is not the outbox: a pull lost to a power cut is pulled again
   * (items and cursor roll back together), so its commit skips the fsync that
   * every decision's commit keeps (synchronous=FULL is restored at once).
   */
  const applyPull = (res: PullResponse) => {
    db.pragma('synchronous = NORMAL');
    try {
      applyPullTx(res);
    } finally {
      db.pragma('synchronous = FULL');
    }
  };

  /**
   * A decision and its outbox entry in one transaction. Deciding an item
   * again before it is sent changes the waiting command instead of queueing
   * a second one.
   */
  const enqueue = db.transaction((c: NewCommand): string => {
    if (c.subjectKind && c.subjectId && DECIDABLE[c.subjectKind]) {
      // Deciding what is already decided can only come back refused as stale
      // (and put a verdict of the console's own making in the inbox).
      const item = itemStatus.get(c.subjectKind, c.subjectId);
      if (item && item.status !== 'pending') {
        const data = JSON.parse(item.data) as { moderatedByName?: string | null; decidedByName?: string | null };
        const by = data.moderatedByName ?? data.decidedByName;
        throw new OutboxEditError(`this ${DECIDABLE[c.subjectKind]} is already ${item.status}${by ? ` by ${by}` : ''}; there is nothing to decide`);
      }
    }
    if (c.subjectKind && c.subjectId) {
      const waiting = outboxBySubject.get(c.subjectKind, c.subjectId);
      if (waiting?.state === 'pending') {
        changeWaiting.run(c.type, JSON.stringify(c.payload), nowIso(), waiting.seq);
        return waiting.id;
      }
      if (waiting?.state === 'sending') {
        throw new OutboxEditError("this item's decision is being sent right now; wait for the answer, then decide again if needed");
      }
    }
    const id = randomUUID();
    insertOutbox.run({
      id,
      type: c.type,
      payload: JSON.stringify(c.payload),
      base_version: c.baseVersion,
      decided_at: nowIso(),
      subject_kind: c.subjectKind ?? null,
      subject_id: c.subjectId ?? null,
    });
    return id;
  });

  /** Marks the next batch as being sent (durably, before the request leaves). */
  const claimBatch = db.transaction((limit: number): WireCommand[] => {
    const rows = db
      .prepare<[number, number], OutboxRow>("select * from outbox where state = 'pending' and next_attempt_at <= ? order by seq limit ?")
      .all(clock(), limit);
    const mark = db.prepare("update outbox set state = 'sending' where seq = ?");
    for (const r of rows) mark.run(r.seq);
    return rows.map((r) => ({ id: r.id, type: r.type, payload: JSON.parse(r.payload), baseVersion: r.base_version, decidedAt: r.decided_at }));
  });

  /** A push that got no answer: its commands wait again (the server dedupes if it did apply them). */
  const releaseSending = () => db.prepare("update outbox set state = 'pending' where state = 'sending'").run().changes;

  /** The server's answer to one push, applied in one transaction. */
  const settle = db.transaction((results: CommandResult[], backoffMs: (attempt: number) => number) => {
    const counts = { applied: 0, rejected: 0, failed: 0, dead: 0 };
    for (const r of results) {
      if (!r.id) continue; // only malformed local rows lack an id, and the outbox never writes one
      const entry = outboxById.get(r.id);
      if (!entry) continue;
      const verdict: CommandVerdict | null = r.status === 'duplicate' ? r.first : r.status === 'error' ? null : r;
      if (verdict?.status === 'applied') {
        deleteOutbox.run(r.id);
        showDecided(entry, verdict);
        insertSent.run(r.id, entry.type, entry.subject_id, nowIso(), JSON.stringify(verdict.details ?? {}));
        counts.applied++;
      } else if (verdict?.status === 'rejected') {
        deleteOutbox.run(r.id);
        addVerdict(entry, verdict.kind ?? 'refused', verdict.reason ?? 'refused', verdict.current ?? null, verdict.decidedBy ?? null);
        counts.rejected++;
      } else {
        const attempts = entry.attempts + 1;
        const reason = r.status === 'error' ? r.reason : 'no verdict';
        if (attempts >= MAX_ATTEMPTS) {
          db.prepare("update outbox set state = 'dead', attempts = ?, last_error = ? where id = ?").run(attempts, reason, r.id);
          addVerdict(entry, 'dead_letter', `the server failed on this ${attempts} times (last: ${reason}); retry or cancel it`, null, null);
          counts.dead++;
        } else {
          db.prepare("update outbox set state = 'pending', attempts = ?, last_error = ?, next_attempt_at = ? where id = ?").run(
            attempts,
            reason,
            clock() + backoffMs(attempts),
            r.id,
          );
          counts.failed++;
        }
      }
    }
    releaseSending(); // anything the answer did not mention goes back in line
    return counts;
  });

  /**
   * Shows what an applied command decided, in the transaction that settles
   * its outbox entry: otherwise a crash (or a dead network) between this push
   * and the next pull shows the work as undone, and the operator decides it
   * again only to be told it is stale. What it decided is the command's
   * declared cache effect (shared/commands/).
   */
  function showDecided(entry: OutboxRow, verdict: CommandVerdict) {
    const d = declarationOf(entry.type);
    if (d?.mode !== 'queued') return;
    for (const patch of d.cache.applied(JSON.parse(entry.payload) as never, verdict.details)) patchItem(patch);
  }

  function addVerdict(entry: OutboxRow, kind: string, reason: string, current: unknown, decidedBy: unknown) {
    db.prepare(`insert into verdicts (command_id, type, payload, subject_kind, subject_id, kind, reason, current, decided_by, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (command_id) do update set kind = excluded.kind, reason = excluded.reason, current = excluded.current,
                  decided_by = excluded.decided_by, created_at = excluded.created_at, dismissed_at = null`).run(
      entry.id,
      entry.type,
      entry.payload,
      entry.subject_kind,
      entry.subject_id,
      kind,
      reason,
      current === null ? null : JSON.stringify(current),
      decidedBy === null ? null : JSON.stringify(decidedBy),
      nowIso(),
    );
  }

  /** A dead command's verdict goes with it once it is changed or cancelled. */
  const dismissDeadLetter = (id: string) =>
    db.prepare("update verdicts set dismissed_at = ? where command_id = ? and kind = 'dead_letter' and dismissed_at is null").run(nowIso(), id);

  const editable = (id: string): OutboxRow => {
    const entry = outboxById.get(id);
    if (!entry) throw new OutboxEditError(`command ${id} is not in the outbox (already sent or cancelled)`);
    if (entry.state === 'sending') throw new OutboxEditError('this command is being sent right now and can no longer be changed');
    return entry;
  };

  const countOpenRed = db.prepare("select count(*) as n from items where kind = 'alert' and status = 'open' and json_extract(data, '$.severity') = 'RED'");

  return {
    db,
    meta,
    /** The server's thresholds as the last pull brought them; null before the first pull. */
    policy: (): OperatorPolicy | null => {
      const p = meta('policy');
      return p ? (JSON.parse(p) as OperatorPolicy) : null;
    },
    /** Cached RED alerts still open (the sync clock runs faster while there is one). */
    openRedAlerts: () => (countOpenRed.get() as { n: number }).n,
    setMeta: (key: string, value: string) => void setMeta.run(key, value),
    applyPull,
    enqueue: changing(enqueue),
    claimBatch,
    releaseSending,
    settle: changing(settle),
    revision: () => revision,
    cancel: changing(
      db.transaction((id: string) => {
        db.prepare('delete from outbox where seq = ?').run(editable(id).seq);
        dismissDeadLetter(id);
      }),
    ),
    change: changing(
      db.transaction((id: string, type: CommandType, payload: Record<string, unknown>) => {
        const entry = editable(id);
        db.prepare("update outbox set type = ?, payload = ?, decided_at = ?, state = 'pending', attempts = 0, next_attempt_at = 0 where seq = ?").run(
          type,
          JSON.stringify(payload),
          nowIso(),
          entry.seq,
        );
        dismissDeadLetter(id); // changed, it is back in line: its dead-letter verdict spoke of what it was
      }),
    ),
    /** Puts a dead command back in line (the operator fixed what was wrong, or the server was). */
    retryDead: changing(
      db.transaction((id: string) => {
        const entry = editable(id);
        if (entry.state !== 'dead') throw new OutboxEditError('only a command in the dead-letter lane can be retried');
        db.prepare("update outbox set state = 'pending', attempts = 0, next_attempt_at = 0 where seq = ?").run(entry.seq);
        db.prepare('update verdicts set dismissed_at = ? where command_id = ?').run(nowIso(), id);
      }),
    ),
    outbox: () => db.prepare<[], OutboxRow>('select * from outbox order by seq').all(),
    /** One waiting command, or undefined (sent, cancelled). */
    outboxEntry: (id: string) => outboxById.get(id),
    pendingCount: () => (countPending.get() as { n: number }).n,
    deadCount: () => (countDead.get() as { n: number }).n,
    oldestPendingDecidedAt: () =>
      (db.prepare("select min(decided_at) as at from outbox where state in ('pending', 'sending')").get() as { at: string | null }).at,
    verdicts: (includeDismissed = false) =>
      db.prepare(`select * from verdicts ${includeDismissed ? '' : 'where dismissed_at is null'} order by created_at`).all() as VerdictRow[],
    /** The verdict of a refused command (dismissed or not), or undefined. */
    verdictOf: (id: string) => db.prepare<[string], VerdictRow>('select * from verdicts where command_id = ?').get(id),
    /** The record of an applied command, or undefined. */
    sentOf: (id: string) =>
      db.prepare<[string], { command_id: string; details: string | null }>('select command_id, details from sent where command_id = ?').get(id),
    dismissVerdict: changing(
      (id: string) => db.prepare('update verdicts set dismissed_at = ? where command_id = ? and dismissed_at is null').run(nowIso(), id).changes === 1,
    ),
    item: (kind: string, id: string) => db.prepare<[string, string], ItemRow>('select * from items where kind = ? and id = ?').get(kind, id),
    /** Just the ids: counting 10,000 cached items should not parse 10,000 documents. */
    ids: (kind: string, status: string) =>
      db
        .prepare<[string, string], { id: string }>('select id from items where kind = ? and status = ?')
        .all(kind, status)
        .map((r) => r.id),
    /** Pending reviews at or above an AI confidence, oldest first, without parsing their documents (SQLite reads the two fields). */
    pendingReviewsAtLeast: (minConfidence: number) =>
      db
        .prepare<[number], { id: string; business_id: string; version: number }>(
          `select id, business_id, version from items
           where kind = 'review' and status = 'pending' and coalesce(json_extract(data, '$.aiConfidence'), 0) >= ?
           order by json_extract(data, '$.createdAt'), id`,
        )
        .all(minConfidence),
    items: (kind: string, status?: string) =>
      status
        ? db.prepare<[string, string], ItemRow>('select * from items where kind = ? and status = ?').all(kind, status)
        : db.prepare<[string], ItemRow>('select * from items where kind = ?').all(kind),
  };
}

export interface ItemRow {
  kind: string;
  id: string;
  business_id: string | null;
  status: string | null;
  version: number;
  data: string;
  fetched_at: string;
}

export interface VerdictRow {
  command_id: string;
  type: string;
  payload: string;
  subject_kind: string | null;
  subject_id: string | null;
  kind: string;
  reason: string;
  current: string | null;
  decided_by: string | null;
  created_at: string;
  dismissed_at: string | null;
}

export type Store = ReturnType<typeof createStore>;
