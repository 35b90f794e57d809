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

export function createSearchEventRecorder(sql: Sql, opts: { maxBatch?: number; flushMs?: number } = {}) {
  const maxBatch = opts.maxBatch ?? 100;
  const flushMs = opts.flushMs ?? 250;
  let buffer: SearchEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> = Promise.resolve();

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
    writing = writing
      .then(() => sql`insert into public.search_events ${sql(rows as never)}`.then(() => undefined))
      .catch((err) => console.error(`search events not written (${batch.length}): ${(err as Error).message}`));
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
