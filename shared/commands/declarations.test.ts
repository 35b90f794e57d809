// The rule that keeps each operator command in one place: its declaration in
// shared/commands/ says everything about it, and every side derives from
// that. This fails when a command's type string is written anywhere else in
// the product's code (outside its declaration, the SQL, and its own domain's
// screens), when a declared command has no server handler, when a queued
// command has no effect on the local cache, or when a command lacks words.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HANDLERS } from '../../server-functions/supabase/functions/_shared/operator/handlers.ts';
import { COMMAND_TYPES, COMMANDS, type Declaration } from './index.ts';

const ROOT = join(import.meta.dirname, '..', '..');
/** The product's code: what ships in the console or runs on the server (tests, e2e, benchmarks and the local stack's tools are not it). */
const PRODUCT = ['main', 'preload', 'renderer/src', 'shared', 'server-functions/supabase'];
const isTest = (path: string) => /\.test\.tsx?$/.test(path) || path.includes('/testing/');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|sql)$/.test(name) && !isTest(path) ? [path] : [];
  });
}

const files = PRODUCT.flatMap(sourceFiles).map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));
const declarationFile = (type: string) => files.find((f) => f.path.startsWith('shared/commands/') && f.text.includes(`type: '${type}'`))?.path;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The server's domain folder whose commands.ts handles it (its handler map is keyed by the declaration: `[approveReview.type]`). */
function serverFolder(type: string): string | undefined {
  const name = new RegExp(`export const (\\w+) = (?:queued|online)\\(\\{\\s*type: '${escapeRegExp(type)}'`).exec(
    files.find((f) => f.path === declarationFile(type))?.text ?? '',
  )?.[1];
  const handler = files.find((f) => /^server-functions\/supabase\/functions\/_shared\/\w+\/commands\.ts$/.test(f.path) && f.text.includes(`[${name}.type]:`));
  return handler?.path.replace(/commands\.ts$/, '');
}

/** Where a command's type string may be written: its declaration, its server handler's folder, the SQL, and its own domain's screens. */
function allowed(type: string, path: string): boolean {
  const domain = basename(declarationFile(type) ?? '', '.ts');
  const server = serverFolder(type);
  return path === declarationFile(type) || (!!server && path.startsWith(server)) || path.endsWith('.sql') || path.startsWith(`renderer/src/${domain}/`);
}

function strayTypeStrings(sources: { path: string; text: string }[] = files) {
  const stray: string[] = [];
  for (const type of COMMAND_TYPES) {
    // 'review.approve', "review.approve", `command.review.approve`: the type written as a string, alone or as its audit action.
    const pattern = new RegExp(`(['"\`])(command\\.)?${escapeRegExp(type)}\\1`);
    for (const f of sources) if (pattern.test(f.text) && !allowed(type, f.path)) stray.push(`${type} in ${f.path}`);
  }
  return stray;
}

describe('operator commands, each declared once', () => {
  it('writes no command type string outside its declaration, the SQL and its own screens', () => {
    expect(files.length).toBeGreaterThan(100); // the scan read the code
    expect(strayTypeStrings()).toEqual([]);
  });

  it('would catch one: a type string in main, or an audit action in the server', () => {
    expect(strayTypeStrings([{ path: 'main/console/handlers/reviews.ts', text: "queue('review.approve', payload)" }])).toEqual([
      'review.approve in main/console/handlers/reviews.ts',
    ]);
    expect(
      strayTypeStrings([{ path: 'server-functions/supabase/functions/_shared/investigate/dossier.ts', text: 'a.action = "command.refund.deny"' }]),
    ).toEqual(['refund.deny in server-functions/supabase/functions/_shared/investigate/dossier.ts']);
    expect(strayTypeStrings([{ path: 'renderer/src/reviews/ReviewList.tsx', text: "'review.approve'" }])).toEqual([]);
  });

  it.each(COMMAND_TYPES)('%s has one declaration file, a server handler and its words', (type) => {
    const d = COMMANDS[type] as Declaration;
    expect(declarationFile(type), 'declared in shared/commands/<domain>.ts').toMatch(/^shared\/commands\/\w+\.ts$/);
    expect(typeof HANDLERS[type], 'a handler in the server').toBe('function');
    expect(serverFolder(type), 'its handler in server-functions/supabase/functions/_shared/<domain>/commands.ts').toMatch(/_shared\/\w+\/$/);
    expect(typeof d.words.label).toBe('function');
    expect(typeof d.words.short).toBe('function');
    expect(d.words.activity, 'the activity log words').toMatch(/^[a-z].{5,}/);
    expect(typeof d.payload.safeParse).toBe('function');
    if (d.mode === 'queued') {
      expect(typeof d.cache.subject, 'a queued command names the cached item it decides (or null)').toBe('function');
      expect(typeof d.cache.applied, 'a queued command says what it does to the cache once applied').toBe('function');
      expect(['reviewApprovals', 'reviewRejections', 'refundApprovals', 'refundDenials', 'other']).toContain(d.cache.tally);
    } else {
      expect(d.doing, 'an online-only command says what it is doing, for "needs a connection"').toMatch(/^[A-Z]/);
    }
  });

  it('freezes exactly the operator actions spec Part 7 names under a legal escalation: refund decisions, activations, flags, trainer emails', () => {
    const frozen = COMMAND_TYPES.filter((t) => (COMMANDS[t] as Declaration).frozenBy).sort();
    expect(frozen).toEqual(['account.flag', 'email.send', 'placement.activate_orphan', 'refund.approve', 'refund.deny']);
    const id = '00000000-0000-4000-8000-000000000009';
    expect(COMMANDS['refund.deny'].frozenBy!({ refundRequestId: id, businessId: 'b' })).toEqual({ businessId: 'b' });
    expect(COMMANDS['account.flag'].frozenBy!({ profileId: id, reason: 'why' })).toEqual({ profileId: id });
    expect(COMMANDS['placement.activate_orphan'].frozenBy!({ paymentId: id })).toEqual({ paymentId: id });
  });

  it('has no server handler for a command nobody declared', () => {
    expect(Object.keys(HANDLERS).sort()).toEqual([...COMMAND_TYPES].sort());
  });

  it('words a queued command the way the outbox shows it, with the cached facts', () => {
    const cached = { review: () => ({ businessName: 'Paws & Co' }), refund: () => ({ businessName: 'Sit Stay', amountCents: 2200 }) };
    const review = { reviewId: '00000000-0000-4000-8000-000000000001', businessId: '00000000-0000-4000-8000-000000000002' };
    expect(COMMANDS['review.reject'].words.label({ ...review, reason: 'off_topic' }, cached)).toBe('Reject review of Paws & Co (Off-topic)');
    expect(COMMANDS['refund.approve'].words.label({ refundRequestId: review.reviewId, businessId: review.businessId }, cached)).toBe(
      'Approve refund for Sit Stay ($22.00)',
    );
    expect(COMMANDS['review.bulk_approve'].cache.applied({ reviews: [] }, { approved: ['r1'] })).toMatchObject([
      { kind: 'review', id: 'r1', status: 'approved' },
    ]);
  });
});
