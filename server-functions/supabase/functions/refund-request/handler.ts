// POST /functions/v1/refund-request (trainer JWT): records a refund request
// with the server's time, as the trainer (their RLS and the ownership check
// in public.submit_refund_request apply). The operator decides later; the
// 72-hour window is measured to this stamp.
import { RefundRequestBody } from '../../../../shared/api/trainer.ts';
import { signedInUser, type JwtVerifier } from '../_shared/auth.ts';
import { readJsonBody } from '../_shared/body.ts';
import type { Sql } from '../_shared/db.ts';
import { errorResponse, expectMethod, json } from '../_shared/http.ts';

export function createRefundRequestHandler({ sql, verifier }: { sql: Sql; verifier: JwtVerifier }) {
  return async (req: Request): Promise<Response> => {
    const refused = expectMethod(req, 'POST');
    if (refused) return refused;
    const auth = await signedInUser(req, verifier, 'the trainer who made the purchase');
    if (!auth.ok) return errorResponse(auth.status, auth.status === 401 ? 'unauthorized' : 'forbidden', auth.message);
    const body = await readJsonBody(req, RefundRequestBody);
    if (!body.ok) return body.response;
    try {
      const request = await sql.begin(async (tx) => {
        await tx`select set_config('request.jwt.claims', ${JSON.stringify(auth.claims)}, true)`;
        await tx`set local role authenticated`;
        const [row] = await tx<{ id: string; status: string; requested_at: Date }[]>`
          select id, status, requested_at from public.submit_refund_request(${body.value.paymentId}, ${body.value.reason ?? null})`;
        return row!;
      });
      return json({ id: request.id, status: request.status, requestedAt: request.requested_at.toISOString() }, 201);
    } catch (err) {
      const message = (err as Error).message;
      if (/refund request refused/.test(message)) return errorResponse(409, 'conflict', message, { field: 'paymentId' });
      throw err;
    }
  };
}
