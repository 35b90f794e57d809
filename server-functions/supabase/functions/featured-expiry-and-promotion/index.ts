import { databaseFromEnv, verifierFromEnv } from '../_shared/env.ts';
import { createDailyJobHandler } from './handler.ts';
import { serve } from '../_shared/serve.ts';

serve(createDailyJobHandler({ sql: databaseFromEnv(), verifier: verifierFromEnv() }));
