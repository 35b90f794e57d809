import { databaseFromEnv, verifierFromEnv } from '../_shared/env.ts';
import { createDailyJobHandler } from './handler.ts';

Deno.serve(createDailyJobHandler({ sql: databaseFromEnv(), verifier: verifierFromEnv() }));
