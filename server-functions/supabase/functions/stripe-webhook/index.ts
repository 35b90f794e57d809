import { databaseFromEnv, requireEnv } from '../_shared/env.ts';
import { createStripe } from '../_shared/stripe.ts';
import { createStripeWebhookHandler } from './handler.ts';
import { serve } from '../_shared/serve.ts';

serve(
  createStripeWebhookHandler({
    sql: databaseFromEnv(),
    stripe: createStripe(requireEnv('STRIPE_SECRET_KEY'), Deno.env.get('STRIPE_API_BASE')),
    webhookSecret: requireEnv('STRIPE_WEBHOOK_SECRET'),
  }),
);
