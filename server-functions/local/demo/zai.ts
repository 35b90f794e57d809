// Playbook 1's condition: Z.AI failing for over 30 minutes. The Z.AI double
// is switched to failing (HTTP 500 on every call), one real triage call goes
// through the emergency-triage function so the AI router records a failure
// and a fallback as it does in production, and the 40 minutes before it are
// filled with what the router would have recorded meanwhile: a failed Z.AI
// call every few minutes in ai_provider_health and the triage calls the
// deterministic rules answered instead.
import { triageDeterministic } from '../../../shared/triage/rules.ts';
import { minutesBefore, nowOf, openAlerts, postJson, refreshAlerts, type DemoStack, type OpenAlert } from './context.ts';

/** How far back the outage starts: past zai_down_red_minutes (30), so step 1's tree says "switch to deterministic". */
export const ZAI_DOWN_MINUTES = 42;

/** What the router records for an HTTP 500 from the double (ProviderError 'http'), when no live call left one to copy. */
const DOUBLE_FAILING_ERROR = 'z_ai http: HTTP 500: {"error":{"message":"internal error","type":"server_error"}}';

/** What people typed into the emergency form meanwhile (their words are never stored; the category is). */
const ASKED = ['My dog is bleeding from his paw', 'A dog is being aggressive at the park', 'Found a lost dog, no collar', "My puppy won't listen to me"];

export interface ZaiPlant {
  failingSince: Date;
  /** Failed Z.AI calls written backdated (the live call's own record is not counted). */
  failuresBackdated: number;
  /** Triage calls answered by the fallback, written backdated. */
  fallbacksBackdated: number;
  /** Whether the live triage call reached the failing Z.AI (false when AI_MODE is not z_ai or the circuit is open). */
  liveCallFailed: boolean;
  /** Good Z.AI records newer than the outage's start, which would contradict it, removed. */
  contradictingOkRemoved: number;
  aiMode: string | null;
  alerts: OpenAlert[];
}

export async function plantZaiDown(stack: DemoStack): Promise<ZaiPlant> {
  const { sql, info } = stack;
  if (!info.ZAI_DOUBLE_URL) throw new Error('this stack calls the real Z.AI (ZAI_API_KEY is set), so there is no Z.AI double to make fail');
  const mode = await postJson(`${info.ZAI_DOUBLE_URL}/__double/mode`, { mode: 'failing' });
  if (mode.status !== 200) throw new Error(`the Z.AI double refused to fail: ${mode.status} ${JSON.stringify(mode.body)}`);

  const [flag] = await sql<{ value: string | null }[]>`select value from public.feature_flags where key = 'AI_MODE'`;
  const startedLive = nowOf(stack);
  const live = await postJson(`${info.FUNCTIONS_URL}/emergency-triage`, { text: 'My dog ate chocolate and is shaking' }, { apikey: info.ANON_KEY });
  if (live.status !== 200) throw new Error(`emergency-triage answered ${live.status}: ${JSON.stringify(live.body).slice(0, 200)}`);
  const [recorded] = await sql<{ error: string; latency_ms: number | null }[]>`
    select error, latency_ms from public.ai_provider_health
    where provider = 'z_ai' and not ok and checked_at >= ${minutesBefore(startedLive, 0.1)}
    order by checked_at desc limit 1`;
  const error = recorded?.error ?? DOUBLE_FAILING_ERROR;
  const latency = recorded?.latency_ms ?? 40;

  const now = nowOf(stack);
  const failingSince = minutesBefore(now, ZAI_DOWN_MINUTES);
  // An outage that began 42 minutes ago has no good Z.AI answer after it: a demo stack may have one from earlier use.
  const removed = await sql`delete from public.ai_provider_health where provider = 'z_ai' and ok and checked_at >= ${failingSince}`;

  const failures = Array.from({ length: 14 }, (_, i) => minutesBefore(now, ZAI_DOWN_MINUTES - i * 3));
  await sql`
    insert into public.ai_provider_health ${sql(
      failures.map((at, i) => ({ provider: 'z_ai', checked_at: at, ok: false, latency_ms: latency + (i % 5) * 7, error, cost_cents: 0 })),
    )}`;
  // Every other failed call was an emergency triage answered by the rules (the rest were review moderation).
  const fallbacks = failures
    .filter((_, i) => i % 2 === 0)
    .map((at, i) => ({
      occurred_at: new Date(at.getTime() + 150),
      provider: 'z_ai',
      category: triageDeterministic(ASKED[i % ASKED.length]!).category,
      latency_ms: latency + 12,
      cost_cents: 0,
      fell_back: true,
      error,
    }));
  await sql`insert into public.triage_logs ${sql(fallbacks)}`;

  await refreshAlerts(stack);
  return {
    failingSince,
    failuresBackdated: failures.length,
    fallbacksBackdated: fallbacks.length,
    liveCallFailed: recorded !== undefined,
    contradictingOkRemoved: removed.count,
    aiMode: flag?.value ?? null,
    alerts: await openAlerts(stack, ['zai_down']),
  };
}
