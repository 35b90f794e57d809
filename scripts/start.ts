// `npm start`: the local backend (same as `npm run stack`) and then the
// console window against it. The Electron runtime binary is fetched by
// electron's own installer on first use; where it cannot be (no route to its
// download host), the backend keeps running and the line says why.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startStack } from '../server-functions/local/stack/stack.ts';

const require = createRequire(import.meta.url);

function electronReady(): boolean {
  const dir = dirname(require.resolve('electron/package.json'));
  if (existsSync(join(dir, 'path.txt'))) return true;
  const install = spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: 'inherit' });
  return install.status === 0 && existsSync(join(dir, 'path.txt'));
}

const stack = await startStack({ dir: '.stack', port: 54321, log: (l) => console.log(`  ${l}`) });
console.log(`backend ready at ${stack.info.API_URL} (operator ${stack.info.OPERATOR_EMAIL} / ${stack.info.OPERATOR_PASSWORD})`);

let consoleProcess: ReturnType<typeof spawn> | undefined;
if (electronReady()) {
  consoleProcess = spawn('npx', ['electron-vite', 'dev'], {
    stdio: 'inherit',
    env: { ...process.env, DTD_API_URL: stack.info.API_URL, DTD_ANON_KEY: stack.info.ANON_KEY },
  });
  consoleProcess.on('exit', () => void shutdown());
} else {
  console.log('console: the Electron runtime could not be downloaded here; the backend keeps running (Ctrl-C to stop)');
}

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  consoleProcess?.kill('SIGTERM');
  await stack.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
