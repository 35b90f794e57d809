import { databaseFromEnv, requireEnv } from '../_shared/env.ts';
import { createAiModeReader } from '../_shared/ai/mode.ts';
import { providersFromEnv } from '../_shared/ai/providers-from-env.ts';
import { createAiRouter } from '../_shared/ai/router.ts';
import { createReviewsHandler } from './handler.ts';

const sql = databaseFromEnv();
const ask = createAiRouter({
  sql,
  providers: providersFromEnv((name) => Deno.env.get(name)),
  aiMode: createAiModeReader(sql),
  timeoutMs: Number(Deno.env.get('AI_TIMEOUT_MS') ?? '3000'),
});
const ipSalt = Deno.env.get('REVIEW_IP_SALT') ?? requireEnv('SUPABASE_SERVICE_ROLE_KEY');
Deno.serve(createReviewsHandler({ sql, ask, ipSalt }));
