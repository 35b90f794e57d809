// Runs every edge function under the real Deno runtime (npm `deno`) via
// ../router.ts, with the environment a hosted Supabase project gives functions.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StackError } from './errors.ts';

const SERVER_FUNCTIONS = fileURLToPath(new URL('../../', import.meta.url));
export const FUNCTIONS_DIR = join(SERVER_FUNCTIONS, 'supabase', 'functions');
export const CONFIG_TOML = join(SERVER_FUNCTIONS, 'supabase', 'config.toml');

export function denoBinary(): string {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('deno/package.json'));
  for (const candidate of [join(pkgDir, 'deno'), join(pkgDir, '..', '@deno', 'linux-x64-glibc', 'deno')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new StackError(`the Deno binary is missing under ${pkgDir}; run npm ci (deno must be listed in allowScripts)`);
}

/** Function names: every folder under functions/ except _shared and friends. */
export function functionNames(): string[] {
  return readdirSync(FUNCTIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && existsSync(join(FUNCTIONS_DIR, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}

export interface DenoFunctions {
  process: ChildProcess;
  stop(): Promise<void>;
}

export function startDenoFunctions(opts: { port: number; names: string[]; env: Record<string, string>; log?: (line: string) => void }): Promise<DenoFunctions> {
  const child = spawn(
    denoBinary(),
    [
      'run',
      '--quiet',
      `--config=${join(SERVER_FUNCTIONS, 'deno.json')}`,
      '--allow-net',
      '--allow-env',
      '--allow-read',
      '--allow-sys',
      join(SERVER_FUNCTIONS, 'local', 'router.ts'),
    ],
    {
      env: { ...process.env, ...opts.env, ROUTER_PORT: String(opts.port), FUNCTION_NAMES: opts.names.join(','), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n').filter(Boolean)) opts.log?.(line);
      if (output.includes('router ready')) resolve({ process: child, stop });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      const reason = output.split('\n').find((l) => /error/i.test(l)) ?? output.trim().split('\n').pop() ?? '';
      reject(new StackError(`edge functions (Deno) exited during start-up (${signal ?? `code ${code}`}): ${reason}`));
    });
  });
}

export interface SupervisedFunctions {
  /** The Deno process serving now (a new one after each restart). */
  current(): ChildProcess;
  /** How many times it was restarted. */
  restarts(): number;
  stop(): Promise<void>;
}

/**
 * On hosted Supabase a crashed worker is replaced; locally the one Deno
 * process serves every function, so the stack replaces it: when it exits
 * without being asked, it is started again on the same port within about a
 * second (longer, up to 5 s, while it keeps failing to start), and the log
 * says so each time.
 */
export async function superviseDenoFunctions(opts: Parameters<typeof startDenoFunctions>[0]): Promise<SupervisedFunctions> {
  const log = opts.log ?? (() => undefined);
  let running = await startDenoFunctions(opts);
  let stopping = false;
  let restarts = 0;
  let failures = 0;

  const restart = async (): Promise<void> => {
    while (!stopping) {
      await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** failures, 5000)));
      if (stopping) return;
      try {
        running = await startDenoFunctions(opts);
        restarts++;
        failures = 0;
        log(`supervisor: edge functions (Deno) serving again (pid ${running.process.pid}, restart ${restarts})`);
        watch();
        return;
      } catch (err) {
        failures++;
        log(`supervisor: restarting edge functions failed: ${(err as Error).message}`);
      }
    }
  };
  const watch = () => {
    running.process.once('exit', (code, signal) => {
      if (stopping) return;
      log(`supervisor: edge functions (Deno) exited (${signal ?? `code ${code}`}); restarting`);
      void restart();
    });
  };
  watch();

  return {
    current: () => running.process,
    restarts: () => restarts,
    async stop() {
      stopping = true;
      await running.stop();
    },
  };
}
