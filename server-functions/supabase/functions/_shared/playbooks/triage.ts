// Playbook 4.1 step 3: the spec's four fallback cases through the live
// emergency-triage function, as the public sends them, answers shown against
// the expected ones. Each call is an ordinary triage call (logged, and in
// z_ai mode asked of Z.AI), so the check is what a visitor would get now.
import { TRIAGE_CASES, type TriageCheck } from '../../../../../shared/api/playbooks.ts';
import { createAiModeReader } from '../ai/mode.ts';
import type { RouteDeps } from '../operator/routes.ts';

/**
 * Each emergency-triage instance caches AI_MODE for deps.aiModeTtlMs (30 s), so right after a switch its
 * calls may still go to the old mode (the e2e test saw the "deterministic" cases asked of the failing Z.AI
 * and answered by the fallback). Wait until every cache read before the switch has expired (clocked by
 * the database, which stamped the switch), so the cases really run in the mode the check names.
 */
async function waitForModeSwitch(deps: RouteDeps): Promise<void> {
  const ttl = deps.aiModeTtlMs;
  if (!ttl) return;
  const [row] = await deps.sql<{ ms: number | null }[]>`
    select (extract(epoch from (now() - f.updated_at)) * 1000)::float8 as ms from public.feature_flags f where f.key = 'AI_MODE'`;
  const left = row?.ms === null || row?.ms === undefined ? 0 : ttl - row.ms + 250;
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(left, ttl + 250)));
}

export async function runTriageCheck(deps: RouteDeps): Promise<TriageCheck> {
  await waitForModeSwitch(deps);
  const at = deps.now().toISOString();
  const mode = await createAiModeReader(deps.sql, 0)();
  const cases = await Promise.all(
    TRIAGE_CASES.map(async ({ text, expected }) => {
      try {
        const res = await deps.callFunction('emergency-triage', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
        const body = (await res.json().catch(() => ({}))) as { category?: unknown; provider?: unknown; error?: { message?: string } };
        if (!res.ok || typeof body.category !== 'string') {
          const error = body.error?.message ?? `HTTP ${res.status} without a category`;
          return { text, expected, got: null, source: null, ok: false, error };
        }
        const source = typeof body.provider === 'string' ? body.provider : null;
        return { text, expected, got: body.category, source, ok: body.category === expected, error: null };
      } catch (err) {
        return { text, expected, got: null, source: null, ok: false, error: `emergency-triage could not be reached: ${(err as Error).message}` };
      }
    }),
  );
  return { at, mode, cases, allOk: cases.every((c) => c.ok) };
}
