// POST /functions/v1/emergency-triage { text } → { category, provider,
// confidence, latencyMs }. Public (no JWT). Whatever the AI provider does,
// the caller gets an answer: a failure, timeout or nonsense answer falls back
// to the deterministic rules for that call, and every call is logged.
import { TriageRequest, type TriageResponse } from '../../../../shared/api/public.ts';
import { triageDeterministic, TRIAGE_CATEGORIES, type TriageCategory } from '../../../../shared/triage/rules.ts';
import { readJsonBody } from '../_shared/body.ts';
import { clientAddress, hashAddress } from '../_shared/client.ts';
import type { Sql } from '../_shared/db.ts';
import { expectMethod, json } from '../_shared/http.ts';
import type { createAiRouter } from '../_shared/ai/router.ts';

export const TRIAGE_SYSTEM_PROMPT =
  'You triage messages sent to a dog trainers directory. Classify the message as exactly one of: ' +
  '"medical" (the dog needs a vet now), "crisis" (a person or animal is in danger from a dog), ' +
  '"stray" (a dog is lost, missing or found), "normal" (anything else, e.g. training questions). ' +
  'Answer only with JSON: {"category": "...", "confidence": 0.0-1.0}.';

export interface TriageDeps {
  sql: Sql;
  ask: ReturnType<typeof createAiRouter>;
  /** Salt for hashing client addresses (the per-address AI allowance); addresses themselves are never stored. */
  ipSalt: string;
}

/** Whether this address may still have the AI classify its message this hour (the triage_ai_per_hour setting). */
async function mayAskAi(sql: Sql, ipHash: string): Promise<boolean> {
  try {
    const [row] = await sql<{ ok: boolean }[]>`
      select public.take_ai_slot(${`triage:${ipHash}`}, public.triage_ai_per_hour()::integer) as ok`;
    return row!.ok;
  } catch (err) {
    // No allowance could be read: the rules answer (free), the owner still gets an answer.
    console.error(`triage AI allowance not read: ${(err as Error).message}`);
    return false;
  }
}

function parseTriage(answer: Record<string, unknown>): { category: TriageCategory; confidence: number } | null {
  const category = answer.category;
  const confidence = typeof answer.confidence === 'number' ? answer.confidence : 0.8;
  if (typeof category !== 'string' || !TRIAGE_CATEGORIES.includes(category as TriageCategory)) return null;
  if (!(confidence >= 0 && confidence <= 1)) return null;
  return { category: category as TriageCategory, confidence };
}

export function createTriageHandler({ sql, ask, ipSalt }: TriageDeps) {
  return async (req: Request, info?: { remoteAddr?: { hostname?: string } }): Promise<Response> => {
    const refused = expectMethod(req, 'POST');
    if (refused) return refused;
    const body = await readJsonBody(req, TriageRequest);
    if (!body.ok) return body.response;

    const started = performance.now();
    // Over its hourly AI allowance an address is answered by the rules: never refused (it may be an emergency), never billed.
    // The allowance is taken only when the AI would be asked: answers from the rules (deterministic mode, an open circuit) are free.
    const ipHash = await hashAddress(ipSalt, clientAddress(req, info?.remoteAddr?.hostname));
    const outcome = await ask(TRIAGE_SYSTEM_PROMPT, body.value.text, parseTriage, async () =>
      (await mayAskAi(sql, ipHash)) ? null : 'AI allowance for this address used up this hour',
    );
    const answer = outcome.value ?? triageDeterministic(body.value.text);
    const answeredBy = outcome.value ? outcome.provider : 'deterministic';
    const latencyMs = Math.round(performance.now() - started);
    const logProvider = outcome.fellBack ? outcome.provider : answeredBy;
    try {
      await sql`
        insert into public.triage_logs (provider, category, latency_ms, cost_cents, fell_back, error)
        values (${logProvider}, ${answer.category}, ${latencyMs}, ${outcome.costCents}, ${outcome.fellBack}, ${outcome.error})`;
    } catch (err) {
      // The owner still gets their answer; the missing log line shows up in health.
      console.error(`triage log not written: ${(err as Error).message}`);
    }
    const response: TriageResponse = {
      category: answer.category,
      provider: answeredBy,
      confidence: Math.round(answer.confidence * 100) / 100,
      latencyMs,
    };
    return json(response);
  };
}
