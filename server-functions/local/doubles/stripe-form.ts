// Request side of the Stripe double: decoding the form bodies and query strings
// stripe-node sends, and reading typed parameters out of them with the error
// shapes Stripe answers with, so a wrong call fails here the way it would fail
// against api.stripe.com (not silently succeed against a lenient fake).
//
// stripe-node encodes nested params with brackets (metadata[business_id]=…,
// line_items[0][price_data][unit_amount]=2200) and arrays with indices
// (expand[0]=…, types[0]=…); curl users write expand[]=…. Both decode here.

export type Params = { [key: string]: Param };
export type Param = string | Params | Param[];

/** An error Stripe would answer with: {error: {type, code, message, param}} and an HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
    /** Param validation fails before the endpoint runs, so Stripe stores no idempotent result for it. */
    readonly beforeExecution = false,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): { error: Record<string, unknown> } {
    return {
      error: {
        ...(this.code ? { code: this.code, doc_url: `https://stripe.com/docs/error-codes/${this.code.replace(/_/g, '-')}` } : {}),
        message: this.message,
        ...(this.param ? { param: this.param } : {}),
        ...this.extra,
        type: this.type,
      },
    };
  }
}

export const invalid = (message: string, param?: string, code?: string) => new ApiError(400, 'invalid_request_error', message, code, param, true);

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw invalid(`Invalid URL encoding: ${part.slice(0, 40)}`);
  }
}

/** Indexed children (a[0], a[1], a[]) become arrays once the whole string is read. */
function arraysFromIndices(node: Param): Param {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(arraysFromIndices);
  const keys = Object.keys(node);
  const indexed = keys.length > 0 && keys.every((k) => /^\d+$/.test(k));
  if (indexed)
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => arraysFromIndices(node[String(k)]!));
  const out: Params = {};
  for (const k of keys) out[k] = arraysFromIndices(node[k]!);
  return out;
}

/** Decodes `a=1&b[c]=2&d[0]=x&e[]=y` into nested objects and arrays. */
export function parseForm(text: string): Params {
  const root: Params = {};
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!match) throw invalid(`Invalid parameter name: ${rawKey}`, rawKey);
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
    let node: Params = root;
    for (let i = 0; i < path.length; i++) {
      let key = path[i]!;
      if (key === '') key = String(Object.keys(node).length); // e[] appends
      const last = i === path.length - 1;
      const existing = node[key];
      if (last) {
        if (existing !== undefined && typeof existing !== 'string') throw invalid(`Invalid value for ${rawKey}: it is both a value and a hash`, rawKey);
        node[key] = value;
      } else {
        if (typeof existing === 'string') throw invalid(`Invalid value for ${rawKey}: it is both a value and a hash`, rawKey);
        if (existing === undefined) node[key] = {};
        node = node[key] as Params;
      }
    }
  }
  return arraysFromIndices(root) as Params;
}

/** A stable text for comparing two requests' parameters (idempotency): keys sorted, order of arrays kept. */
export function canonical(value: Param | undefined): string {
  if (value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
    .join(',')}}`;
}

/** Stripe rejects parameters it does not know: a typo fails loudly instead of being ignored. */
export function onlyKnown(params: Params, allowed: readonly string[], prefix = ''): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key))
      throw invalid(`Received unknown parameter: ${prefix ? `${prefix}[${key}]` : key}`, prefix ? `${prefix}[${key}]` : key, 'parameter_unknown');
  }
}

export function hash(params: Params, key: string, name = key): Params | undefined {
  const v = params[key];
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'string' || Array.isArray(v)) throw invalid(`Invalid object`, name);
  return v;
}

export function str(params: Params, key: string, name = key): string | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalid(`Invalid string: ${JSON.stringify(v).slice(0, 40)}`, name);
  return v;
}

export function requireStr(params: Params, key: string, name = key): string {
  const v = str(params, key, name);
  if (v === undefined || v === '') throw invalid(`Missing required param: ${name}.`, name, 'parameter_missing');
  return v;
}

export function int(params: Params, key: string, name = key): number | undefined {
  const v = str(params, key, name);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw invalid(`Invalid integer: ${v}`, name, 'parameter_invalid_integer');
  return Number(v);
}

export function requireInt(params: Params, key: string, name = key): number {
  const v = int(params, key, name);
  if (v === undefined) throw invalid(`Missing required param: ${name}.`, name, 'parameter_missing');
  return v;
}

export function bool(params: Params, key: string): boolean | undefined {
  const v = str(params, key);
  if (v === undefined || v === '') return undefined;
  if (v !== 'true' && v !== 'false') throw invalid(`Invalid boolean: ${v}`, key);
  return v === 'true';
}

export function strings(params: Params, key: string): string[] {
  const v = params[key];
  if (v === undefined || v === '') return [];
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalid(`Invalid array`, key);
  return v as string[];
}

/** Stripe's metadata limits: 50 keys, key ≤ 40 chars, value ≤ 500 chars; an empty value unsets the key. */
export function metadata(params: Params, key = 'metadata', name = key): Record<string, string> | undefined {
  const v = hash(params, key, name);
  if (!v) return params[key] === '' ? {} : undefined;
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) {
    if (typeof value !== 'string') throw invalid(`Invalid value for ${name}[${k}]: metadata values must be strings`, `${name}[${k}]`);
    if (k.length > 40) throw invalid(`Metadata keys can have at most 40 characters (${k}).`, `${name}[${k}]`);
    if (value.length > 500) throw invalid(`Metadata values can have at most 500 characters (${k}).`, `${name}[${k}]`);
    if (value !== '') out[k] = value;
  }
  if (Object.keys(out).length > 50) throw invalid('Metadata can have at most 50 keys.', name);
  return out;
}

export interface Range {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

/** `created=123` or `created[gte]=…&created[lt]=…`. */
export function range(params: Params, key: string): Range | undefined {
  const v = params[key];
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'string') {
    const n = int(params, key);
    return n === undefined ? undefined : { gte: n, lte: n };
  }
  if (Array.isArray(v)) throw invalid('Invalid hash', key);
  onlyKnown(v, ['gt', 'gte', 'lt', 'lte'], key);
  const out: Range = {};
  for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
    const n = int(v, op, `${key}[${op}]`);
    if (n !== undefined) out[op] = n;
  }
  return out;
}

export function inRange(value: number, r: Range | undefined): boolean {
  if (!r) return true;
  return (
    (r.gt === undefined || value > r.gt) &&
    (r.gte === undefined || value >= r.gte) &&
    (r.lt === undefined || value < r.lt) &&
    (r.lte === undefined || value <= r.lte)
  );
}
