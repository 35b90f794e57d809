import { databaseFromEnv, requireEnv, verifierFromEnv } from '../_shared/env.ts';
import { serve } from '../_shared/serve.ts';
import { createStripe } from '../_shared/stripe.ts';
import { createReconciliationHandler } from './handler.ts';

serve(
  createReconciliationHandler({
    sql: databaseFromEnv(),
    stripe: createStripe(requireEnv('STRIPE_SECRET_KEY'), Deno.env.get('STRIPE_API_BASE')),
    verifier: verifierFromEnv(),
  }),
);
