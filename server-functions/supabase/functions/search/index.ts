import { databaseFromEnv } from '../_shared/env.ts';
import { createSearchEventRecorder } from './events.ts';
import { createSearchHandler } from './handler.ts';

const sql = databaseFromEnv();
Deno.serve(createSearchHandler({ sql, events: createSearchEventRecorder(sql) }));
