// Response helpers shared by every function: JSON bodies, CORS for the public
// site, and one error shape `{ error: { type, message, field? } }` so callers
// can show what was wrong.
export const corsHeaders: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, x-client-info, apikey, content-type, idempotency-key',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
};

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...corsHeaders, ...headers },
  });
}

/** A JSON body the database already rendered: sent as is, no parse and stringify on the way. */
export function rawJson(text: string, status = 200): Response {
  return new Response(text, { status, headers: { 'content-type': 'application/json; charset=utf-8', ...corsHeaders } });
}

export type ErrorType =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export function errorResponse(status: number, type: ErrorType, message: string, extra: { field?: string; headers?: Record<string, string> } = {}): Response {
  const error: Record<string, unknown> = { type, message };
  if (extra.field) error.field = extra.field;
  return json({ error }, status, extra.headers);
}

/** Answers CORS preflight; returns null for every other request. */
export function preflight(req: Request): Response | null {
  return req.method === 'OPTIONS' ? new Response(null, { status: 204, headers: corsHeaders }) : null;
}

/**
 * The opening every handler shares: answers a CORS preflight, refuses any
 * other method than `method` with 405 naming it; null means go on.
 */
export function expectMethod(req: Request, method: 'GET' | 'POST'): Response | null {
  return (
    preflight(req) ??
    (req.method === method ? null : errorResponse(405, 'method_not_allowed', `method ${req.method} is not allowed; use ${method}`, { field: 'method' }))
  );
}
