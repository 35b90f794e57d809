// The committed schema snapshot (server-functions/supabase/schema/current.sql)
// is what the migrations build: read from this run's migrated database and
// compared line by line, so a migration added or changed without
// regenerating the file fails here, naming where they part.
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNAPSHOT_COMMAND, SNAPSHOT_PATH, schemaSnapshot } from '../local/stack/schema-snapshot.ts';
import { freshDatabase, type TestDatabase } from './db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase(); // a copy of the run's migrated template
});
afterAll(async () => {
  await db?.drop();
});

interface Section {
  title: string;
  /** Index of the section's first line in the whole file. */
  start: number;
  lines: string[];
}

/** The file cut at its section banners (Tables, Functions, ...); the header comes first. */
function sectionsOf(text: string): Section[] {
  const lines = text.split('\n');
  const sections: Section[] = [{ title: 'header', start: 0, lines: [] }];
  lines.forEach((line, i) => {
    if (/^-- ={20,}$/.test(line) && /^-- \w/.test(lines[i + 1] ?? '') && /^-- ={20,}$/.test(lines[i + 2] ?? '')) {
      sections.push({ title: lines[i + 1]!.slice(3), start: i, lines: [] });
    }
    sections.at(-1)!.lines.push(line);
  });
  return sections;
}

/** A few numbered lines around index `at` of a section, marking that line. */
function around(section: Section | undefined, at: number, context: number): string {
  if (!section) return '        (no such section)';
  const from = Math.max(0, at - context);
  return section.lines
    .slice(from, at + context + 1)
    .map((text, i) => `${String(section.start + from + i + 1).padStart(6)}${from + i === at ? ' >' : '  '} ${text}`)
    .join('\n');
}

/**
 * Where the committed file and the built text first differ, per section (a
 * new migration's header line and its function are both named), with a few
 * lines of each around it; null when they are equal.
 */
function differences(committed: string, built: string, context = 3): string | null {
  if (committed === built) return null;
  const ours = sectionsOf(committed);
  const theirs = sectionsOf(built);
  const titles = [...new Set([...ours, ...theirs].map((s) => s.title))];
  const report: string[] = [];
  for (const title of titles) {
    const a = ours.find((s) => s.title === title);
    const b = theirs.find((s) => s.title === title);
    const aLines = a?.lines ?? [];
    const bLines = b?.lines ?? [];
    let i = 0;
    while (i < aLines.length && i < bLines.length && aLines[i] === bLines[i]) i++;
    if (i === aLines.length && i === bLines.length) continue;
    const line = (s: Section | undefined) => (s ? String(s.start + i + 1) : '-');
    report.push(
      `${title}: first difference at line ${line(a)} of the committed file, line ${line(b)} as built`,
      '--- committed',
      around(a, i, context),
      '+++ built from the migrations',
      around(b, i, context),
    );
  }
  return report.join('\n');
}

describe('the committed schema snapshot', () => {
  it('is what the migrations build (regenerate it after adding a migration)', async () => {
    const built = await schemaSnapshot(db.sql);
    const file = relative(process.cwd(), SNAPSHOT_PATH);
    const committed = await readFile(SNAPSHOT_PATH, 'utf8').catch(() => '');
    const difference = differences(committed, built);
    expect(difference, `${file} is not the schema the migrations build; run \`${SNAPSHOT_COMMAND}\` and commit the result.\n${difference}`).toBeNull();
  });

  it('reads the same text twice (nothing in it depends on when or where it was read)', async () => {
    expect(await schemaSnapshot(db.sql)).toBe(await schemaSnapshot(db.sql));
  });
});

describe('the difference message', () => {
  const banner = (title: string) => ['-- ' + '='.repeat(72), `-- ${title}`, '-- ' + '='.repeat(72)].join('\n');
  const file = (latest: string, fn: string) => `-- Latest migration: ${latest}\n\n${banner('Tables')}\n\nt\n\n${banner('Functions')}\n\n${fn}\n`;

  it('is null when the texts are equal', () => {
    expect(differences(file('1', 'f'), file('1', 'f'))).toBeNull();
  });

  it('names the first differing line of each section that differs, with both versions around it', () => {
    const message = differences(file('1', 'f'), file('2', 'g'), 0)!;
    expect(message).toContain('header: first difference at line 1 of the committed file, line 1 as built');
    expect(message).toContain('     1 > -- Latest migration: 1');
    expect(message).toContain('     1 > -- Latest migration: 2');
    expect(message).toContain('Functions: first difference at line 13 of the committed file, line 13 as built');
    expect(message).toContain('    13 > f');
    expect(message).toContain('    13 > g');
    expect(message).not.toContain('Tables:');
  });
});
