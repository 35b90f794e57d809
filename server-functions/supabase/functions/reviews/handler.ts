// POST /functions/v1/reviews: an anonymous review for a business listed in
// search. Stored pending with a safety score from the active AI provider (the
// deterministic scorer when it is down); the client can never set status,
// score or moderation fields (the schema refuses unknown fields). Limits: 5
// reviews an hour per client address (429 + Retry-After) and no identical
// text for the same business within 24 h (409).
import { ReviewSubmission } from '../../../../shared/api/public.ts';
import { parseModerationAnswer, scoreReview } from '../../../../shared/reviews/moderation.ts';
import { readJsonBody } from '../_shared/body.ts';
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

/** The client's address as the Supabase gateway forwards it (first x-forwarded-for hop). */
export function clientAddress(req: Request, fallback = 'unknown'): string {
  const forwarded = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || req.headers.get('x-real-ip') || fallback;
}

async function hashAddress(salt: string, address: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${salt}:${address}`));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function createReviewsHandler({ sql, ask, ipSalt, limitPerHour = 5 }: ReviewDeps) {
  return async (req: Request, info?: { remoteAddr?: { hostname?: string } }): Promise<Response> => {
    const refused = expectMethod(req, 'POST');
    if (refused) return refused;
    const body = await readJsonBody(req, ReviewSubmission);
    if (!body.ok) return body.response;
    const review = body.value;

    const outcome = await ask(MODERATION_SYSTEM_PROMPT, review.text, parseModerationAnswer);
    const score = outcome.value ?? scoreReview(review.text);
    const ipHash = await hashAddress(ipSalt, clientAddress(req, info?.remoteAddr?.hostname));

    const [row] = await sql<{ result: { outcome: string; review_id?: string; retry_after_seconds?: number } }[]>`
      select public.submit_review(${review.businessId}, ${review.rating}, ${review.text}, ${review.displayName ?? null},
                                  ${score.confidence}, ${score.flags}, ${ipHash}, ${limitPerHour}) as result`;
    const result = row!.result;
    switch (result.outcome) {
      case 'created':
        return json({ id: result.review_id, status: 'pending', message: "Thanks! We'll review this as time allows (typically 1–2 weeks)." }, 201);
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
  };
}
