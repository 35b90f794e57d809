import { databaseFromEnv, verifierFromEnv } from '../_shared/env.ts';
import { createHealthHandler } from './handler.ts';

Deno.serve(createHealthHandler({ sql: databaseFromEnv(), verifier: verifierFromEnv() }));
