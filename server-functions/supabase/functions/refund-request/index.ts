import { databaseFromEnv, verifierFromEnv } from '../_shared/env.ts';
import { createRefundRequestHandler } from './handler.ts';

Deno.serve(createRefundRequestHandler({ sql: databaseFromEnv(), verifier: verifierFromEnv() }));
