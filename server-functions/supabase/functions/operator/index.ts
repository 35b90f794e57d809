import { databaseFromEnv, requireEnv, verifierFromEnv } from '../_shared/env.ts';
import { createStripe } from '../_shared/stripe.ts';
import { createOperatorHandler } from './handler.ts';
import { serve } from '../_shared/serve.ts';

serve(
  createOperatorHandler({
    sql: databaseFromEnv(),
    verifier: verifierFromEnv(),
    stripe: createStripe(requireEnv('STRIPE_SECRET_KEY'), Deno.env.get('STRIPE_API_BASE')),
  }),
);
