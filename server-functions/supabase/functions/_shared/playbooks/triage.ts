// Playbook 4.1 step 3: the spec's four fallback cases through the live
// emergency-triage function, as the public sends them, answers shown against
// the expected ones. Each call is an ordinary triage call (logged, and in
// z_ai mode asked of Z.AI), so the check is what a visitor would get now.
import { TRIAGE_CASES, type TriageCheck } from '../../../../../shared/api/playbooks.ts';
import { createAiModeReader } from '../ai/mode.ts';
import type { RouteDeps } from '../operator/routes.ts';

export async function runTriageCheck(deps: RouteDeps): Promise<TriageCheck> {
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
