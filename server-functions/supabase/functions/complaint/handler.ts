// POST /functions/v1/complaint (trainer JWT): a trainer's complaint about one
// of their businesses (spec 2.5), filed as the trainer (their RLS and the
// ownership checks in public.submit_complaint apply). It reaches the
// operator's console as a pending task in the next pull.
import { ComplaintRequest } from '../../../../shared/api/complaints.ts';
import { signedInUser, type JwtVerifier } from '../_shared/auth.ts';
import { readJsonBody } from '../_shared/body.ts';
import type { Sql } from '../_shared/db.ts';
import { errorResponse, expectMethod, json } from '../_shared/http.ts';

export function createComplaintHandler({ sql, verifier }: { sql: Sql; verifier: JwtVerifier }) {
  return async (req: Request): Promise<Response> => {
    const refused = expectMethod(req, 'POST');
    if (refused) return refused;
    const auth = await signedInUser(req, verifier, 'the trainer who owns the business');
    if (!auth.ok) return errorResponse(auth.status, auth.status === 401 ? 'unauthorized' : 'forbidden', auth.message);
    const body = await readJsonBody(req, ComplaintRequest);
    if (!body.ok) return body.response;
    const c = body.value;
    try {
      const row = await sql.begin(async (tx) => {
        await tx`select set_config('request.jwt.claims', ${JSON.stringify(auth.claims)}, true)`;
        await tx`set local role authenticated`;
        const [r] = await tx<{ complaint_id: string; status: string; created_at: Date; filed: boolean }[]>`
          select * from public.submit_complaint(${c.businessId}, ${c.kind}, ${c.message}, ${c.paymentId ?? null}, ${c.reviewId ?? null})`;
        return r!;
      });
      // A resend of a pending complaint is the same complaint: 200 with it, not a second one.
      return json({ id: row.complaint_id, status: row.status, createdAt: row.created_at.toISOString(), filed: row.filed }, row.filed ? 201 : 200);
    } catch (err) {
      const message = (err as Error).message;
      const field = /payment/.test(message) ? 'paymentId' : /review/.test(message) ? 'reviewId' : 'businessId';
      if (/complaint refused/.test(message)) return errorResponse(403, 'forbidden', message, { field });
      throw err;
    }
  };
}
