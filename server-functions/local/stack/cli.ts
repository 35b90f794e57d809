// Command line for the local stack. Every failure is one line naming what and
// where, and a non-zero exit; Ctrl-C stops PostgreSQL and Deno cleanly.
import { parseArgs } from 'node:util';
import { StackError } from './errors.ts';
import { startStack } from './stack.ts';

const USAGE = `usage: npm run stack -- [--dir DIR] [--port 54321] [--db-port PORT] [--fresh]
  --dir      data directory (default .stack); PostgreSQL data, secrets and stack.json live here
  --port     API gateway port (default 54321); functions at /functions/v1/<name>
  --db-port  PostgreSQL port (default: --port + 1)
  --fresh    delete the data directory first and start over (seeds demo data again)
  --quiet    print only the summary`;

function fail(message: string): never {
  process.stderr.write(`stack: error: ${message}\n`);
  process.exit(1);
}

function portArg(value: string | undefined, flag: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`${flag} must be a port number (1-65535), got "${value}"`);
  return port;
}

const OPTIONS = {
  dir: { type: 'string', default: '.stack' },
  port: { type: 'string' },
  'db-port': { type: 'string' },
  'migrations-dir': { type: 'string' },
  fresh: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

async function main(): Promise<void> {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ options: OPTIONS, strict: true }));
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const started = Date.now();
  const quiet = values.quiet;
  let stack: Awaited<ReturnType<typeof startStack>>;
  try {
    stack = await startStack({
      dir: values.dir,
      port: portArg(values.port, '--port', 54321)!,
      dbPort: portArg(values['db-port'], '--db-port'),
      fresh: values.fresh,
      migrationsDir: values['migrations-dir'],
      log: quiet ? undefined : (line) => process.stdout.write(`  ${line}\n`),
    });
  } catch (err) {
    if (err instanceof StackError) fail(err.message);
    fail(`unexpected failure: ${(err as Error).stack ?? err}`);
  }
  const { info } = stack;
  process.stdout.write(
    [
      `DTD local stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `  API:        ${info.API_URL}   (functions at ${info.FUNCTIONS_URL}/<name>)`,
      `  Database:   ${info.DB_URL}`,
      `  Operator:   ${info.OPERATOR_EMAIL} / ${info.OPERATOR_PASSWORD}`,
      `  stack.json: ${values.dir}/stack.json`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`stack: ${signal} received, stopping PostgreSQL and Deno...\n`);
    await stack.stop();
    process.stdout.write('stack: stopped\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

void main();
