import { databaseFromEnv, verifierFromEnv } from '../_shared/env.ts';
import { createRefundRequestHandler } from './handler.ts';
import { serve } from '../_shared/serve.ts';

serve(createRefundRequestHandler({ sql: databaseFromEnv(), verifier: verifierFromEnv() }));
