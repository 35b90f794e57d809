import { databaseFromEnv, verifierFromEnv } from '../_shared/env.ts';
import { createOperatorHandler } from './handler.ts';

Deno.serve(createOperatorHandler({ sql: databaseFromEnv(), verifier: verifierFromEnv() }));
