// Reads and validates a JSON request body against one schema from shared/,
// answering bad input with a 4xx that names the field, never a 5xx.
import type { z } from 'zod';
import { firstIssue } from '../../../../shared/api/public.ts';
import { errorResponse } from './http.ts';

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

export type BodyResult<T> = { ok: true; value: T } | { ok: false; response: Response };

export async function readJsonBody<S extends z.ZodType>(req: Request, schema: S, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<BodyResult<z.infer<S>>> {
  const fail = (status: number, type: Parameters<typeof errorResponse>[1], field: string, message: string) => ({
    ok: false as const,
    response: errorResponse(status, type, `${field} ${message}`, { field }),
  });
  const type = req.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type.trim())) {
    return fail(415, 'bad_request', 'content-type', 'must be application/json');
  }
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return fail(413, 'bad_request', 'body', `is larger than ${maxBytes} bytes`);
  let raw: Uint8Array;
  try {
    raw = new Uint8Array(await req.arrayBuffer());
  } catch {
    return fail(400, 'bad_request', 'body', 'could not be read');
  }
  if (raw.byteLength > maxBytes) return fail(413, 'bad_request', 'body', `is larger than ${maxBytes} bytes`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return fail(400, 'bad_request', 'body', 'is not valid UTF-8');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail(400, 'bad_request', 'body', 'is not valid JSON');
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return fail(400, 'bad_request', 'body', 'must be a JSON object');
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error);
    return fail(400, 'bad_request', issue.field, issue.message);
  }
  return { ok: true, value: parsed.data };
}
