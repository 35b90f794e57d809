// POST /functions/v1/email-sender (service role or operator): sends what is
// queued in email_outbox. The scheduler calls it every few minutes.
import { schedulerOrOperator, type JwtVerifier } from '../_shared/auth.ts';
import type { Sql } from '../_shared/db.ts';
import { errorResponse, expectMethod, json } from '../_shared/http.ts';
import { sendQueuedEmails, type EmailSenderConfig } from '../_shared/email/sender.ts';

export function createEmailSenderHandler(deps: { sql: Sql; verifier: JwtVerifier; config: EmailSenderConfig }) {
  return async (req: Request): Promise<Response> => {
    const refused = expectMethod(req, 'POST');
    if (refused) return refused;
    const auth = await schedulerOrOperator(req, deps.verifier, 'send emails');
    if (!auth.ok) return errorResponse(auth.status, auth.status === 401 ? 'unauthorized' : 'forbidden', auth.message);
    return json(await sendQueuedEmails(deps.sql, deps.config));
  };
}
