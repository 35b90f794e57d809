// POST /functions/v1/reviews: an anonymous review for a business listed in
// search. Stored pending with a safety score from the active AI provider (the
// deterministic scorer when it is down); the client can never set status,
// score or moderation fields (the schema refuses unknown fields). Limits: 5
// reviews an hour per client address (429 + Retry-After) and no identical
// text for the same business within 24 h (409).
import { ReviewSubmission } from '../../../../shared/api/public.ts';
import { parseModerationAnswer, scoreReview } from '../../../../shared/reviews/moderation.ts';
import { readJsonBody } from '../_shared/body.ts';
import { clientAddress, hashAddress } from '../_shared/client.ts';
import type { Sql } from '../_shared/db.ts';
import { errorResponse, expectMethod, json } from '../_shared/http.ts';
import type { createAiRouter } from '../_shared/ai/router.ts';

export const MODERATION_SYSTEM_PROMPT =
  'You moderate anonymous reviews of dog trainers. Rate how safe the review is to publish and flag problems. ' +
  'Answer only with JSON: {"safe_confidence": 0.0-1.0, "flags": [zero or more of "spam", "profanity", "off_topic"]}.';

export interface ReviewDeps {
  sql: Sql;
  ask: ReturnType<typeof createAiRouter>;
  /** Salt for hashing client addresses; addresses themselves are never stored. */
  ipSalt: string;
  limitPerHour?: number;
}

export function createReviewsHandler({ sql, ask, ipSalt, limitPerHour = 5 }: ReviewDeps) {
  return async (req: Request, info?: { remoteAddr?: { hostname?: string } }): Promise<Response> => {
    const refused = expectMethod(req, 'POST');
    if (refused) return refused;
    const body = await readJsonBody(req, ReviewSubmission);
    if (!body.ok) return body.response;
    const review = body.value;

    const ipHash = await hashAddress(ipSalt, clientAddress(req, info?.remoteAddr?.hostname));
    // The cheap checks first: an anonymous caller must not make the server pay for a call it would refuse anyway.
    // Passed, the review takes one AI call of its address's allowance (atomically: a concurrent burst scores
    // the rest by the rules), in the same round trip.
    const [pre] = await sql<{ result: { outcome: string; retry_after_seconds?: number }; slot: boolean }[]>`
      select p.result, p.result ->> 'outcome' = 'ok' and public.take_ai_slot(${`review:${ipHash}`}, ${limitPerHour}) as slot
      from (select public.review_precheck(${review.businessId}, ${review.text}, ${ipHash}, ${limitPerHour}) as result) p`;
    if (pre!.result.outcome !== 'ok') return refusal(pre!.result);
    const outcome = pre!.slot ? await ask(MODERATION_SYSTEM_PROMPT, review.text, parseModerationAnswer) : null;
    const score = outcome?.value ?? scoreReview(review.text);

    const [row] = await sql<{ result: { outcome: string; review_id?: string; retry_after_seconds?: number } }[]>`
      select public.submit_review(${review.businessId}, ${review.rating}, ${review.text}, ${review.displayName ?? null},
                                  ${score.confidence}, ${score.flags}, ${ipHash}, ${limitPerHour}) as result`;
    const result = row!.result;
    if (result.outcome === 'created')
      return json({ id: result.review_id, status: 'pending', message: "Thanks! We'll review this as time allows (typically 1–2 weeks)." }, 201);
    return refusal(result);
  };
}

/** The answer for a submission the database refused (before scoring or, after a race, at the insert). */
function refusal(result: { outcome: string; retry_after_seconds?: number }): Response {
  switch (result.outcome) {
    case 'unknown_business':
      return errorResponse(404, 'not_found', 'businessId is not a business listed in search', { field: 'businessId' });
    case 'rate_limited':
      return errorResponse(429, 'rate_limited', `too many reviews from this address; try again in ${result.retry_after_seconds} s`, {
        field: 'client',
        headers: { 'retry-after': String(result.retry_after_seconds ?? 3600) },
      });
    case 'duplicate':
      return errorResponse(409, 'conflict', 'text was already submitted for this business in the last 24 hours', { field: 'text' });
    default:
      return errorResponse(500, 'internal', `unexpected submission outcome ${result.outcome}`);
  }
}
