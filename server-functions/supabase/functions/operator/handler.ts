// The operator API (/functions/v1/operator). Every route requires a Supabase
// session whose app_metadata.role is "operator"; the check is made here, on the
// server, whatever the console does. Routes grow with the sync engine.
import { authenticate, isOperator, type JwtVerifier } from '../_shared/auth.ts';
import type { Sql } from '../_shared/db.ts';
import { errorResponse, json, preflight } from '../_shared/http.ts';

export interface OperatorDeps {
  sql: Sql;
  verifier: JwtVerifier;
}

export function createOperatorHandler({ verifier }: OperatorDeps) {
  return async (req: Request): Promise<Response> => {
    const early = preflight(req);
    if (early) return early;
    const auth = await authenticate(req, verifier);
    if (!auth.ok) return errorResponse(auth.status, 'unauthorized', auth.message);
    if (!isOperator(auth.claims)) {
      return errorResponse(403, 'forbidden', 'this API is for the operator role only (app_metadata.role must be "operator")');
    }
    const route = new URL(req.url).pathname.replace(/^\/operator/, '') || '/';
    if (route === '/me' && req.method === 'GET') {
      return json({ id: auth.claims.sub, email: auth.claims.email ?? null, role: 'operator' });
    }
    return errorResponse(404, 'not_found', `no operator route ${req.method} ${route}`);
  };
}
