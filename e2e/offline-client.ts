// The console as a separate process, for the offline-week test: it is killed
// with SIGKILL at random points and started again on the same SQLite file.
//   pull   — online: first pull into the cache
//   decide — offline: decide every pending review and refund not yet decided,
//            one SQLite transaction each, with a pause between them
//   sync   — online: push (small batches, so kills land mid-push) and pull until the outbox is empty
// Usage: node --import tsx e2e/offline-client.ts <mode> <db> <apiUrl> <anonKey> <token>
import { openConsole } from '../main/console/open.ts';

const [mode, dbPath, apiUrl, anonKey, token] = process.argv.slice(2) as [string, string, string, string, string];
const offline = mode === 'decide';
const app = openConsole({
  dbPath,
  // Offline: a port nothing listens on, so any attempt fails like a dead network.
  apiUrl: offline ? 'http://127.0.0.1:9' : apiUrl,
  anonKey,
  getAccessToken: async () => token,
  engine: { batchSize: 2, baseDelayMs: 10, maxDelayMs: 50 },
});
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
// One line per unit of work, so the test can kill the process in the middle of the next one.
const step = () => process.stdout.write('step\n');
app.engine.on((e) => {
  if (e.type === 'progress' && e.phase === 'push') step();
});

if (mode === 'pull') {
  await app.api.syncNow();
} else if (mode === 'decide') {
  for (const review of await app.api.reviews()) {
    if (review.localDecision) continue;
    await app.api.decideReview(review.id, (review.aiConfidence ?? 0) >= 0.9 ? { kind: 'approve' } : { kind: 'reject', reason: 'other', note: 'offline week' });
    step();
    await pause(5);
  }
  for (const refund of await app.api.refunds()) {
    if (refund.localDecision) continue;
    await app.api.decideRefund(refund.id, { kind: refund.eligible ? 'approve' : 'deny', note: 'offline week' });
    step();
    await pause(5);
  }
} else if (mode === 'sync') {
  while ((await app.api.status()).pending > 0) {
    await app.api.syncNow().catch(() => pause(20));
  }
  await app.api.syncNow();
} else {
  throw new Error(`unknown mode ${mode}`);
}
await app.close();
process.stdout.write('done\n');
