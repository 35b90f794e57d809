// Records one search_events row per public search without making the search
// wait: rows are buffered and written in one multi-row insert when the batch
// fills or a short timer fires. Filters only, never the free text or anything
// about the person (a search for "Jane's Dog School" says only hasText: true).
import type { Sql } from '../_shared/db.ts';

export interface SearchEvent {
  occurredAt: Date;
  councilId: string | null;
  filters: Record<string, unknown>;
  resultCount: number;
  latencyMs: number;
}

export function createSearchEventRecorder(sql: Sql, opts: { maxBatch?: number; flushMs?: number; log?: (line: string) => void } = {}) {
  const maxBatch = opts.maxBatch ?? 100;
  const log = opts.log ?? console.error;
  const flushMs = opts.flushMs ?? 250;
  let buffer: SearchEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> = Promise.resolve();

  type Row = { occurred_at: Date; council_id: string | null; filters: Record<string, unknown>; result_count: number; latency_ms: number };
  const insert = (rows: Row[]) => sql`insert into public.search_events ${sql(rows as never)}`.then(() => undefined);

  /**
   * One insert for the batch; if it fails, each row on its own, so one bad
   * row (a council deleted meanwhile, a value the table refuses) costs only
   * that row and never the other searches in the batch. A lost connection
   * fails every row alike: the batch is then counted as lost, once.
   */
  async function write(rows: Row[]): Promise<void> {
    try {
      await insert(rows);
      return;
    } catch (err) {
      if (rows.length === 1) {
        log(`search event not written: ${(err as Error).message}`);
        return;
      }
    }
    let lost = 0;
    let last = '';
    for (const row of rows) {
      try {
        await insert([row]);
      } catch (err) {
        lost++;
        last = (err as Error).message;
      }
    }
    if (lost) log(`search events not written (${lost} of ${rows.length}): ${last}`);
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = buffer;
    buffer = [];
    if (!batch.length) return writing;
    const rows = batch.map((e) => ({
      occurred_at: e.occurredAt,
      council_id: e.councilId,
      filters: e.filters,
      result_count: e.resultCount,
      latency_ms: e.latencyMs,
    }));
    writing = writing.then(() => write(rows));
    return writing;
  }

  return {
    record(event: SearchEvent): void {
      buffer.push(event);
      if (buffer.length >= maxBatch) void flush();
      else timer ??= setTimeout(() => void flush(), flushMs);
    },
    flush,
  };
}
