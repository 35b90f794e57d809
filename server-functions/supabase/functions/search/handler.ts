// POST /functions/v1/search: public trainer search. Visible businesses only,
// featured first, then by name; keyset pagination (the cursor is opaque to
// clients) and a capped page size; public columns only.
import { SearchQuery } from '../../../../shared/api/public.ts';
import { readJsonBody } from '../_shared/body.ts';
import type { Sql } from '../_shared/db.ts';
import { errorResponse, expectMethod, json } from '../_shared/http.ts';
import type { createSearchEventRecorder } from './events.ts';

export interface SearchDeps {
  sql: Sql;
  events: ReturnType<typeof createSearchEventRecorder>;
  now?: () => Date;
}

interface Row {
  id: string;
  council_id: string;
  name: string;
  suburb: string | null;
  description: string | null;
  age_specialties: string[];
  behavior_issues: string[];
  service_types: string[];
  phone: string | null;
  email: string | null;
  website: string | null;
  featured: boolean;
}

type Keyset = [featured: boolean, name: string, id: string];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A business name as we store them: no control characters, well-formed text, not longer than a name can be. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const storableName = (name: string) => name.length <= 200 && !/\p{Cc}/u.test(name) && !LONE_SURROGATE.test(name);

export function encodeCursor(keyset: Keyset): string {
  return btoa(unescape(encodeURIComponent(JSON.stringify(keyset))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export function decodeCursor(cursor: string): Keyset | null {
  try {
    const text = decodeURIComponent(escape(atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))));
    const value = JSON.parse(text) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      typeof value[0] === 'boolean' &&
      typeof value[1] === 'string' &&
      // Decoded text reaches SQL too: a name Postgres cannot hold (NUL, a lone surrogate) must be a 400, not a 500.
      storableName(value[1]) &&
      typeof value[2] === 'string' &&
      UUID.test(value[2])
    ) {
      return value as Keyset;
    }
  } catch {
    // fall through
  }
  return null;
}

export function createSearchHandler({ sql, events, now = () => new Date() }: SearchDeps) {
  return async (req: Request): Promise<Response> => {
    const refused = expectMethod(req, 'POST');
    if (refused) return refused;
    const body = await readJsonBody(req, SearchQuery);
    if (!body.ok) return body.response;
    const query = body.value;
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    if (query.cursor && !after) return errorResponse(400, 'bad_request', 'cursor is not a cursor this API issued', { field: 'cursor' });
    const limit = query.limit ?? 20;

    const started = performance.now();
    const rows = await sql<Row[]>`
      select * from public.search_businesses(
        ${query.council ?? null}, ${query.ageSpecialties ?? null}, ${query.behaviorIssues ?? null},
        ${query.serviceType ?? null}, ${query.q ?? null},
        ${after ? after[0] : null}, ${after ? after[1] : null}, ${after ? after[2] : null}, ${limit})`;
    const latencyMs = Math.round(performance.now() - started);
    // No result may mean no such council: say so (a 404 naming the field),
    // and record nothing for it. Asked only then, so a search with results
    // costs no extra query.
    if (rows.length === 0 && query.council) {
      const [known] = await sql<{ ok: boolean }[]>`select exists (select 1 from public.councils where id = ${query.council}) as ok`;
      if (!known!.ok) return errorResponse(404, 'not_found', `council ${query.council} does not exist`, { field: 'council' });
    }

    events.record({
      occurredAt: now(),
      councilId: query.council ?? null,
      filters: {
        ...(query.ageSpecialties ? { ageSpecialties: query.ageSpecialties } : {}),
        ...(query.behaviorIssues ? { behaviorIssues: query.behaviorIssues } : {}),
        ...(query.serviceType ? { serviceType: query.serviceType } : {}),
        ...(query.q ? { hasText: true } : {}),
        ...(after ? { page: 'next' } : {}),
      },
      resultCount: rows.length,
      latencyMs,
    });

    const last = rows[rows.length - 1];
    return json({
      results: rows.map((r) => ({
        id: r.id,
        councilId: r.council_id,
        name: r.name,
        suburb: r.suburb,
        description: r.description,
        ageSpecialties: r.age_specialties,
        behaviorIssues: r.behavior_issues,
        serviceTypes: r.service_types,
        phone: r.phone,
        email: r.email,
        website: r.website,
        featured: r.featured,
      })),
      nextCursor: last && rows.length === limit ? encodeCursor([last.featured, last.name, last.id]) : null,
    });
  };
}
