// The console as a separate process, for the crash-week test: killed with
// SIGKILL at random moments and started again on the same SQLite file, online
// or offline (the test passes a dead port as the API URL). Built from the
// store, the sync engine and the HTTP transport the console uses, without its
// window API, so each start costs ~0.3 s and a hundred kills fit in minutes.
//
// Each run: report what it sees, then for 0..rounds rounds decide a handful of
// the items it shows as waiting for a decision (one transaction each; now and
// then a bulk approval), and when online sync until the outbox is empty.
// One line per event on stdout, so the test can kill it at a chosen point:
//   ready                    the store is open
//   seen <json>              integrity_check, and the ids it shows as undecided
//   decide <subject> <cmd>   a decision committed (subject ids comma-joined for a bulk approval)
//   push <n> / pushed        a push request leaves / its answer arrived (settled right after)
//   pull / pulled            a pull request leaves / its answer is in the cache
//   done                     finished on its own
// Usage: node --import tsx e2e/crash-client.ts <db> <apiUrl> <anonKey> <token> <seed> <rounds>
import { integrityCheck, openLocalDatabase } from '../main/store/db.ts';
import { createStore, OutboxEditError } from '../main/store/store.ts';
import { createSyncEngine } from '../main/sync/engine.ts';
import { createHttpTransport, TransportError, type OperatorTransport } from '../main/sync/transport.ts';
import type { RefundItem, ReviewItem } from '../shared/api/operator.ts';
import { rng } from './malformed.ts';

const [dbPath, apiUrl, anonKey, token, seedArg, roundsArg] = process.argv.slice(2) as [string, string, string, string, string, string];
const random = rng(Number(seedArg));
const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const say = (line: string) => process.stdout.write(`${line}\n`);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const db = openLocalDatabase(dbPath);
const store = createStore(db);
const http = createHttpTransport({ apiUrl, anonKey, getAccessToken: async () => token, timeoutMs: 15_000 });
const transport: OperatorTransport = {
  async push(commands) {
    say(`push ${commands.length}`);
    const answer = await http.push(commands);
    say('pushed');
    return answer;
  },
  pull: (cursor) => {
    say('pull');
    return http.pull(cursor);
  },
};
// Small batches, so a kill lands between two pushes of one sync as well as inside one.
const engine = createSyncEngine(store, transport, { batchSize: 3, baseDelayMs: 10, maxDelayMs: 50, random });
engine.on((e) => {
  if (e.type === 'progress' && e.phase === 'pull') say('pulled');
});
say('ready');

/** What the operator would be offered to decide: pending in the cache, with no decision waiting in the outbox. */
function undecided() {
  const waiting = new Set<string>();
  for (const entry of store.outbox()) {
    if (entry.subject_id) waiting.add(entry.subject_id);
    // A bulk approval names its reviews in the payload (its subject is null).
    if (entry.type === 'review.bulk_approve') {
      for (const r of (JSON.parse(entry.payload) as { reviews: { reviewId: string }[] }).reviews) waiting.add(r.reviewId);
    }
  }
  const open = <T extends { id: string }>(kind: string) =>
    store
      .items(kind, 'pending')
      .map((row) => JSON.parse(row.data) as T)
      .filter((item) => !waiting.has(item.id));
  return { reviews: open<ReviewItem>('review'), refunds: open<RefundItem>('refund') };
}

const todo = undecided();
say(`seen ${JSON.stringify({ integrity: integrityCheck(db), undecided: [...todo.reviews, ...todo.refunds].map((i) => i.id) })}`);

function decideSome() {
  const { reviews, refunds } = undecided();
  if (reviews.length + refunds.length === 0) return false;
  const confident = reviews.filter((r) => (r.aiConfidence ?? 0) >= 0.9);
  if (confident.length >= 2 && random() < 0.15) {
    const picked = confident.slice(0, between(2, 12));
    const id = store.enqueue({
      type: 'review.bulk_approve',
      baseVersion: null,
      payload: { reviews: picked.map((r) => ({ reviewId: r.id, businessId: r.businessId, baseVersion: r.version })) },
    });
    say(`decide ${picked.map((r) => r.id).join(',')} ${id}`);
    return true;
  }
  const n = between(1, 12);
  for (const refund of refunds.slice(0, random() < 0.3 ? 1 : 0)) {
    const id = store.enqueue({
      type: refund.eligible ? 'refund.approve' : 'refund.deny',
      baseVersion: refund.version,
      subjectKind: 'refund',
      subjectId: refund.id,
      payload: { refundRequestId: refund.id, businessId: refund.businessId, note: 'crash week' },
    });
    say(`decide ${refund.id} ${id}`);
  }
  for (const review of reviews.slice(0, n)) {
    const approve = (review.aiConfidence ?? 0) >= 0.5;
    const reason = (['spam', 'profanity', 'off_topic'] as const).find((f) => review.aiFlags.includes(f)) ?? 'other';
    const id = store.enqueue({
      type: approve ? 'review.approve' : 'review.reject',
      baseVersion: review.version,
      subjectKind: 'review',
      subjectId: review.id,
      payload: { reviewId: review.id, businessId: review.businessId, ...(approve ? {} : { reason, note: 'crash week' }) },
    });
    say(`decide ${review.id} ${id}`);
  }
  return true;
}

/** Push and pull until the outbox is empty, or give up after a while (the next run goes on). */
async function syncAll() {
  for (let tries = 0; tries < 40; tries++) {
    try {
      await engine.syncOnce();
      if (store.pendingCount() === 0) return;
    } catch (err) {
      if (err instanceof TransportError && err.kind === 'offline') return; // the decisions wait in the outbox
      // a server fault: the engine recorded it; wait out the short back-off
    }
    await pause(20);
  }
}

try {
  for (let round = 0, rounds = Number(roundsArg); round < rounds; round++) {
    const decided = decideSome();
    await syncAll();
    if (!decided) break;
    await pause(between(0, 10));
  }
  await syncAll();
} catch (err) {
  // Deciding an item the cache shows decided is a bug here: the client only offers undecided ones.
  if (err instanceof OutboxEditError) say(`refused ${err.message}`);
  throw err;
}
await engine.stop();
db.close();
say('done');
