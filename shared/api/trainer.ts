// Request bodies of the functions a signed-in trainer calls.
import { z } from 'zod';
import { humanText } from './text.ts';

const httpsUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(500);

export const FeaturedCheckoutRequest = z
  .object({
    businessId: z.uuid('must be a business id (uuid)'),
    successUrl: httpsUrl.optional(),
    cancelUrl: httpsUrl.optional(),
  })
  .strict();
export type FeaturedCheckoutRequest = z.infer<typeof FeaturedCheckoutRequest>;

export const RefundRequestBody = z
  .object({
    paymentId: z.uuid('must be a payment id (uuid)'),
    reason: humanText(0, 2000).optional(),
  })
  .strict();
export type RefundRequestBody = z.infer<typeof RefundRequestBody>;
