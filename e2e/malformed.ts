// Generates malformed requests for the three public functions and the three a
// signed-in trainer calls: wrong methods and content types, oversized and
// non-JSON bodies, and one broken field at a time (missing, wrong type,
// unknown, huge, deeply nested, empty, odd unicode, injection text, a
// reference to nothing, a cursor whose decoded values are bad) on an
// otherwise valid body, so each case knows the field its error must name.
// Seeded, so a failure reproduces.
import { encodeCursor } from '../server-functions/supabase/functions/search/handler.ts';

export type MalformedFn = 'search' | 'emergency-triage' | 'reviews' | 'featured-checkout' | 'refund-request' | 'complaint';
/** The functions that need a trainer's session (the sweep sends one). */
export const TRAINER_FNS: ReadonlySet<MalformedFn> = new Set(['featured-checkout', 'refund-request', 'complaint']);

export interface MalformedCase {
  fn: MalformedFn;
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** The field the JSON error must name. */
  field: string;
  label: string;
}

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOBODY = '6f1c2a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0f'; // a well-formed id nothing has
const VALID: Record<MalformedFn, Record<string, unknown>> = {
  search: { council: 'melbourne', ageSpecialties: ['puppy'], behaviorIssues: ['pulling'], serviceType: 'private', q: 'calm', limit: 10 },
  'emergency-triage': { text: 'my dog is limping' },
  reviews: { businessId: NOBODY, rating: 4, text: 'A very patient trainer who helped our puppy.', displayName: 'Jo' },
  'featured-checkout': { businessId: NOBODY, successUrl: 'https://dogtrainersdirectory.com.au/featured/thanks' },
  'refund-request': { paymentId: NOBODY, reason: 'No leads in the first week' },
  complaint: { businessId: NOBODY, kind: 'not_featured', message: 'I paid $22 but my profile is not featured' },
};
const REQUIRED: Record<MalformedFn, string[]> = {
  search: [],
  'emergency-triage': ['text'],
  reviews: ['businessId', 'rating', 'text'],
  'featured-checkout': ['businessId'],
  'refund-request': ['paymentId'],
  complaint: ['businessId', 'kind', 'message'],
};
/** Fields a valid body may leave out, broken on their own too. */
const OPTIONAL: Partial<Record<MalformedFn, string[]>> = { search: ['cursor'], 'featured-checkout': ['cancelUrl'], complaint: ['paymentId', 'reviewId'] };
/** A valid body whose reference points at nothing: a 4xx naming the field, never a 5xx. */
const UNKNOWN_REFERENCE: Record<MalformedFn, [string, unknown] | null> = {
  search: ['council', 'atlantis'],
  'emergency-triage': null,
  reviews: ['businessId', NOBODY],
  'featured-checkout': ['businessId', NOBODY],
  'refund-request': ['paymentId', NOBODY],
  complaint: ['businessId', NOBODY],
};
const deep = (depth: number): unknown => (depth === 0 ? 'x' : [deep(depth - 1)]);

// biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as plain text on purpose
const INJECTION = ["' OR 1=1 --", '"; DROP TABLE reviews; --', '<script>alert(1)</script>', '${7*7}', '../../etc/passwd', '%00', '{{constructor}}'];
const ODD_UNICODE = ['\u202Eevil', 'zero\u200Bwidth', 'ｍｅｌｂｏｕｒｎｅ', 'mélbourne', '🐶🐶', 'Ω≈ç√', '\uFEFFbom'];
const CONTROL = ['a\u0000b', 'bell\u0007', 'esc\u001b[31m'];

/** Values that are invalid for a field of the given kind. */
function badValues(field: string, r: () => number): unknown[] {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const wrongTypes = [null, true, 42, -1.5, [], {}, ['x'], { nested: 'x' }, deep(300), 1e308];
  switch (field) {
    case 'council':
    case 'serviceType':
      return [...wrongTypes, '', 'x'.repeat(41), pick(INJECTION), pick(ODD_UNICODE), 'Melbourne', 'has space'];
    case 'ageSpecialties':
    case 'behaviorIssues':
      return [null, 'puppy', 7, {}, [pick(INJECTION)], [pick(ODD_UNICODE)], [''], Array.from({ length: 25 }, (_, i) => `x${i}`), [1, 2]];
    case 'q':
      return [...wrongTypes, '', 'x'.repeat(101 + Math.floor(r() * 500)), pick(CONTROL)];
    case 'limit':
      // biome-ignore lint/correctness/noPrecisionLoss: 1e309 is Infinity on purpose (JSON.stringify sends null)
      return [0, -1, 51, 1e9, 2.5, '10', null, true, [], 1e309];
    case 'cursor': {
      // Well-formed cursors whose decoded values are not: checked as the cursor, never reaching SQL.
      const inside = [
        [false, 'Calm\u0000Paws', NOBODY],
        [false, 'Calm\ud800Paws', NOBODY],
        [false, 'x'.repeat(1000), NOBODY],
        ['yes', 'Calm Paws', NOBODY],
        [false, { $gt: '' }, NOBODY],
        [false, 'Calm Paws', "x' or 1=1 --"],
        [false, 'Calm Paws'],
        [false, 'Calm Paws', NOBODY, 'extra'],
      ].map((k) => encodeCursor(k as never));
      return [42, null, '', pick(INJECTION), 'x'.repeat(201), 'bm90LWEtY3Vyc29y', pick(ODD_UNICODE), ...inside];
    }
    case 'successUrl':
    case 'cancelUrl':
      return [...wrongTypes, '', 'not a url', 'javascript:alert(1)', `https://x.example/${'p'.repeat(600)}`, pick(CONTROL)];
    case 'kind':
      return [...wrongTypes, '', 'refund', 'NOT_FEATURED', pick(INJECTION), pick(ODD_UNICODE)];
    case 'paymentId':
    case 'reviewId':
      return [...wrongTypes, '', 'not-a-uuid', pick(INJECTION), pick(ODD_UNICODE)];
    case 'reason':
      return [...wrongTypes, pick(CONTROL), 'half \ud83d of an emoji', 'x'.repeat(2001 + Math.floor(r() * 3000))];
    case 'message':
      return [...wrongTypes, '', '   ', pick(CONTROL), 'half \ud83d of an emoji', 'x'.repeat(4001 + Math.floor(r() * 3000))];
    case 'text':
      return [...wrongTypes, '', '   ', pick(CONTROL), 'half \ud83d of an emoji', 'x'.repeat(2001 + Math.floor(r() * 3000))];
    case 'businessId':
      return [...wrongTypes, '', 'not-a-uuid', pick(INJECTION), pick(ODD_UNICODE), '6f1c2a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0'];
    case 'rating':
      // biome-ignore lint/correctness/noPrecisionLoss: 1e309 is Infinity on purpose (JSON.stringify sends null)
      return [0, 6, 3.5, '5', null, true, [], {}, -3, 1e309];
    case 'displayName':
      return [...wrongTypes, '', 'n'.repeat(61), pick(CONTROL)];
    default:
      return [null];
  }
}

export function* malformedRequests(count: number, seed = 20261126): Generator<MalformedCase> {
  const r = rng(seed);
  const fns = Object.keys(VALID) as MalformedFn[];
  const json = { 'content-type': 'application/json' };
  for (let i = 0; i < count; i++) {
    const fn = fns[i % fns.length]!;
    const valid = VALID[fn];
    const kind = Math.floor(r() * 10);
    if (kind === 0) {
      const method = ['GET', 'PUT', 'DELETE', 'PATCH'][Math.floor(r() * 4)]!;
      yield { fn, method, headers: json, ...(method === 'GET' ? {} : { body: JSON.stringify(valid) }), field: 'method', label: `${fn} ${method}` };
    } else if (kind === 1) {
      const type = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml'][Math.floor(r() * 4)]!;
      yield { fn, method: 'POST', headers: { 'content-type': type }, body: 'text=hello', field: 'content-type', label: `${fn} as ${type}` };
    } else if (kind === 2) {
      const size = 17 * 1024 + Math.floor(r() * 200_000);
      yield { fn, method: 'POST', headers: json, body: JSON.stringify({ ...valid, text: 'x'.repeat(size) }), field: 'body', label: `${fn} ${size} B body` };
    } else if (kind === 3) {
      const bodies: (string | Uint8Array)[] = [
        '',
        '{',
        'null',
        '[]',
        '"text"',
        '42',
        '{"text":}',
        "{'text':'x'}",
        new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      ];
      const body = bodies[Math.floor(r() * bodies.length)]!;
      yield { fn, method: 'POST', headers: json, body, field: 'body', label: `${fn} body ${String(body).slice(0, 12)}` };
    } else if (kind === 4 && UNKNOWN_REFERENCE[fn]) {
      const [field, value] = UNKNOWN_REFERENCE[fn]!;
      yield { fn, method: 'POST', headers: json, body: JSON.stringify({ ...valid, [field]: value }), field, label: `${fn} ${field} that does not exist` };
    } else {
      const fields = [...Object.keys(valid), ...(OPTIONAL[fn] ?? [])];
      const choice = Math.floor(r() * (fields.length + 2));
      if (choice === fields.length) {
        const unknown = [
          'status',
          'ai_confidence',
          'moderatedBy',
          'isAdmin',
          'role',
          'version',
          '__proto__',
          'constructor',
          ODD_UNICODE[i % ODD_UNICODE.length]!,
        ][Math.floor(r() * 9)]!;
        const body = JSON.stringify(valid).replace(/^\{/, `{${JSON.stringify(unknown)}:"x",`);
        yield { fn, method: 'POST', headers: json, body, field: unknown, label: `${fn} unknown field ${unknown}` };
      } else if (choice === fields.length + 1 && REQUIRED[fn].length) {
        const missing = REQUIRED[fn][Math.floor(r() * REQUIRED[fn].length)]!;
        const { [missing]: _drop, ...rest } = valid;
        yield { fn, method: 'POST', headers: json, body: JSON.stringify(rest), field: missing, label: `${fn} missing ${missing}` };
      } else {
        const field = fields[choice % fields.length]!;
        const values = badValues(field, r);
        const value = values[Math.floor(r() * values.length)];
        const body = JSON.stringify({ ...valid, [field]: value });
        // JSON.stringify writes Infinity as null; send a literal 1e309 instead.
        const raw = value === Infinity ? body.replace(`"${field}":null`, `"${field}":1e309`) : body;
        const field2 = Buffer.byteLength(raw) > 16 * 1024 ? 'body' : field;
        yield { fn, method: 'POST', headers: json, body: raw, field: field2, label: `${fn} ${field}=${JSON.stringify(value)?.slice(0, 30)}` };
      }
    }
  }
}
