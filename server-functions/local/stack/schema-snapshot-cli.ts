// npm run schema:snapshot
// Writes server-functions/supabase/schema/current.sql: starts a throwaway
// embedded PostgreSQL (as the test harness does), applies the shim and every
// migration, reads the schema back from the catalog, and stops it again.
// Run it after adding a migration; the schema-snapshot test fails until you do.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { connect, prepareDatabase } from './database.ts';
import { StackError } from './errors.ts';
import { freePort } from './ports.ts';
import { preparePostgresDir, startPostgres } from './postgres.ts';
import { SNAPSHOT_PATH, schemaSnapshot } from './schema-snapshot.ts';

const DATABASE = 'dtd_schema_snapshot';

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'dtd-schema-snapshot-'));
  await preparePostgresDir(root);
  const pg = await startPostgres({ dataDir: join(root, 'data'), port: await freePort() });
  try {
    const admin = connect(pg.url, 1);
    await admin.unsafe(`create database ${DATABASE}`);
    await admin.end();
    const url = pg.url.replace(/\/postgres$/, `/${DATABASE}`);
    const applied = await prepareDatabase(url);
    const sql = connect(url, 1);
    let text: string;
    try {
      text = await schemaSnapshot(sql);
    } finally {
      await sql.end({ timeout: 5 });
    }
    const before = await readFile(SNAPSHOT_PATH, 'utf8').catch(() => null);
    await mkdir(dirname(SNAPSHOT_PATH), { recursive: true });
    await writeFile(SNAPSHOT_PATH, text);
    const where = relative(process.cwd(), SNAPSHOT_PATH);
    process.stdout.write(`${before === text ? 'unchanged' : 'wrote'} ${where} (${applied.length} migrations, ${text.split('\n').length - 1} lines)\n`);
  } finally {
    await pg.stop();
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  const message = err instanceof StackError ? err.message : ((err as Error).stack ?? String(err));
  process.stderr.write(`schema:snapshot: error: ${message}\n`);
  process.exit(1);
});
