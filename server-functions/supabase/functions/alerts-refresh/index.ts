import { databaseFromEnv, verifierFromEnv } from '../_shared/env.ts';
import { createAlertsRefreshHandler } from './handler.ts';
import { serve } from '../_shared/serve.ts';

serve(
  createAlertsRefreshHandler({
    sql: databaseFromEnv(),
    verifier: verifierFromEnv(),
    probeTimeoutMs: Number(Deno.env.get('DB_PROBE_TIMEOUT_MS') ?? 5000),
  }),
);
