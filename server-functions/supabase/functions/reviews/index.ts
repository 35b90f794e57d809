import { databaseFromEnv, requireEnv } from '../_shared/env.ts';
import { aiRouterFromEnv } from '../_shared/ai/from-env.ts';
import { createReviewsHandler } from './handler.ts';
import { serve } from '../_shared/serve.ts';

const sql = databaseFromEnv();
const ipSalt = Deno.env.get('REVIEW_IP_SALT') ?? requireEnv('SUPABASE_SERVICE_ROLE_KEY');
serve(createReviewsHandler({ sql, ask: aiRouterFromEnv(sql, (name) => Deno.env.get(name)), ipSalt }));
