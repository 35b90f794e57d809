import { databaseFromEnv, requireEnv, verifierFromEnv } from '../_shared/env.ts';
import { createStripe } from '../_shared/stripe.ts';
import { createFeaturedCheckoutHandler } from './handler.ts';
import { serve } from '../_shared/serve.ts';

serve(
  createFeaturedCheckoutHandler({
    sql: databaseFromEnv(),
    stripe: createStripe(requireEnv('STRIPE_SECRET_KEY'), Deno.env.get('STRIPE_API_BASE')),
    verifier: verifierFromEnv(),
    siteUrl: Deno.env.get('SITE_URL') ?? 'https://dogtrainersdirectory.com.au',
  }),
);
