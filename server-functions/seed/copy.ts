// Bulk loading with COPY ... FROM STDIN (text format). Multi-row INSERTs top
// out at a few thousand rows a second once parameters are bound; COPY streams
// millions, and it runs inside the caller's transaction, so a failure part-way
// leaves nothing behind.
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Sql, TransactionSql } from 'postgres';

export type Db = Sql | TransactionSql;

/** A value as it goes into one COPY field. Arrays become Postgres arrays, plain objects JSON. */
export type CopyValue = string | number | boolean | bigint | Date | null | undefined | readonly string[] | object;

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Escapes text for one field of COPY's text format (backslash, tab, newline, carriage return). */
export function copyText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : text;
}

const ARRAY_ELEMENT_NEEDS_QUOTES = /[\s",\\{}]/;

/** A Postgres array literal for text[] (`{puppy,adult}`), quoting elements that need it. */
export function pgTextArray(items: readonly string[]): string {
  const parts = items.map((item) =>
    item === '' || /^null$/i.test(item) || ARRAY_ELEMENT_NEEDS_QUOTES.test(item) ? `"${item.replace(/["\\]/g, (c) => `\\${c}`)}"` : item,
  );
  return `{${parts.join(',')}}`;
}

/** Encodes one value as a COPY text field; null and undefined become \N. */
export function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  switch (typeof value) {
    case 'string':
      return copyText(value);
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    default:
      if (value instanceof Date) return value.toISOString();
      if (Array.isArray(value)) return copyText(pgTextArray(value as readonly string[]));
      return copyText(JSON.stringify(value));
  }
}

/** One COPY line (fields joined by tabs, ending in a newline). */
export function copyLine(values: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i ? '\t' : '') + copyField(values[i]);
  return line + '\n';
}

const CHUNK_CHARS = 1 << 20;

/** Groups lines into ~1 MiB strings: one stream write per line would dominate the cost. */
function* chunked(lines: Iterable<string>): Generator<string> {
  let buffer: string[] = [];
  let size = 0;
  for (const line of lines) {
    buffer.push(line);
    size += line.length;
    if (size >= CHUNK_CHARS) {
      yield buffer.join('');
      buffer = [];
      size = 0;
    }
  }
  if (buffer.length) yield buffer.join('');
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/**
 * Streams pre-encoded lines (see copyLine/copyField) into `table`. Use it
 * where encoding row by row is the hot path; otherwise prefer copyRows.
 * Returns the number of lines written.
 */
export async function copyLines(db: Db, table: string, columns: readonly string[], lines: Iterable<string>): Promise<number> {
  if (!IDENTIFIER.test(table) || !columns.every((c) => IDENTIFIER.test(c))) {
    throw new Error(`copy: bad table or column name in ${table} (${columns.join(', ')})`);
  }
  let count = 0;
  function* counted(): Generator<string> {
    for (const line of lines) {
      count++;
      yield line;
    }
  }
  // postgres.js 3.4.9 never settles the writable when the server rejects the
  // COPY after the last chunk (porsager/postgres#1173): the await would hang
  // and the transaction would never roll back. The server's error still
  // reaches the query's reject(), so listen there and end the stream with it.
  const query = db.unsafe(`copy ${table} (${columns.join(', ')}) from stdin`) as unknown as {
    reject: (error: unknown) => void;
    writable(): Promise<Writable>;
  };
  const refused = new Promise<never>((_, fail) => {
    const reject = query.reject;
    query.reject = (error: unknown) => {
      fail(error);
      reject(error);
    };
  });
  refused.catch(() => undefined); // raced below; never unhandled
  const target = await query.writable().catch((error: unknown) => {
    throw Object.assign(new Error(`copy into ${table} failed: ${error instanceof Error ? error.message : String(error)}`), { cause: error });
  });
  const written = pipeline(Readable.from(chunked(counted()), { objectMode: false }), target);
  written.catch(() => undefined);
  try {
    await Promise.race([written, refused]);
  } catch (error) {
    target.destroy();
    const message = error instanceof Error ? error.message : String(error);
    throw Object.assign(new Error(`copy into ${table} failed: ${message}`), { cause: error });
  }
  return count;
}

/** Streams rows (one array of values per row, in `columns` order) into `table`. */
export async function copyRows(db: Db, table: string, columns: readonly string[], rows: Iterable<readonly CopyValue[]>): Promise<number> {
  function* lines(): Generator<string> {
    for (const row of rows) {
      if (row.length !== columns.length) {
        throw new Error(`copy into ${table}: a row has ${row.length} values for ${columns.length} columns`);
      }
      yield copyLine(row);
    }
  }
  return copyLines(db, table, columns, lines());
}

/** Streams records (objects keyed by column name, all with the same keys) into `table`. */
export async function copyRecords(db: Db, table: string, records: readonly Record<string, CopyValue>[]): Promise<number> {
  if (records.length === 0) return 0;
  const columns = Object.keys(records[0]!);
  return copyRows(
    db,
    table,
    columns,
    (function* () {
      for (const record of records) yield columns.map((column) => record[column]);
    })(),
  );
}
