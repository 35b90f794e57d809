import { databaseFromEnv, verifierFromEnv } from '../_shared/env.ts';
import { createEmailSenderHandler } from './handler.ts';
import { serve } from '../_shared/serve.ts';

serve(
  createEmailSenderHandler({
    sql: databaseFromEnv(),
    verifier: verifierFromEnv(),
    config: {
      apiKey: Deno.env.get('RESEND_API_KEY'),
      baseUrl: Deno.env.get('RESEND_API_BASE'),
      from: Deno.env.get('EMAIL_FROM') ?? 'DTD Operations <operations@dogtrainersdirectory.com.au>',
    },
  }),
);
