import { databaseFromEnv, requireEnv, verifierFromEnv } from '../_shared/env.ts';
import { createStripe } from '../_shared/stripe.ts';
import { createStripeSweepHandler } from './handler.ts';
import { serve } from '../_shared/serve.ts';

serve(
  createStripeSweepHandler({
    sql: databaseFromEnv(),
    stripe: createStripe(requireEnv('STRIPE_SECRET_KEY'), Deno.env.get('STRIPE_API_BASE')),
    verifier: verifierFromEnv(),
  }),
);
