// `npm run bench`: every benchmark against a fresh local stack loaded with
// the `large` seed (50,000 businesses, 1,000,000 payments, 5,000,000 search
// events). Prints figures and ratios; asserts nothing. Flags:
//   --scale N   load `large` at N × its size (default 1)
//   --only a,b  run only these: seed, search, triage, webhook, job, sync, ui, alerts, reconcile, metrics, playbooks
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { startStack } from '../server-functions/local/stack/stack.ts';
import { freePort } from '../server-functions/local/stack/ports.ts';
import { seedLarge } from '../server-functions/seed/large.ts';
import { benchSearch } from './search.ts';
import { benchTriage } from './triage.ts';
import { benchWebhook } from './webhook.ts';
import { benchDailyJob } from './daily-job.ts';
import { benchSync } from './sync.ts';
import { benchConsoleUi } from './console-ui.ts';
import { benchAlerts } from './alerts.ts';
import { benchMetrics } from './metrics.ts';
import { benchReconcile } from './reconcile.ts';
import { benchPlaybooks } from './playbooks.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, only: { type: 'string' } } });
const scale = Number(values.scale);
const only = new Set((values.only ?? 'seed,search,triage,webhook,job,sync,ui,alerts,reconcile,metrics,playbooks').split(','));
const print = (lines: string[]) => {
  for (const l of lines) console.log(`  ${l}`);
};

const dir = await mkdtemp(join(tmpdir(), 'dtd-bench-'));
await chmod(dir, 0o755); // PostgreSQL runs as `postgres` when we are root
const stack = await startStack({
  dir: join(dir, 'stack'),
  port: await freePort(),
  dbPort: await freePort(),
  routerPort: await freePort(),
  seed: 'none',
  functionEnv: { AI_MODE_TTL_MS: '0' },
});
const sql = postgres(stack.info.DB_URL, { max: 50, onnotice: () => undefined });
console.log(`DTD benchmarks (${new Date().toISOString()}, node ${process.version}, large seed × ${scale})`);
try {
  const t = performance.now();
  const seeded = await seedLarge(sql, { scale });
  await sql`analyze`;
  console.log(`large seed: loaded in ${((performance.now() - t) / 1000).toFixed(1)} s (goal < 180 s)`);
  // Measure a settled database, not one autovacuum is still working through
  // after the bulk load (it would take CPU from whichever bench runs first).
  const v = performance.now();
  await sql`vacuum (analyze)`;
  console.log(`vacuumed after the load in ${((performance.now() - v) / 1000).toFixed(1)} s (not part of the seed time)`);
  print(Object.entries(seeded.counts).map(([table, n]) => `${table.padEnd(28)} ${n.toLocaleString('en-AU')}`));
  if (only.has('search')) print(await benchSearch(sql, stack.info.FUNCTIONS_URL));
  if (only.has('triage')) print(await benchTriage(sql, stack.info.FUNCTIONS_URL));
  if (only.has('webhook')) print(await benchWebhook(sql, stack.info.FUNCTIONS_URL, stack.info.STRIPE_WEBHOOK_SECRET));
  if (only.has('job')) print(await benchDailyJob(sql));
  if (only.has('sync')) print(await benchSync(sql, stack.info));
  if (only.has('ui')) print(await benchConsoleUi(sql, stack.info));
  if (only.has('alerts')) print(await benchAlerts(sql));
  if (only.has('reconcile')) print(await benchReconcile(stack.info.DB_URL));
  if (only.has('metrics')) print(await benchMetrics(sql));
  // Last: it plants a month of AI health records and three orphaned charges (removed again after).
  if (only.has('playbooks')) print(await benchPlaybooks(sql, stack.info.STRIPE_DOUBLE_URL));
} finally {
  await sql.end({ timeout: 5 });
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
}
