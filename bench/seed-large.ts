// Measures the `large` seed: starts a throwaway embedded PostgreSQL under
// /tmp, migrates it, loads `large` (scale 1 unless --scale N), prints the
// time and row counts, and stops PostgreSQL. Usage: npx tsx bench/seed-large.ts [--scale N]
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { connect, prepareDatabase } from '../server-functions/local/stack/database.ts';
import { freePort } from '../server-functions/local/stack/ports.ts';
import { preparePostgresDir, startPostgres } from '../server-functions/local/stack/postgres.ts';
import { seedLarge } from '../server-functions/seed/large.ts';
import { tableCounts } from '../server-functions/seed/target.ts';

const arg = process.argv.indexOf('--scale');
const scale = arg > 0 ? Number(process.argv[arg + 1]) : 1;

// mkdtemp makes a 0700 folder; PostgreSQL runs as the `postgres` user when we are root and must pass through it.
const root = await mkdtemp('/tmp/dtd-bench-seed-');
await chmod(root, 0o755);
await preparePostgresDir(join(root, 'pg'));
const pg = await startPostgres({ dataDir: join(root, 'pg', 'data'), port: await freePort() });
try {
  await prepareDatabase(pg.url);
  const sql = connect(pg.url, 2);
  try {
    const result = await seedLarge(sql, { scale, log: (line) => console.log(`  ${line}`) });
    console.log(`large seed (scale ${scale}): ${result.seconds.toFixed(1)} s`);
    const counts = await tableCounts(sql, [
      'public.businesses',
      'public.payment_audit',
      'public.featured_placements',
      'public.featured_queue',
      'public.reviews',
      'public.search_events',
    ]);
    for (const [table, n] of Object.entries(counts)) console.log(`  ${table.padEnd(28)} ${n.toLocaleString('en-AU')}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
} finally {
  await pg.stop();
  await rm(root, { recursive: true, force: true });
}
