import { databaseFromEnv, requireEnv, verifierFromEnv } from '../_shared/env.ts';
import { providersFromEnv } from '../_shared/ai/providers-from-env.ts';
import { createStripe } from '../_shared/stripe.ts';
import { createOperatorHandler } from './handler.ts';
import { serve } from '../_shared/serve.ts';

serve(
  createOperatorHandler({
    sql: databaseFromEnv(),
    verifier: verifierFromEnv(),
    stripe: createStripe(requireEnv('STRIPE_SECRET_KEY'), Deno.env.get('STRIPE_API_BASE')),
    // The playbooks' live checks call our own functions through the public gateway, as a visitor or Stripe would.
    callFunction: (name, init) =>
      fetch(`${requireEnv('SUPABASE_URL')}/functions/v1/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', apikey: Deno.env.get('SUPABASE_ANON_KEY') ?? '', ...init.headers },
        body: init.body,
      }),
    webhookSecret: Deno.env.get('STRIPE_WEBHOOK_SECRET') ?? null,
    zai: providersFromEnv((name) => Deno.env.get(name)).z_ai ?? null,
    // The same lifetime emergency-triage caches AI_MODE for (_shared/ai/from-env.ts).
    aiModeTtlMs: Number(Deno.env.get('AI_MODE_TTL_MS') ?? '30000'),
  }),
);
