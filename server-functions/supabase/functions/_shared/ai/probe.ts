// The Z.AI provider probe (playbook 4.1 step 5): one small triage question
// asked of Z.AI, recorded in ai_provider_health like every real call (its
// cost counts in the month's AI budget, ai_budget_state), so the zai_down
// alert and the playbook's evidence see recovery from the same records.
//
// While AI_MODE is z_ai the real triage calls are the checks, so the
// scheduled probe (alerts-refresh) asks only while the mode is secondary or
// deterministic, at most once every PROBE_EVERY_MS, and never past the
// budget's switch line. The operator's "probe now" always asks.
//
// Concurrency: alerts-refresh runs in many function instances at once (the
// 30 s and 60 s calls overlap). The probe holds a transaction-scoped advisory
// lock from the "is it due?" read to the health row's insert, so a second
// instance either finds the lock taken or, once it is released, finds the
// new row less than 5 minutes old: never two calls for one slot.
import { TRIAGE_CATEGORIES } from '../../../../../shared/triage/rules.ts';
import type { Sql } from '../db.ts';
import { chatJson, ProviderError, type ProviderConfig } from './provider.ts';

export const PROBE_EVERY_MS = 5 * 60_000;

const PROBE_SYSTEM =
  'Health check of a triage classifier. Classify the message as exactly one of "medical", "crisis", "stray" or "normal". ' +
  'Answer only with JSON: {"category": "..."}.';
/** Short and unambiguous: a healthy model answers "stray". */
const PROBE_TEXT = 'Lost dog';

export interface ZaiCheck {
  at: string;
  ok: boolean;
  latencyMs: number | null;
  error: string | null;
}

export type ProbeOutcome = { probed: true; check: ZaiCheck } | { probed: false; reason: string };

export interface ZaiProbeDeps {
  sql: Sql;
  /** Z.AI's settings (null when no key is configured: nothing to probe). */
  zai: ProviderConfig | null;
  now: () => Date;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The latest z_ai record (a probe or a real call), or null when there is none. */
export async function lastZaiCheck(sql: Sql): Promise<ZaiCheck | null> {
  const [row] = await sql<{ at: Date; ok: boolean; latency_ms: number | null; error: string | null }[]>`
    select h.checked_at as at, h.ok, h.latency_ms, h.error from public.ai_provider_health h
    where h.provider = 'z_ai' order by h.checked_at desc limit 1`;
  return row ? { at: row.at.toISOString(), ok: row.ok, latencyMs: row.latency_ms, error: row.error } : null;
}

/** `scheduled`: the alerts refresh's probe, which asks only when due (see the header); otherwise the operator's, which always asks. */
export async function probeZai(deps: ZaiProbeDeps, opts: { scheduled: boolean }): Promise<ProbeOutcome> {
  const zai = deps.zai;
  if (!zai) return { probed: false, reason: 'Z.AI is not configured (no ZAI_API_KEY): there is nothing to probe' };
  const at = deps.now();
  return deps.sql.begin(async (tx): Promise<ProbeOutcome> => {
    const [lock] = await tx<{ got: boolean }[]>`select pg_try_advisory_xact_lock(hashtextextended('zai-provider-probe', 0)) as got`;
    if (!lock!.got) return { probed: false, reason: 'another Z.AI probe is running' };
    if (opts.scheduled) {
      const [s] = await tx<{ mode: string | null; last: Date | null; over: boolean }[]>`
        select (select f.value from public.feature_flags f where f.key = 'AI_MODE') as mode,
               (select max(h.checked_at) from public.ai_provider_health h where h.provider = 'z_ai') as last,
               (public.ai_budget_state(${at}) ->> 'over')::boolean as over`;
      if (s!.mode === 'z_ai') return { probed: false, reason: 'AI_MODE is z_ai: the triage calls themselves show how Z.AI is doing' };
      if (s!.over) return { probed: false, reason: 'the AI budget has reached its switch line this month' };
      if (s!.last && at.getTime() - s!.last.getTime() < PROBE_EVERY_MS) {
        return { probed: false, reason: `Z.AI was last checked at ${s!.last.toISOString()}, less than 5 minutes ago` };
      }
    }
    let check: ZaiCheck;
    let costCents = 0;
    const t0 = performance.now();
    try {
      const { json, latencyMs } = await chatJson(zai, PROBE_SYSTEM, PROBE_TEXT, deps.timeoutMs ?? 3000, deps.fetch);
      const category = json.category;
      if (typeof category !== 'string' || !(TRIAGE_CATEGORIES as readonly string[]).includes(category)) {
        throw new ProviderError('z_ai', 'malformed', `unexpected answer ${JSON.stringify(json).slice(0, 80)}`);
      }
      check = { at: at.toISOString(), ok: true, latencyMs, error: null };
      // As the router: a good answer is billed, a failure is not.
      costCents = zai.costCentsPerCall;
    } catch (err) {
      const timedOut = err instanceof ProviderError && err.kind === 'timeout';
      check = { at: at.toISOString(), ok: false, latencyMs: null, error: err instanceof ProviderError ? err.message : `z_ai: ${(err as Error).message}` };
      if (!timedOut) check.latencyMs = Math.round(performance.now() - t0);
    }
    await tx`
      insert into public.ai_provider_health (provider, checked_at, ok, latency_ms, error, cost_cents)
      values ('z_ai', ${at}, ${check.ok}, ${check.latencyMs}, ${check.error}, ${costCents})`;
    return { probed: true, check };
  }) as Promise<ProbeOutcome>;
}
