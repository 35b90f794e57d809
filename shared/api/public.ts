// The public site's request bodies: one schema per function, used by the edge
// functions to validate and by any client to build requests. Unknown fields
// are refused (strict), so a client can never smuggle status, confidence or
// moderation fields into a review.
import { z } from 'zod';
import { humanText } from './text.ts';

const slug = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be a lower-case slug like "puppy" or "melbourne"');

export const TriageRequest = z
  .object({
    text: humanText(1, 2000).refine((s) => s.trim().length > 0, 'must not be blank'),
  })
  .strict();
export type TriageRequest = z.infer<typeof TriageRequest>;

export const TriageResponse = z.object({
  category: z.enum(['medical', 'crisis', 'stray', 'normal']),
  provider: z.enum(['z_ai', 'secondary', 'deterministic']),
  confidence: z.number().min(0).max(1),
  latencyMs: z.number().int().min(0),
});
export type TriageResponse = z.infer<typeof TriageResponse>;

export const ReviewSubmission = z
  .object({
    businessId: z.uuid('must be a business id (uuid)'),
    rating: z.number().int('must be a whole number').min(1, 'must be 1 to 5').max(5, 'must be 1 to 5'),
    text: humanText(20, 2000).refine((s) => s.trim().length >= 20, 'must be at least 20 characters'),
    displayName: humanText(1, 60).optional(),
  })
  .strict();
export type ReviewSubmission = z.infer<typeof ReviewSubmission>;

export const SEARCH_PAGE_MAX = 50;

export const SearchQuery = z
  .object({
    council: slug.optional(),
    ageSpecialties: z.array(slug).max(10, 'at most 10 values').optional(),
    behaviorIssues: z.array(slug).max(20, 'at most 20 values').optional(),
    serviceType: slug.optional(),
    q: humanText(1, 100).optional(),
    limit: z.number().int('must be a whole number').min(1).max(SEARCH_PAGE_MAX, `at most ${SEARCH_PAGE_MAX}`).optional(),
    cursor: z
      .string()
      .max(200, 'is not a cursor this API issued')
      .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor this API issued')
      .optional(),
  })
  .strict();
export type SearchQuery = z.infer<typeof SearchQuery>;

/** The first problem in a failed parse, as `{ field, message }` a person can act on. */
export function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: 'body', message: 'is invalid' };
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? 'body';
    return { field: [...issue.path, key].join('.'), message: 'is not a field this API accepts' };
  }
  const field = issue.path.length ? issue.path.join('.') : 'body';
  return { field, message: issue.message };
}
