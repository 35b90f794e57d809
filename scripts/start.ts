// `npm start`: the local backend and the console against it. Where Electron's
// runtime exists (or its installer can fetch it), the Electron window; where
// it cannot be had (no route to its download host, as on CI machines), the
// same renderer in a browser over the loopback bridge (`npm run console`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function electronReady(): boolean {
  const dir = dirname(require.resolve('electron/package.json'));
  if (existsSync(join(dir, 'path.txt'))) return true;
  const install = spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: 'ignore', timeout: 60_000 });
  return install.status === 0 && existsSync(join(dir, 'path.txt'));
}

if (!electronReady()) {
  console.log('console: the Electron runtime could not be had here; serving the console in a browser instead');
  const { main } = await import('./console.ts');
  await main(process.argv.slice(2));
} else {
  const { startStack } = await import('../server-functions/local/stack/stack.ts');
  const stack = await startStack({ dir: '.stack', port: 54321, log: (l) => console.log(`  ${l}`) });
  console.log(`backend ready at ${stack.info.API_URL} (operator ${stack.info.OPERATOR_EMAIL})`);
  const electron = spawn('npx', ['electron-vite', 'dev'], {
    stdio: 'inherit',
    env: { ...process.env, DTD_API_URL: stack.info.API_URL, DTD_ANON_KEY: stack.info.ANON_KEY },
  });
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    electron.kill('SIGTERM');
    await stack.stop();
    process.exit(0);
  };
  electron.on('exit', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}
