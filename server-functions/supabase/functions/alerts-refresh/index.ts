import { providersFromEnv } from '../_shared/ai/providers-from-env.ts';
import { databaseFromEnv, verifierFromEnv } from '../_shared/env.ts';
import { createAlertsRefreshHandler } from './handler.ts';
import { serve } from '../_shared/serve.ts';

serve(
  createAlertsRefreshHandler({
    sql: databaseFromEnv(),
    verifier: verifierFromEnv(),
    probeTimeoutMs: Number(Deno.env.get('DB_PROBE_TIMEOUT_MS') ?? 5000),
    zai: providersFromEnv((name) => Deno.env.get(name)).z_ai ?? null,
    aiTimeoutMs: Number(Deno.env.get('AI_TIMEOUT_MS') ?? '3000'),
  }),
);
