import { databaseFromEnv, verifierFromEnv } from '../_shared/env.ts';
import { createHealthHandler } from './handler.ts';
import { serve } from '../_shared/serve.ts';

serve(createHealthHandler({ sql: databaseFromEnv(), verifier: verifierFromEnv() }));
