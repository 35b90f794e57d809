import { databaseFromEnv } from '../_shared/env.ts';
import { aiRouterFromEnv } from '../_shared/ai/from-env.ts';
import { createTriageHandler } from './handler.ts';

const sql = databaseFromEnv();
Deno.serve(createTriageHandler({ sql, ask: aiRouterFromEnv(sql, (name) => Deno.env.get(name)) }));
