// `npm run console`: the local stack (same --dir/--port flags as `npm run
// stack`) and the console served on 127.0.0.1 behind the loopback bridge.
// Prints `console: <url>` and opens the default browser where there is one.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { StackError } from '../server-functions/local/stack/errors.ts';
import { startStack } from '../server-functions/local/stack/stack.ts';
import { buildRenderer, RENDERER_DIR } from '../main/bridge/build.ts';
import { startConsoleServer } from '../main/bridge/console-server.ts';

const USAGE = `usage: npm run console -- [--dir DIR] [--port 54321] [--db-port PORT] [--console-port PORT] [--fresh] [--no-open]`;

function fail(message: string): never {
  process.stderr.write(`console: error: ${message}\n`);
  process.exit(1);
}

const port = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`${flag} must be a port number (0-65535), got "${value}"`);
  return n;
};

const OPTIONS = {
  dir: { type: 'string', default: '.stack' },
  port: { type: 'string' },
  'db-port': { type: 'string' },
  'console-port': { type: 'string' },
  fresh: { type: 'boolean', default: false },
  'no-open': { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

export async function main(argv = process.argv.slice(2)): Promise<void> {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true }));
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    process.stdout.write('console: building the renderer (first start)\n');
    await buildRenderer();
  }
  let stack: Awaited<ReturnType<typeof startStack>>;
  try {
    stack = await startStack({
      dir: values.dir,
      port: port(values.port, '--port') ?? 54321,
      dbPort: port(values['db-port'], '--db-port'),
      fresh: values.fresh,
      log: (line) => process.stdout.write(`  ${line}\n`),
    });
  } catch (err) {
    fail(err instanceof StackError ? err.message : String((err as Error).stack ?? err));
  }
  const server = await startConsoleServer({
    dataDir: join(resolve(values.dir), 'console'),
    apiUrl: stack.info.API_URL,
    anonKey: stack.info.ANON_KEY,
    port: port(values['console-port'], '--console-port') ?? 0,
    localOperator: { email: stack.info.OPERATOR_EMAIL, password: stack.info.OPERATOR_PASSWORD },
    log: (line) => process.stdout.write(`  ${line}\n`),
  });
  process.stdout.write(`backend: ${stack.info.API_URL}\nconsole: ${server.url}\n`);
  if (!values['no-open'] && (process.env.DISPLAY || process.platform !== 'linux')) {
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    spawn(opener, [server.url], { stdio: 'ignore', detached: true })
      .on('error', () => undefined)
      .unref();
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
