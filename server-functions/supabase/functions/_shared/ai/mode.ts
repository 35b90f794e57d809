// AI_MODE from feature_flags, read at most once per `ttlMs` (30 s) so a burst
// of public requests does not become a burst of flag reads, and an operator's
// switch still takes effect within half a minute. Read with it: whether this
// month's AI spend has reached the budget's switch line (ai_budget_state), in
// which case the answer is 'deterministic' whatever the flag says.
import type { Sql } from '../db.ts';

export type AiMode = 'z_ai' | 'secondary' | 'deterministic';
const MODES: readonly AiMode[] = ['z_ai', 'secondary', 'deterministic'];

export function createAiModeReader(sql: Sql, ttlMs = 30_000, now: () => number = Date.now) {
  let cached: { mode: AiMode; readAt: number } | null = null;
  return async function aiMode(): Promise<AiMode> {
    if (cached && now() - cached.readAt < ttlMs) return cached.mode;
    try {
      const [row] = await sql<{ value: string | null; over: boolean }[]>`
        select (select value from public.feature_flags where key = 'AI_MODE') as value,
               (public.ai_budget_state() ->> 'over')::boolean as over`;
      const value = row?.value as AiMode | undefined;
      cached = { mode: row?.over ? 'deterministic' : value && MODES.includes(value) ? value : 'deterministic', readAt: now() };
    } catch {
      // Without the flag we still answer: the deterministic rules need nothing.
      cached = { mode: cached?.mode ?? 'deterministic', readAt: now() };
    }
    return cached.mode;
  };
}
