// The wall between the console and the server (issue 18): main, renderer and
// preload reach the server over HTTP only, so their product code never imports
// from server-functions/ (tests and main/electron/testing/ may, to start a
// real server). Biome's noRestrictedImports keeps it; this runs the project's
// own biome.json on small files in a scratch copy of the layout, so the rule
// cannot be dropped or narrowed without this failing. (It lives in main/, not
// shared/: shared/ is type-checked for the browser too, without Node.)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const BIOME = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
const RULE = 'lint/style/noRestrictedImports';
const PROBE = "import { startStack } from '../server-functions/local/stack/stack.ts';\nexport const probe = startStack;\n";

const scratch = mkdtempSync(join(tmpdir(), 'walls-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Diagnostic {
  category: string;
  message: string;
  location: { path: string };
}

function lint(files: string[]): Diagnostic[] {
  copyFileSync(join(ROOT, 'biome.json'), join(scratch, 'biome.json'));
  for (const file of files) {
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    writeFileSync(join(scratch, file), PROBE);
  }
  // Outside git, so version control is off; only this rule, so the probes' other faults don't matter.
  const run = spawnSync(process.execPath, [BIOME, 'lint', '--vcs-enabled=false', `--only=${RULE}`, '--reporter=json', ...files], {
    cwd: scratch,
    encoding: 'utf8',
  });
  if (!run.stdout.trim()) throw new Error(`biome printed no report: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { diagnostics: Diagnostic[] }).diagnostics.filter((d) => d.category === RULE);
}

it('refuses an import of server-functions/ in the product code of main, renderer and preload, and says why', () => {
  const walled = ['main/console/probe.ts', 'renderer/src/cron/probe.tsx', 'preload/probe.ts'];
  const allowed = ['main/sync/probe.test.ts', 'renderer/src/cron/probe.test.tsx', 'main/electron/testing/probe.ts', 'scripts/probe.ts', 'e2e/probe.ts'];
  const refused = lint([...walled, ...allowed]);
  expect(refused.map((d) => d.location.path).sort()).toEqual([...walled].sort());
  for (const d of refused) expect(d.message).toBe('main, renderer and preload talk to the server over HTTP; shared rules live in shared/.');
});
