// Playbook 4.1's evidence: how long Z.AI has been failing, read from the AI
// health records with the zai_down alert's own definition (refresh_ai_alerts,
// migration 0900: the first failed z_ai call after the last good one). Not
// the circuit breaker: that lives in one function instance's memory.
import type { PlaybookRun, ZaiEvidence } from '../../../../../shared/api/playbooks.ts';
import { createAiModeReader } from '../ai/mode.ts';
import type { Sql } from '../db.ts';
import type { SignalFacts } from './signal.ts';

/** Spec 4.1 step 2: a Z.AI call costs $0.001, i.e. a tenth of a cent. */
const ZAI_CALLS_PER_CENT = 10;

/** Step 1's decision tree on the minutes Z.AI has been failing (null: it is not failing). */
export function recommend(minutes: number | null): ZaiEvidence['recommendation'] {
  if (minutes === null) return 'none';
  if (minutes < 5) return 'wait';
  if (minutes <= 30) return 'secondary';
  return 'deterministic';
}

export async function readZaiEvidence(sql: Sql, run: PlaybookRun, signal: SignalFacts, now: Date): Promise<ZaiEvidence> {
  // The alert's own "failing since" is when this incident's failures began; a run opened by name starts when it opened.
  const alertSince = typeof signal.details.failing_since === 'string' ? new Date(signal.details.failing_since) : null;
  const anchor = alertSince ?? (signal.alertKind ? signal.startedAt : new Date(run.openedAt));
  // One statement (and the mode read beside it): the streak as refresh_ai_alerts defines it, the last
  // check, the first failure of this incident, and the triage calls answered without Z.AI since it began.
  const [[h], mode] = await Promise.all([
    sql<
      {
        failing_since: Date | null;
        failed_calls: number;
        last_error: string | null;
        check_at: Date | null;
        check_ok: boolean | null;
        check_latency: number | null;
        check_error: string | null;
        failed_since_anchor: Date | null;
        calls_avoided: number;
      }[]
    >`
      with last_ok as (
          select max(h.checked_at) as at from public.ai_provider_health h
          where h.provider = 'z_ai' and h.ok and h.checked_at <= ${now}
      ),
      failing as (
          select min(h.checked_at) as since, count(*)::int as n
          from public.ai_provider_health h, last_ok
          where h.provider = 'z_ai' and not h.ok and h.checked_at <= ${now} and (last_ok.at is null or h.checked_at > last_ok.at)
      ),
      incident as (
          -- This streak, or (once Z.AI answers again) the signal's start, whichever is earlier.
          select least(${anchor}::timestamptz, coalesce(f.since, ${anchor}::timestamptz)) as starts from failing f
      ),
      last_check as (
          select h.checked_at, h.ok, h.latency_ms, h.error from public.ai_provider_health h
          where h.provider = 'z_ai' and h.checked_at <= ${now} order by h.checked_at desc limit 1
      )
      select f.since as failing_since, f.n as failed_calls,
             (select h.error from public.ai_provider_health h
              where h.provider = 'z_ai' and not h.ok and h.checked_at <= ${now} order by h.checked_at desc limit 1) as last_error,
             c.checked_at as check_at, c.ok as check_ok, c.latency_ms as check_latency, c.error as check_error,
             (select min(h.checked_at) from public.ai_provider_health h
              where h.provider = 'z_ai' and not h.ok and h.checked_at >= i.starts and h.checked_at <= ${now}) as failed_since_anchor,
             (select count(*)::int from public.triage_logs t
              where t.occurred_at >= i.starts and t.occurred_at <= ${now} and (t.provider <> 'z_ai' or t.fell_back)) as calls_avoided
      from failing f cross join incident i left join last_check c on true`,
    createAiModeReader(sql, 0)(),
  ]);
  const failingSince = h!.failing_since;
  const minutes = failingSince ? (now.getTime() - failingSince.getTime()) / 60_000 : null;
  // Recovered: the latest check is good, and Z.AI failed within this incident before it.
  const recovered = Boolean(h!.check_ok && h!.check_at && h!.failed_since_anchor && h!.failed_since_anchor < h!.check_at);
  const avoided = { n: h!.calls_avoided };
  return {
    playbook: 'zai_down',
    failingSince: failingSince?.toISOString() ?? null,
    minutesFailing: minutes === null ? 0 : Math.floor(minutes),
    failedCalls: failingSince ? h!.failed_calls : 0,
    lastError: failingSince ? h!.last_error : null,
    recommendation: recommend(minutes),
    mode,
    lastCheck: h!.check_at ? { at: h!.check_at.toISOString(), ok: Boolean(h!.check_ok), latencyMs: h!.check_latency, error: h!.check_error } : null,
    recovered,
    callsAvoided: avoided.n,
    costAvoidedCents: avoided.n / ZAI_CALLS_PER_CENT,
  };
}
