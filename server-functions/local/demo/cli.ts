// `npm run demo -- incident <kind>`: plants one of the five demo incidents
// on the running local stack and says what the operator should now see.
// Argument errors and "no stack running" are one line and exit code 1.
import { parseArgs } from 'node:util';
import { INCIDENT_KINDS, INCIDENTS, isIncidentKind, plantIncident, type IncidentKind } from './incidents.ts';
import { findRunningStack, NoStackError } from './running-stack.ts';

export interface DemoIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const KINDS = INCIDENT_KINDS.join(', ');

export const USAGE = [
  'usage: npm run demo -- incident <kind> [--dir DIR]',
  "  Creates a playbook's condition on the running local stack (`npm run stack` or `npm start`),",
  '  the way it happens in production, and refreshes the alerts so its alert appears.',
  "  --dir   the stack's data directory (default .stack), where it wrote stack.json",
  'kinds:',
  ...INCIDENT_KINDS.map((k) => `  ${k.padEnd(8)} ${INCIDENTS[k].playbook}: ${INCIDENTS[k].condition}`),
].join('\n');

const OPTIONS = { dir: { type: 'string', default: '.stack' }, help: { type: 'boolean', short: 'h', default: false } } as const;

export type DemoArgs = { help: true } | { help: false; kind: IncidentKind; dir: string };

/** The command line, or an Error whose message is the one line to print. */
export function parseDemoArgs(argv: string[]): DemoArgs | Error {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    return new Error((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const [command, kind, ...rest] = positionals;
  if (command === undefined) return new Error(`say what to create: incident <${INCIDENT_KINDS.join('|')}>`);
  if (command !== 'incident') return new Error(`unknown command "${command}"; the demo command is: incident <${INCIDENT_KINDS.join('|')}>`);
  if (kind === undefined) return new Error(`say which incident: one of ${KINDS}`);
  if (!isIncidentKind(kind)) return new Error(`unknown incident "${kind}"; the kinds are ${KINDS}`);
  if (rest.length > 0) return new Error(`unexpected argument "${rest[0]}" after the incident kind`);
  return { help: false, kind, dir: values.dir };
}

export async function runDemo(argv: string[], io: DemoIo): Promise<number> {
  const args = parseDemoArgs(argv);
  if (args instanceof Error) {
    io.err(`demo: error: ${args.message}\n${USAGE}\n`);
    return 1;
  }
  if (args.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  let stack: Awaited<ReturnType<typeof findRunningStack>>;
  try {
    stack = await findRunningStack(args.dir);
  } catch (err) {
    if (err instanceof NoStackError) {
      io.err(`demo: error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const incident = INCIDENTS[args.kind];
  io.out(`Planting ${incident.playbook} on ${stack.info.API_URL}: ${incident.condition}...\n`);
  try {
    const { alerts, lines } = await plantIncident(args.kind, { sql: stack.sql, info: stack.info });
    io.out(`${lines.map((l) => `  ${l}`).join('\n')}\n`);
    if (alerts.length === 0) {
      io.err(`demo: the ${incident.alerts.join(' / ')} alert did not open; see the lines above\n`);
      return 1;
    }
    return 0;
  } catch (err) {
    io.err(`demo: error: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await stack.sql.end({ timeout: 5 });
  }
}
