import { databaseFromEnv } from '../_shared/env.ts';
import { createSearchEventRecorder } from './events.ts';
import { createSearchHandler } from './handler.ts';
import { serve } from '../_shared/serve.ts';

const sql = databaseFromEnv();
serve(createSearchHandler({ sql, events: createSearchEventRecorder(sql) }));
