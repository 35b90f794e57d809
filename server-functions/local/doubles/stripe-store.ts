// State of the Stripe double: a settable clock, Stripe-looking ids, the
// objects (checkout sessions, payment intents, charges, refunds, events), and
// Stripe's list machinery (newest first, cursor pagination, `expand`). The
// money operations that change this state live in stripe-api.ts.
import { randomBytes } from 'node:crypto';
import type Stripe from 'stripe';
import { ApiError, inRange, int, invalid, strings, type Params, type Range } from './stripe-form.ts';

export interface DoubleClock {
  /** The double's "now": `created` of objects and events, idempotency-key expiry. */
  now(): Date;
  /** Freeze "now" at a moment (tests that need purchases days ago). */
  setNow(at: Date | number): void;
  /** Move a frozen clock on (or offset the real one). */
  advance(ms: number): void;
  /** Back to real time. */
  reset(): void;
}

export function createClock(): DoubleClock {
  let frozen: number | null = null;
  let offset = 0;
  return {
    now: () => new Date(frozen ?? Date.now() + offset),
    setNow: (at) => void (frozen = typeof at === 'number' ? at : at.getTime()),
    advance: (ms) => void (frozen === null ? (offset += ms) : (frozen += ms)),
    reset: () => {
      frozen = null;
      offset = 0;
    },
  };
}

export const unix = (d: Date) => Math.floor(d.getTime() / 1000);

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** `pi_3Qx…`-like ids: a prefix and random base62, so code that parses or logs them sees real shapes. */
export function newId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += BASE62[b % 62];
  return `${prefix}_${out}`;
}

/** "A$22.00", as Stripe words amounts in refund errors. */
export function money(amount: number, currency: string): string {
  const symbol = currency === 'aud' ? 'A$' : currency === 'usd' ? '$' : `${currency.toUpperCase()} `;
  return `${symbol}${(amount / 100).toFixed(2)}`;
}

export interface LineItem {
  id: string;
  object: 'item';
  amount_discount: number;
  amount_subtotal: number;
  amount_tax: number;
  amount_total: number;
  currency: string;
  description: string;
  quantity: number;
  price: { id: string; object: 'price'; currency: string; unit_amount: number; product: string; type: 'one_time'; active: boolean; livemode: false };
}

export interface StoredEvent {
  event: Stripe.Event;
  /** The exact bytes every delivery of this event carries (Stripe signs one payload per event). */
  payload: string;
  /** Whether a webhook endpoint was configured when it happened (Stripe only sends to endpoints that existed). */
  hasEndpoint: boolean;
}

export interface RequestContext {
  requestId: string | null;
  idempotencyKey: string | null;
}
export const AUTOMATIC: RequestContext = { requestId: null, idempotencyKey: null };

type Listable = { id: string; created: number };
export interface ListPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export class StripeStore {
  readonly sessions = new Map<string, Stripe.Checkout.Session>();
  readonly lineItems = new Map<string, LineItem[]>();
  readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  readonly charges = new Map<string, Stripe.Charge>();
  readonly refunds = new Map<string, Stripe.Refund>();
  readonly events = new Map<string, StoredEvent>();
  /** Creation order, to break ties between objects created in the same second (Stripe lists are stable). */
  private readonly seq = new Map<string, number>();
  private nextSeq = 0;

  constructor(
    readonly clock: DoubleClock,
    readonly apiVersion: string,
    /** Told about each new event, to deliver it. */
    private readonly onEvent: (stored: StoredEvent) => void,
    private readonly hasEndpoint: () => boolean,
    /** Whether every delivery so far succeeded (for `delivery_success` and `pending_webhooks`). */
    readonly delivered: (eventId: string) => boolean,
  ) {}

  nowSeconds(): number {
    return unix(this.clock.now());
  }

  remember<T extends { id: string }>(map: Map<string, T>, obj: T): T {
    map.set(obj.id, obj);
    this.seq.set(obj.id, this.nextSeq++);
    return obj;
  }

  /** A new event with a frozen copy of the object as it is now (later changes do not leak into it). */
  emit(type: string, object: { id: string }, request: RequestContext, createdAt: number, previous?: Record<string, unknown>): Stripe.Event {
    const hasEndpoint = this.hasEndpoint();
    const event = {
      id: newId('evt', 24),
      object: 'event',
      api_version: this.apiVersion,
      created: createdAt,
      data: { object: structuredClone(object), ...(previous ? { previous_attributes: previous } : {}) },
      livemode: false,
      pending_webhooks: hasEndpoint ? 1 : 0,
      request: { id: request.requestId, idempotency_key: request.idempotencyKey },
      type,
    } as unknown as Stripe.Event;
    // Stripe sends pretty-printed JSON; receivers must verify these exact bytes, not a re-serialisation.
    const stored: StoredEvent = { event, payload: JSON.stringify(event, null, 2), hasEndpoint };
    this.seq.set(event.id, this.nextSeq++);
    this.events.set(event.id, stored);
    this.onEvent(stored);
    return event;
  }

  /** The event as the API shows it now: pending_webhooks counts endpoints still owed a successful delivery. */
  eventView(stored: StoredEvent): Stripe.Event {
    return { ...stored.event, pending_webhooks: stored.hasEndpoint && !this.delivered(stored.event.id) ? 1 : 0 };
  }

  find(id: string): { id: string } | undefined {
    for (const map of [this.sessions, this.paymentIntents, this.charges, this.refunds] as Map<string, { id: string }>[]) {
      const hit = map.get(id);
      if (hit) return hit;
    }
    const ev = this.events.get(id);
    return ev ? this.eventView(ev) : undefined;
  }

  /**
   * Stripe's list envelope over `items` (any order): newest first, ties by creation order, then the
   * `starting_after` / `ending_before` cursors and `limit` (default 10, 1..100).
   */
  page<T extends Listable>(items: T[], params: Params, url: string, noun: string): ListPage<T> {
    const limit = int(params, 'limit') ?? 10;
    if (limit < 1 || limit > 100) throw invalid(`Invalid limit: must be between 1 and 100`, 'limit');
    const key = (o: Listable) => [o.created, this.seq.get(o.id) ?? 0] as const;
    const newerThan = (a: readonly [number, number], b: readonly [number, number]) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
    const sorted = [...items].sort((a, b) => (newerThan(key(a), key(b)) ? -1 : newerThan(key(b), key(a)) ? 1 : 0));
    const cursorOf = (name: 'starting_after' | 'ending_before') => {
      const id = typeof params[name] === 'string' ? (params[name] as string) : undefined;
      if (!id) return undefined;
      const obj = this.find(id) as Listable | undefined;
      if (!obj || obj.created === undefined) throw new ApiError(400, 'invalid_request_error', `No such ${noun}: '${id}'`, 'resource_missing', name);
      return key(obj);
    };
    const after = cursorOf('starting_after');
    const before = cursorOf('ending_before');
    if (after && before) throw invalid('You may only specify one of these parameters: ending_before, starting_after.', 'ending_before');
    let data: T[];
    let hasMore: boolean;
    if (before) {
      const newer = sorted.filter((o) => newerThan(key(o), before));
      data = newer.slice(Math.max(0, newer.length - limit));
      hasMore = newer.length > limit;
    } else {
      const older = after ? sorted.filter((o) => newerThan(after, key(o))) : sorted;
      data = older.slice(0, limit);
      hasMore = older.length > limit;
    }
    return { object: 'list', data, has_more: hasMore, url };
  }

  /** Applies `expand` (`payment_intent`, `latest_charge.refunds`, `data.charge`, …) to a copy of `obj`. */
  expand<T>(obj: T, params: Params): T {
    const paths = strings(params, 'expand');
    if (!paths.length) return obj;
    const out = structuredClone(obj) as Record<string, unknown>;
    for (const path of paths) this.expandPath(out, path.split('.'), path);
    return out as T;
  }

  private expandPath(target: Record<string, unknown>, path: string[], whole: string): void {
    const [field, ...rest] = path;
    if (!field) return;
    if (target.object === 'list' && field === 'data') {
      for (const item of target.data as Record<string, unknown>[]) this.expandPath(item, rest, whole);
      return;
    }
    let value = target[field];
    if (field === 'line_items' && target.object === 'checkout.session') {
      const items = this.lineItems.get(target.id as string) ?? [];
      value = { object: 'list', data: items, has_more: false, url: `/v1/checkout/sessions/${target.id as string}/line_items` };
    } else if (field === 'refunds' && target.object === 'charge') {
      const refunds = [...this.refunds.values()].filter((r) => r.charge === target.id);
      value = this.page(refunds, { limit: '100' }, `/v1/charges/${target.id as string}/refunds`, 'refund');
    } else if (typeof value === 'string') {
      const found = this.find(value);
      if (found) value = structuredClone(found);
    } else if (value === undefined || (value !== null && typeof value !== 'object')) {
      throw invalid(`This property cannot be expanded (${whole}).`, 'expand');
    }
    target[field] = value;
    if (rest.length && value && typeof value === 'object') this.expandPath(value as Record<string, unknown>, rest, whole);
  }
}

/** Filters shared by the list endpoints. */
export const createdIn = (r: Range | undefined) => (o: { created: number }) => inRange(o.created, r);

/** Fields every charge has; the money-bearing ones are filled by the caller. */
export function chargeFields(p: {
  amount: number;
  currency: string;
  created: number;
  metadata: Record<string, string>;
  paymentIntent: string | null;
  paymentMethod: string;
  receiptEmail: string | null;
  description: string | null;
}): Stripe.Charge {
  const id = newId('ch', 24);
  const year = new Date(p.created * 1000).getUTCFullYear();
  const charge = {
    id,
    object: 'charge',
    amount: p.amount,
    amount_captured: p.amount,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: newId('txn', 24),
    billing_details: {
      address: { city: null, country: 'AU', line1: null, line2: null, postal_code: null, state: null },
      email: p.receiptEmail,
      name: null,
      phone: null,
      tax_id: null,
    },
    calculated_statement_descriptor: 'DOG TRAINERS DIRECTORY',
    captured: true,
    created: p.created,
    currency: p.currency,
    customer: null,
    description: p.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: { ...p.metadata },
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: 'approved_by_network',
      reason: null,
      risk_level: 'normal',
      risk_score: 32,
      seller_message: 'Payment complete.',
      type: 'authorized',
    },
    paid: true,
    payment_intent: p.paymentIntent,
    payment_method: p.paymentMethod,
    receipt_email: p.receiptEmail,
    receipt_number: null,
    receipt_url: `https://pay.stripe.com/receipts/payment/${id}`,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'succeeded',
    transfer_data: null,
    transfer_group: null,
  } satisfies Partial<Stripe.Charge>;
  return {
    ...charge,
    payment_method_details: {
      type: 'card',
      card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: year + 3, country: 'US', funding: 'credit', network: 'visa' },
    },
  } as unknown as Stripe.Charge;
}

export function paymentIntentFields(p: {
  amount: number;
  currency: string;
  created: number;
  metadata: Record<string, string>;
  description: string | null;
  receiptEmail: string | null;
}): Stripe.PaymentIntent {
  const id = newId('pi', 24);
  return {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: p.amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic_async',
    client_secret: `${id}_secret_${newId('x', 24).slice(2)}`,
    confirmation_method: 'automatic',
    created: p.created,
    currency: p.currency,
    customer: null,
    customer_account: null,
    description: p.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: { ...p.metadata },
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: p.receiptEmail,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_group: null,
  } satisfies Partial<Stripe.PaymentIntent> as unknown as Stripe.PaymentIntent;
}
