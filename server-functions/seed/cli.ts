// npm run seed -- demo|large --db-url postgresql://... [--scale N]
// Loads one data set into an empty, migrated database in one transaction and
// prints what it wrote. Bad arguments or a non-empty target: one line, exit 1.
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { seedDemo } from './demo.ts';
import { seedLarge } from './large.ts';
import { SeedError } from './target.ts';

const USAGE = 'usage: npm run seed -- demo|large --db-url postgresql://user:pass@host:port/db [--scale N]';

function fail(message: string): never {
  process.stderr.write(`seed: error: ${message}\n`);
  process.exit(1);
}

const OPTIONS = { 'db-url': { type: 'string' }, scale: { type: 'string' } } as const;
let parsed: ReturnType<typeof parseArgs<{ allowPositionals: true; options: typeof OPTIONS }>>;
try {
  parsed = parseArgs({ allowPositionals: true, options: OPTIONS });
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`);
}
const [dataSet] = parsed.positionals;
const url = parsed.values['db-url'];
if (dataSet !== 'demo' && dataSet !== 'large') fail(`data set must be demo or large, got ${dataSet ?? 'nothing'}\n${USAGE}`);
if (!url || !/^postgres(ql)?:\/\//.test(url)) fail(`--db-url must be a postgresql:// URL\n${USAGE}`);
const scale = parsed.values.scale === undefined ? 1 : Number(parsed.values.scale);
if (dataSet === 'demo' && parsed.values.scale !== undefined) fail('--scale applies to the large data set only');

const sql = postgres(url, { max: 2, onnotice: () => undefined });
try {
  const started = performance.now();
  const result = dataSet === 'demo' ? await seedDemo(sql) : await seedLarge(sql, { scale, log: (line) => console.log(`  ${line}`) });
  console.log(`seeded ${dataSet} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const [table, n] of Object.entries(result.counts)) console.log(`  ${table.padEnd(28)} ${n.toLocaleString('en-AU')}`);
} catch (err) {
  fail(err instanceof SeedError ? err.message : `${(err as Error).message}`);
} finally {
  await sql.end({ timeout: 5 });
}
