// One embedded PostgreSQL for the whole test run. The schema is migrated once
// into a template database; each test file clones it (`freshDatabase`) so
// files never see each other's rows.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { preparePostgresDir, startPostgres } from '../local/stack/postgres.ts';
import { connect, prepareDatabase } from '../local/stack/database.ts';
import { freePort } from '../local/stack/ports.ts';

export const TEMPLATE_DB = 'dtd_template';

export default async function setup(project: TestProject) {
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
