import { databaseFromEnv, verifierFromEnv } from '../_shared/env.ts';
import { createComplaintHandler } from './handler.ts';
import { serve } from '../_shared/serve.ts';

serve(createComplaintHandler({ sql: databaseFromEnv(), verifier: verifierFromEnv() }));
