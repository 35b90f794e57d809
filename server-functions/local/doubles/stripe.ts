// A local double of Stripe's REST API (the subset this project calls) and of
// its webhook deliveries, so the real `stripe` SDK and the real webhook
// signature check run in tests and in the local stack, unchanged:
//   new Stripe('sk_test_local', { host: '127.0.0.1', port, protocol: 'http' })
// It answers like api.stripe.com: form-encoded requests, JSON objects, list
// envelopes, error envelopes with Stripe's statuses, Idempotency-Key replay,
// and signed event deliveries with retries. What a customer or a person at
// the dashboard would do (pay a checkout, resend an event, pause the
// endpoint) is under /__double/… over HTTP and as methods on the handle.
//
// Files: stripe-form.ts (request decoding, errors), stripe-store.ts (objects,
// lists, clock), stripe-api.ts (endpoints' effects and events),
// stripe-webhooks.ts (delivery), this file (HTTP, auth, idempotency, controls).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Stripe from 'stripe';
import { StripeBank, type Paid, type PaymentEventOrder } from './stripe-api.ts';
import { ApiError, canonical, invalid, onlyKnown, parseForm, type Params } from './stripe-form.ts';
import { createClock, newId, StripeStore, type DoubleClock, type RequestContext } from './stripe-store.ts';
import { signPayload, WebhookDeliverer, type DeliveryLogEntry } from './stripe-webhooks.ts';

export type { DeliveryLogEntry, DoubleClock, Paid, PaymentEventOrder };

export interface StripeDoubleOptions {
  port?: number;
  /** Where events are POSTed; both url and secret are needed before anything is sent. */
  webhookUrl?: string;
  webhookSecret?: string;
  /** Back-off before each retry; attempts per event = length + 1. Default [200, 1000, 5000]. */
  retryDelaysMs?: number[];
  deliveryTimeoutMs?: number;
  /** Only this secret key is accepted; default any sk_test_… / rk_test_… key. */
  apiKey?: string;
  /** Reported on events and responses; default the version the installed SDK pins. */
  apiVersion?: string;
  paymentEventOrder?: PaymentEventOrder;
}

export interface StripeDouble {
  /** API base for the SDK's host/port/protocol or STRIPE_API_BASE, e.g. http://127.0.0.1:41234. */
  url: string;
  port: number;
  clock: DoubleClock;
  /** Every delivery attempt so far, oldest first. */
  deliveries: DeliveryLogEntry[];
  /** Direct access to the objects, for assertions. */
  store: StripeStore;
  setWebhook(url: string | null, secret?: string | null): void;
  /** The customer pays a checkout session (what the hosted page's button does). */
  pay(sessionId: string): Paid & { session: Stripe.Checkout.Session };
  createPaidCharge(p: Parameters<StripeBank['createPaidCharge']>[0]): Paid;
  /** All events, oldest first. */
  events(): Stripe.Event[];
  pauseDeliveries(): void;
  resumeDeliveries(): void;
  redeliver(eventId: string): Promise<DeliveryLogEntry>;
  waitForDeliveries(): Promise<void>;
  /** A Stripe-Signature header for crafted tests (tampered, old, future); secret defaults to the endpoint's. */
  sign(payload: string, secret?: string, timestamp?: number): string;
  close(): Promise<void>;
}

interface SavedResponse {
  endpoint: string;
  params: string;
  status: number;
  body: string;
  requestId: string;
  at: number;
}

const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
const json = (value: unknown) => JSON.stringify(value, null, 2);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The key from `Authorization: Bearer sk_…` or curl's `-u sk_…:` (Basic). */
function apiKeyOf(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1]!;
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (basic) return Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[0] || null;
  return null;
}

export function startStripeDouble(opts: StripeDoubleOptions = {}): Promise<StripeDouble> {
  const clock = createClock();
  const apiVersion = opts.apiVersion ?? Stripe.API_VERSION;
  const webhooks = new WebhookDeliverer({
    url: opts.webhookUrl,
    secret: opts.webhookSecret,
    retryDelaysMs: opts.retryDelaysMs,
    timeoutMs: opts.deliveryTimeoutMs,
  });
  const store = new StripeStore(
    clock,
    apiVersion,
    (e) => webhooks.enqueue(e),
    () => webhooks.hasEndpoint(),
    (id) => webhooks.delivered(id),
  );
  let baseUrl = '';
  const bank = new StripeBank(store, { checkoutBase: () => baseUrl, paymentEventOrder: opts.paymentEventOrder ?? 'session-first' });
  const saved = new Map<string, SavedResponse>();

  const retrieve = <T>(obj: T, params: Params): T => {
    onlyKnown(params, ['expand']);
    return store.expand(obj, params);
  };
  type Handler = (m: RegExpExecArray, params: Params, ctx: RequestContext) => unknown;
  const id = (m: RegExpExecArray) => decodeURIComponent(m[1]!);
  const routes: [string, RegExp, Handler][] = [
    ['POST', /^\/v1\/checkout\/sessions$/, (_m, p, ctx) => bank.createCheckoutSession(p, ctx)],
    ['GET', /^\/v1\/checkout\/sessions\/([^/]+)$/, (m, p) => retrieve(bank.session(id(m)), p)],
    [
      'GET',
      /^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/,
      (m, p) => {
        onlyKnown(p, ['limit', 'expand']); // one price per purchase here, so no cursors needed
        const items = store.lineItems.get(bank.session(id(m)).id) ?? [];
        const limit = Number(p.limit ?? 10);
        return { object: 'list', data: items.slice(0, limit), has_more: items.length > limit, url: `/v1/checkout/sessions/${id(m)}/line_items` };
      },
    ],
    ['POST', /^\/v1\/payment_intents$/, (_m, p, ctx) => bank.createPaymentIntent(p, ctx)],
    ['GET', /^\/v1\/payment_intents\/([^/]+)$/, (m, p) => retrieve(bank.paymentIntent(id(m)), p)],
    ['GET', /^\/v1\/charges$/, (_m, p) => bank.listCharges(p)],
    ['GET', /^\/v1\/charges\/search$/, (_m, p) => bank.searchCharges(p)],
    ['GET', /^\/v1\/charges\/([^/]+)$/, (m, p) => retrieve(bank.charge(id(m)), p)],
    ['POST', /^\/v1\/refunds$/, (_m, p, ctx) => bank.createRefund(p, ctx)],
    ['GET', /^\/v1\/refunds$/, (_m, p) => bank.listRefunds(p)],
    ['GET', /^\/v1\/refunds\/([^/]+)$/, (m, p) => retrieve(bank.refund(id(m)), p)],
    ['GET', /^\/v1\/events$/, (_m, p) => bank.listEvents(p)],
    ['GET', /^\/v1\/events\/([^/]+)$/, (m, p) => retrieve(bank.event(id(m)), p)],
    // What the console's Stripe status probe asks (a cheap authenticated read); a test account's balance is nil.
    [
      'GET',
      /^\/v1\/balance$/,
      (_m, p) => {
        onlyKnown(p, []);
        const nil = [{ amount: 0, currency: 'aud', source_types: { card: 0 } }];
        return { object: 'balance', available: nil, pending: nil, livemode: false };
      },
    ],
  ];
  /** Runs one Stripe API request; returns status and JSON body, plus headers for replays. */
  function api(
    method: string,
    path: string,
    params: Params,
    key: string | null,
    requestId: string,
  ): { status: number; body: string; headers?: Record<string, string> } {
    const route = routes.find(([m, re]) => m === method && re.test(path));
    if (!route) {
      const err = new ApiError(
        404,
        'invalid_request_error',
        `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      );
      return { status: 404, body: json(err.body()) };
    }
    const endpoint = `${method} ${path}`;
    const paramsText = canonical(params);
    const now = clock.now().getTime();
    const previous = method === 'POST' && key ? saved.get(key) : undefined;
    if (previous && now - previous.at < IDEMPOTENCY_TTL_MS) {
      const mismatch =
        previous.endpoint !== endpoint
          ? `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${previous.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`
          : previous.params !== paramsText
            ? `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`
            : null;
      if (mismatch) return { status: 400, body: json(new ApiError(400, 'idempotency_error', mismatch).body()), headers: { 'stripe-should-retry': 'false' } };
      return { status: previous.status, body: previous.body, headers: { 'idempotent-replayed': 'true', 'original-request': previous.requestId } };
    }
    let status = 200;
    let body: string;
    let remember = true;
    try {
      body = json(route[2](route[1].exec(path)!, params, { requestId, idempotencyKey: key }));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      status = error.status;
      body = json(error.body());
      remember = !error.beforeExecution; // Stripe saves no result for requests that failed validation
    }
    if (method === 'POST' && key && remember) saved.set(key, { endpoint, params: paramsText, status, body, requestId, at: now });
    return { status, body };
  }

  function authError(key: string | null): ApiError | null {
    if (key === null) {
      return new ApiError(
        401,
        'invalid_request_error',
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      );
    }
    const valid = opts.apiKey ? key === opts.apiKey : /^(sk|rk)_test_\S+$/.test(key);
    if (valid) return null;
    const masked = key.length > 12 ? `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}` : key;
    return new ApiError(401, 'invalid_request_error', `Invalid API Key provided: ${masked}`);
  }

  async function control(method: string, path: string, body: string, res: ServerResponse): Promise<void> {
    const send = (status: number, value: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(json(value));
    let input: Record<string, unknown> = {};
    try {
      input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      return send(400, { error: { type: 'invalid_request_error', message: 'control endpoints take a JSON body' } });
    }
    try {
      let m: RegExpExecArray | null;
      if (method === 'POST' && path === '/__double/webhook') {
        webhooks.setEndpoint((input.url as string | null | undefined) ?? null, (input.secret as string | null | undefined) ?? null);
        return send(200, { url: webhooks.url, configured: webhooks.hasEndpoint() });
      }
      if (method === 'POST' && path === '/__double/deliveries/pause') {
        webhooks.pause();
        return send(200, { paused: true });
      }
      if (method === 'POST' && path === '/__double/deliveries/resume') {
        webhooks.resume();
        return send(200, { paused: false });
      }
      if (method === 'POST' && path === '/__double/deliveries/wait') {
        await webhooks.waitForDeliveries();
        return send(200, { idle: true });
      }
      if (method === 'GET' && path === '/__double/deliveries') return send(200, { deliveries: webhooks.log });
      if (method === 'POST' && (m = /^\/__double\/events\/([^/]+)\/redeliver$/.exec(path)))
        return send(200, await webhooks.redeliver(decodeURIComponent(m[1]!)));
      if (method === 'POST' && (m = /^\/__double\/checkout\/sessions\/([^/]+)\/pay$/.exec(path))) {
        const paid = bank.paySession(decodeURIComponent(m[1]!));
        return send(200, { session: paid.session, payment_intent: paid.paymentIntent, charge: paid.charge, events: paid.events });
      }
      if (method === 'POST' && path === '/__double/charges') {
        const created = typeof input.created === 'string' ? new Date(input.created) : (input.created as number | undefined); // ISO or unix seconds
        const paid = bank.createPaidCharge({ ...(input as Parameters<StripeBank['createPaidCharge']>[0]), created });
        return send(200, { payment_intent: paid.paymentIntent, charge: paid.charge, events: paid.events });
      }
      if (method === 'POST' && path === '/__double/clock') {
        if (input.now === null) clock.reset();
        else if (input.now !== undefined) clock.setNow(typeof input.now === 'number' ? input.now : new Date(String(input.now)));
        if (typeof input.advanceMs === 'number') clock.advance(input.advanceMs);
        return send(200, { now: clock.now().toISOString() });
      }
      return send(404, { error: { type: 'invalid_request_error', message: `Unknown control route ${method} ${path}` } });
    } catch (error) {
      if (error instanceof ApiError) return send(error.status, error.body());
      return send(400, { error: { type: 'invalid_request_error', message: error instanceof Error ? error.message : String(error) } });
    }
  }

  /** The hosted checkout page, so a browser in e2e tests can "pay" and be sent to success_url. */
  function checkoutPage(method: string, sessionId: string, res: ServerResponse): void {
    const session = store.sessions.get(sessionId);
    if (!session) return void res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Checkout session not found</h1>');
    if (method === 'POST') {
      if (session.status === 'open') bank.paySession(sessionId);
      const next = session.success_url?.replace('{CHECKOUT_SESSION_ID}', sessionId);
      if (next) return void res.writeHead(303, { location: next }).end();
      return void res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Paid</h1>');
    }
    const total = `${((session.amount_total ?? 0) / 100).toFixed(2)} ${(session.currency ?? '').toUpperCase()}`;
    const items = (store.lineItems.get(sessionId) ?? []).map((it) => `<li>${escapeHtml(it.description)} × ${it.quantity}</li>`).join('');
    const cancel = session.cancel_url ? `<a href="${escapeHtml(session.cancel_url)}">Cancel</a>` : '';
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><title>Checkout (local Stripe double)</title><h1>Pay ${escapeHtml(total)}</h1><ul>${items}</ul>` +
          (session.status === 'open'
            ? `<form method="post"><button type="submit">Pay ${escapeHtml(total)}</button></form>${cancel}`
            : `<p>This session is ${session.status}.</p>`),
      );
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://double.local');
      const method = (req.method ?? 'GET').toUpperCase();
      if (url.pathname.startsWith('/__double/')) return control(method, url.pathname, body, res);
      const pay = /^\/c\/pay\/([^/]+)$/.exec(url.pathname);
      if (pay) return checkoutPage(method, decodeURIComponent(pay[1]!), res);
      const requestId = newId('req', 14);
      const idemKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'request-id': requestId,
        'stripe-version': typeof req.headers['stripe-version'] === 'string' ? req.headers['stripe-version'] : apiVersion,
        ...(idemKey ? { 'idempotency-key': idemKey } : {}),
      };
      const auth = authError(apiKeyOf(req.headers.authorization));
      if (auth) return void res.writeHead(401, { ...headers, 'www-authenticate': 'Bearer realm="Stripe"' }).end(json(auth.body()));
      let params: Params;
      try {
        params = parseForm(method === 'GET' || method === 'DELETE' ? url.search.slice(1) : body);
      } catch (error) {
        const err = error instanceof ApiError ? error : invalid(String(error));
        return void res.writeHead(err.status, headers).end(json(err.body()));
      }
      const out = api(method, url.pathname, params, idemKey, requestId);
      res.writeHead(out.status, { ...headers, ...out.headers }).end(out.body);
    })().catch((error: unknown) => {
      if (res.headersSent) return void res.end();
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end(json({ error: { type: 'api_error', message: `Local Stripe double failed: ${String(error)}` } }));
    });
  });
  server.keepAliveTimeout = 5_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      baseUrl = `http://127.0.0.1:${port}`;
      resolve({
        url: baseUrl,
        port,
        clock,
        deliveries: webhooks.log,
        store,
        setWebhook: (url, secret) => webhooks.setEndpoint(url, secret === undefined ? webhooks.secret : secret),
        pay: (sessionId) => bank.paySession(sessionId),
        createPaidCharge: (p) => bank.createPaidCharge(p),
        events: () => [...store.events.values()].map((s) => store.eventView(s)),
        pauseDeliveries: () => webhooks.pause(),
        resumeDeliveries: () => webhooks.resume(),
        redeliver: (eventId) => webhooks.redeliver(eventId),
        waitForDeliveries: () => webhooks.waitForDeliveries(),
        sign: (payload, secret, timestamp) => signPayload(payload, secret ?? webhooks.secret ?? '', timestamp),
        close: () =>
          new Promise((done) => {
            webhooks.close();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
