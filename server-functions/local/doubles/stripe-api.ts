// The money operations of the Stripe double: what each endpoint this project
// calls does to the store, with Stripe's validation and errors, and which
// events it emits in what order. HTTP, auth and idempotency are stripe.ts's.
import type Stripe from 'stripe';
import { ApiError, bool, hash, int, invalid, metadata, onlyKnown, range, requireInt, requireStr, str, strings, type Params } from './stripe-form.ts';
import {
  AUTOMATIC,
  chargeFields,
  createdIn,
  money,
  newId,
  paymentIntentFields,
  type LineItem,
  type ListPage,
  type RequestContext,
  type StripeStore,
} from './stripe-store.ts';

export interface Paid {
  paymentIntent: Stripe.PaymentIntent;
  charge: Stripe.Charge;
  events: Stripe.Event[];
}

/**
 * Stripe does not promise an order between the events of one payment. 'session-first' is the order
 * this project documents (checkout.session.completed, payment_intent.succeeded, charge.succeeded);
 * 'charge-first' is what Stripe is usually observed to send, for tests that want the other order.
 */
export type PaymentEventOrder = 'session-first' | 'charge-first';

const SESSION_PARAMS = [
  'mode',
  'line_items',
  'metadata',
  'payment_intent_data',
  'client_reference_id',
  'success_url',
  'cancel_url',
  'customer_email',
  'expand',
  'expires_at',
  'payment_method_types',
  'locale',
  'submit_type',
  'allow_promotion_codes',
  'billing_address_collection',
] as const;
const LIST_PARAMS = ['limit', 'starting_after', 'ending_before', 'expand', 'created'];

const notFound = (noun: string, id: string, param = 'id') => new ApiError(404, 'invalid_request_error', `No such ${noun}: '${id}'`, 'resource_missing', param);

export class StripeBank {
  /** What the session's payment intent will carry (payment_intent_data), kept until the customer pays. */
  private readonly intentData = new Map<string, { metadata: Record<string, string>; description: string | null }>();

  constructor(
    readonly store: StripeStore,
    private readonly opts: { checkoutBase: () => string; paymentEventOrder: PaymentEventOrder },
  ) {}

  createCheckoutSession(params: Params, ctx: RequestContext): Stripe.Checkout.Session {
    onlyKnown(params, SESSION_PARAMS);
    const mode = requireStr(params, 'mode');
    if (!['payment', 'setup', 'subscription'].includes(mode)) throw invalid(`Invalid mode: must be one of payment, setup, or subscription`, 'mode');
    if (mode !== 'payment') throw invalid(`The local Stripe double implements mode=payment only (got ${mode}).`, 'mode');
    const rawItems = params.line_items;
    if (!Array.isArray(rawItems) || rawItems.length === 0) throw invalid('Missing required param: line_items.', 'line_items', 'parameter_missing');
    const created = this.store.nowSeconds();
    const items: LineItem[] = rawItems.map((raw, i) => {
      const at = `line_items[${i}]`;
      if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('Invalid object', at);
      onlyKnown(raw, ['price_data', 'quantity', 'price', 'adjustable_quantity', 'tax_rates'], at);
      if (raw.price !== undefined) throw notFound('price', String(raw.price), `${at}[price]`);
      const pd = hash(raw, 'price_data', `${at}[price_data]`);
      if (!pd) throw invalid(`Missing required param: ${at}[price_data].`, `${at}[price_data]`, 'parameter_missing');
      onlyKnown(pd, ['currency', 'unit_amount', 'product_data', 'tax_behavior', 'product'], `${at}[price_data]`);
      const currency = requireStr(pd, 'currency', `${at}[price_data][currency]`).toLowerCase();
      const unit = requireInt(pd, 'unit_amount', `${at}[price_data][unit_amount]`);
      if (unit < 0) throw invalid('This value must be greater than or equal to 0.', `${at}[price_data][unit_amount]`);
      const product = hash(pd, 'product_data', `${at}[price_data][product_data]`);
      if (!product) throw invalid(`Missing required param: ${at}[price_data][product_data].`, `${at}[price_data][product_data]`, 'parameter_missing');
      const name = requireStr(product, 'name', `${at}[price_data][product_data][name]`);
      const quantity = int(raw, 'quantity', `${at}[quantity]`) ?? 1;
      if (quantity < 1) throw invalid('This value must be greater than or equal to 1.', `${at}[quantity]`);
      const total = unit * quantity;
      return {
        id: newId('li', 24),
        object: 'item',
        amount_discount: 0,
        amount_subtotal: total,
        amount_tax: 0,
        amount_total: total,
        currency,
        description: name,
        quantity,
        price: {
          id: newId('price', 24),
          object: 'price',
          currency,
          unit_amount: unit,
          product: newId('prod', 14),
          type: 'one_time',
          active: false,
          livemode: false,
        },
      };
    });
    const currency = items[0]!.currency;
    if (items.some((it) => it.currency !== currency)) throw invalid('All line items must have the same currency.', 'line_items');
    const pid = hash(params, 'payment_intent_data') ?? {};
    onlyKnown(
      pid,
      ['metadata', 'description', 'receipt_email', 'statement_descriptor', 'statement_descriptor_suffix', 'capture_method'],
      'payment_intent_data',
    );
    const total = items.reduce((sum, it) => sum + it.amount_total, 0);
    const id = newId('cs_test', 58);
    const session = {
      id,
      object: 'checkout.session',
      after_expiration: null,
      allow_promotion_codes: bool(params, 'allow_promotion_codes') ?? null,
      amount_subtotal: total,
      amount_total: total,
      automatic_tax: { enabled: false, liability: null, provider: null, status: null },
      billing_address_collection: null,
      cancel_url: str(params, 'cancel_url') ?? null,
      client_reference_id: str(params, 'client_reference_id') ?? null,
      client_secret: null,
      consent: null,
      consent_collection: null,
      created,
      currency,
      custom_fields: [],
      custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
      customer: null,
      customer_creation: 'if_required',
      customer_details: null,
      customer_email: str(params, 'customer_email') ?? null,
      expires_at: int(params, 'expires_at') ?? created + 24 * 3600,
      invoice: null,
      invoice_creation: null,
      livemode: false,
      locale: null,
      metadata: metadata(params) ?? {},
      mode: 'payment',
      payment_intent: null,
      payment_link: null,
      payment_method_collection: 'if_required',
      payment_method_options: {},
      payment_method_types: strings(params, 'payment_method_types').length ? strings(params, 'payment_method_types') : ['card'],
      payment_status: 'unpaid',
      recovered_from: null,
      setup_intent: null,
      shipping_address_collection: null,
      shipping_cost: null,
      shipping_options: [],
      status: 'open',
      submit_type: null,
      subscription: null,
      success_url: str(params, 'success_url') ?? null,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      ui_mode: 'hosted',
      url: `${this.opts.checkoutBase()}/c/pay/${id}`,
    } satisfies Partial<Stripe.Checkout.Session>;
    this.store.remember(this.store.sessions, session as unknown as Stripe.Checkout.Session);
    this.store.lineItems.set(id, items);
    this.intentData.set(id, { metadata: metadata(pid, 'metadata', 'payment_intent_data[metadata]') ?? {}, description: str(pid, 'description') ?? null });
    void ctx; // creating a session emits no event in Stripe either
    return this.store.expand(session as unknown as Stripe.Checkout.Session, params);
  }

  session(id: string): Stripe.Checkout.Session {
    const s = this.store.sessions.get(id);
    if (!s) throw notFound('checkout.session', id);
    return s;
  }

  /** The customer pays on the hosted page: intent + charge succeed, the session completes, three events. */
  paySession(id: string, ctx: RequestContext = AUTOMATIC): Paid & { session: Stripe.Checkout.Session } {
    const session = this.session(id);
    if (session.status !== 'open') throw invalid(`This Checkout Session is ${session.status}, so it cannot be paid.`, 'id', 'checkout_session_inactive');
    const now = this.store.nowSeconds();
    if (session.expires_at < now) throw invalid('This Checkout Session has expired.', 'id', 'checkout_session_inactive');
    const data = this.intentData.get(id) ?? { metadata: {}, description: null };
    const email = session.customer_email ?? 'customer@example.com';
    // Stripe copies payment_intent_data.metadata (not the session's metadata) to the intent and its charge.
    const { paymentIntent, charge } = this.succeed({
      amount: session.amount_total ?? 0,
      currency: session.currency ?? 'aud',
      created: now,
      metadata: data.metadata,
      description: data.description,
      receiptEmail: session.customer_email,
    });
    Object.assign(session, {
      status: 'complete',
      payment_status: 'paid',
      payment_intent: paymentIntent.id,
      customer_details: { address: null, email, name: null, phone: null, tax_exempt: 'none', tax_ids: [] },
    });
    const emits: [string, { id: string }][] = [
      ['checkout.session.completed', session],
      ['payment_intent.succeeded', paymentIntent],
      ['charge.succeeded', charge],
    ];
    if (this.opts.paymentEventOrder === 'charge-first') emits.reverse();
    const events = emits.map(([type, obj]) => this.store.emit(type, obj, ctx, now));
    return { session, paymentIntent, charge, events };
  }

  /** A succeeded intent and its charge (no events: the caller decides which to emit). */
  private succeed(p: {
    amount: number;
    currency: string;
    created: number;
    metadata: Record<string, string>;
    description: string | null;
    receiptEmail: string | null;
    paymentMethod?: string;
    ids?: { paymentIntent?: string; charge?: string };
  }) {
    const paymentIntent = paymentIntentFields(p);
    if (p.ids?.paymentIntent) paymentIntent.id = p.ids.paymentIntent;
    const paymentMethod = newId('pm', 24);
    const charge = chargeFields({ ...p, paymentIntent: paymentIntent.id, paymentMethod });
    if (p.ids?.charge) charge.id = p.ids.charge;
    Object.assign(paymentIntent, { status: 'succeeded', amount_received: p.amount, latest_charge: charge.id, payment_method: paymentMethod });
    this.store.remember(this.store.paymentIntents, paymentIntent);
    this.store.remember(this.store.charges, charge);
    return { paymentIntent, charge };
  }

  /** For tests: a paid charge with no checkout session (e.g. an orphaned payment), `created` optionally in the past. */
  /** `ids` re-creates a payment Stripe already has (the local stack mirrors its seeded payments into the double at start). */
  createPaidCharge(p: {
    amount: number;
    currency?: string;
    metadata?: Record<string, string>;
    created?: Date | number;
    emitEvents?: boolean;
    ids?: { paymentIntent?: string; charge?: string };
  }): Paid {
    const created = p.created === undefined ? this.store.nowSeconds() : typeof p.created === 'number' ? p.created : Math.floor(p.created.getTime() / 1000);
    const paid = this.succeed({
      amount: p.amount,
      currency: p.currency ?? 'aud',
      created,
      metadata: p.metadata ?? {},
      description: null,
      receiptEmail: null,
      ids: p.ids,
    });
    const events =
      p.emitEvents === false
        ? []
        : [
            this.store.emit('payment_intent.succeeded', paid.paymentIntent, AUTOMATIC, created),
            this.store.emit('charge.succeeded', paid.charge, AUTOMATIC, created),
          ];
    return { ...paid, events };
  }

  createPaymentIntent(params: Params, ctx: RequestContext): Stripe.PaymentIntent {
    onlyKnown(params, [
      'amount',
      'currency',
      'metadata',
      'confirm',
      'payment_method',
      'payment_method_types',
      'automatic_payment_methods',
      'description',
      'receipt_email',
      'expand',
      'return_url',
      'capture_method',
    ]);
    const amount = requireInt(params, 'amount');
    const currency = requireStr(params, 'currency').toLowerCase();
    if (amount < 50) throw invalid(`Amount must be at least ${money(50, currency)} ${currency}`, 'amount', 'amount_too_small');
    const fields = {
      amount,
      currency,
      created: this.store.nowSeconds(),
      metadata: metadata(params) ?? {},
      description: str(params, 'description') ?? null,
      receiptEmail: str(params, 'receipt_email') ?? null,
    };
    const paymentMethod = str(params, 'payment_method');
    if (!bool(params, 'confirm')) {
      const intent = paymentIntentFields(fields);
      if (paymentMethod) Object.assign(intent, { payment_method: paymentMethod, status: 'requires_confirmation' });
      return this.store.expand(this.store.remember(this.store.paymentIntents, intent), params);
    }
    if (!paymentMethod?.startsWith('pm_')) throw invalid('Missing required param: payment_method.', 'payment_method', 'parameter_missing');
    const { paymentIntent, charge } = this.succeed(fields);
    this.store.emit('payment_intent.succeeded', paymentIntent, ctx, fields.created);
    this.store.emit('charge.succeeded', charge, ctx, fields.created);
    return this.store.expand(paymentIntent, params);
  }

  paymentIntent(id: string): Stripe.PaymentIntent {
    const pi = this.store.paymentIntents.get(id);
    if (!pi) throw notFound('payment_intent', id);
    return pi;
  }

  charge(id: string, param = 'id'): Stripe.Charge {
    const charge = this.store.charges.get(id);
    if (!charge) throw notFound('charge', id, param);
    return charge;
  }

  refund(id: string): Stripe.Refund {
    const refund = this.store.refunds.get(id);
    if (!refund) throw notFound('refund', id);
    return refund;
  }

  createRefund(params: Params, ctx: RequestContext): Stripe.Refund {
    onlyKnown(params, [
      'charge',
      'payment_intent',
      'amount',
      'reason',
      'metadata',
      'expand',
      'instructions_email',
      'refund_application_fee',
      'reverse_transfer',
    ]);
    const chargeId = str(params, 'charge');
    const intentId = str(params, 'payment_intent');
    if (!chargeId && !intentId)
      throw invalid('One of the following params should be provided for this request: payment_intent or charge.', 'charge', 'parameter_missing');
    const reason = str(params, 'reason') ?? null;
    if (reason && !['duplicate', 'fraudulent', 'requested_by_customer'].includes(reason)) {
      throw invalid('Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer', 'reason');
    }
    const requested = int(params, 'amount');
    if (requested !== undefined && requested < 1) throw invalid('This value must be greater than or equal to 1.', 'amount');
    const refundMetadata = metadata(params) ?? {};
    let charge: Stripe.Charge;
    if (intentId) {
      const intent = this.store.paymentIntents.get(intentId);
      if (!intent) throw new ApiError(400, 'invalid_request_error', `No such payment_intent: '${intentId}'`, 'resource_missing', 'payment_intent', true);
      const latest = typeof intent.latest_charge === 'string' ? this.store.charges.get(intent.latest_charge) : undefined;
      if (!latest || intent.status !== 'succeeded')
        throw invalid(`This PaymentIntent (${intentId}) does not have a successful charge to refund.`, 'payment_intent');
      if (chargeId && chargeId !== latest.id) throw invalid(`Charge ${chargeId} does not belong to PaymentIntent ${intentId}.`, 'charge');
      charge = latest;
    } else {
      const found = this.store.charges.get(chargeId!);
      if (!found) throw new ApiError(400, 'invalid_request_error', `No such charge: '${chargeId}'`, 'resource_missing', 'charge', true);
      charge = found;
    }
    // Business-rule refusals below happen inside the endpoint, so an idempotency key replays them.
    const remaining = charge.amount - charge.amount_refunded;
    if (remaining <= 0)
      throw new ApiError(400, 'invalid_request_error', `Charge ${charge.id} has already been refunded.`, 'charge_already_refunded', undefined);
    const amount = requested ?? remaining;
    if (amount > charge.amount) {
      throw new ApiError(
        400,
        'invalid_request_error',
        `Refund amount (${money(amount, charge.currency)}) is greater than charge amount (${money(charge.amount, charge.currency)})`,
        undefined,
        'amount',
      );
    }
    if (amount > remaining) {
      throw new ApiError(
        400,
        'invalid_request_error',
        `Refund amount (${money(amount, charge.currency)}) is greater than unrefunded amount on charge (${money(remaining, charge.currency)})`,
        undefined,
        'amount',
      );
    }
    const created = this.store.nowSeconds();
    const refund = {
      id: newId('re', 24),
      object: 'refund',
      amount,
      balance_transaction: newId('txn', 24),
      charge: charge.id,
      created,
      currency: charge.currency,
      customer: null,
      customer_account: null,
      destination_details: { type: 'card', card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' } },
      metadata: refundMetadata,
      payment_intent: typeof charge.payment_intent === 'string' ? charge.payment_intent : null,
      payment_method: charge.payment_method,
      reason,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded',
      transfer_reversal: null,
    } satisfies Partial<Stripe.Refund>;
    this.store.remember(this.store.refunds, refund as unknown as Stripe.Refund);
    Object.assign(charge, { amount_refunded: charge.amount_refunded + amount, refunded: charge.amount_refunded + amount >= charge.amount });
    // Since API 2022-11-15 the charge in charge.refunded carries no `refunds` list; refund.created names the refund.
    this.store.emit('charge.refunded', charge, ctx, created);
    this.store.emit('refund.created', refund, ctx, created);
    return this.store.expand(refund as unknown as Stripe.Refund, params);
  }

  listCharges(params: Params): ListPage<Stripe.Charge> {
    onlyKnown(params, [...LIST_PARAMS, 'customer', 'payment_intent', 'transfer_group']);
    const created = createdIn(range(params, 'created'));
    const intent = str(params, 'payment_intent');
    const items = [...this.store.charges.values()].filter((c) => created(c) && (!intent || c.payment_intent === intent));
    return this.store.expand(this.store.page(items, params, '/v1/charges', 'charge'), params);
  }

  /**
   * GET /v1/charges/search: the clauses the console's investigation sends
   * (metadata['key']:'value' and status:'value', joined by AND), newest
   * first, paged by Stripe's opaque next_page token. Anything else in the
   * query language is refused naming the query, as Stripe refuses bad syntax.
   */
  searchCharges(params: Params) {
    onlyKnown(params, ['query', 'limit', 'page', 'expand']);
    const query = str(params, 'query') ?? '';
    const clauses = query.split(/\s+AND\s+/).map((c) => /^(?:metadata\['([^']+)'\]|(status)):'([^']*)'$/.exec(c.trim()));
    if (!query || clauses.some((c) => !c)) {
      throw new ApiError(
        400,
        'invalid_request_error',
        `The double understands only metadata['key']:'value' and status:'value' clauses: ${query}`,
        'parameter_invalid',
        'query',
      );
    }
    const match = (c: Stripe.Charge) => clauses.every((m) => (m![2] ? c.status === m![3] : c.metadata?.[m![1]!] === m![3]));
    const all = [...this.store.charges.values()].filter(match).sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
    const limit = Number(params.limit ?? 10);
    const from = Number(params.page ?? 0);
    const data = all.slice(from, from + limit);
    const more = from + limit < all.length;
    return { object: 'search_result', data, has_more: more, next_page: more ? String(from + limit) : null, url: '/v1/charges/search' };
  }

  listRefunds(params: Params): ListPage<Stripe.Refund> {
    onlyKnown(params, [...LIST_PARAMS, 'charge', 'payment_intent']);
    const created = createdIn(range(params, 'created'));
    const chargeId = str(params, 'charge');
    const intent = str(params, 'payment_intent');
    const items = [...this.store.refunds.values()].filter(
      (r) => created(r) && (!chargeId || r.charge === chargeId) && (!intent || r.payment_intent === intent),
    );
    return this.store.expand(this.store.page(items, params, '/v1/refunds', 'refund'), params);
  }

  listEvents(params: Params): ListPage<Stripe.Event> {
    onlyKnown(params, [...LIST_PARAMS, 'type', 'types', 'delivery_success']);
    const type = str(params, 'type');
    const types = strings(params, 'types');
    if (type && types.length) throw invalid('You may only specify one of these parameters: type, types.', 'types');
    if (types.length > 20) throw invalid('You may pass at most 20 types.', 'types');
    // `type` accepts one `*` wildcard (charge.*), like Stripe.
    const typeOk = (t: string) =>
      type
        ? type.includes('*')
          ? new RegExp(
              `^${type
                .split('*')
                .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
                .join('.*')}$`,
            ).test(t)
          : t === type
        : types.length
          ? types.includes(t)
          : true;
    const created = createdIn(range(params, 'created'));
    const delivered = bool(params, 'delivery_success');
    // An event with no endpoint owes nothing, so it counts as delivered (Stripe only lists pending or failed ones under false).
    const deliveredOk = (id: string, hasEndpoint: boolean) => !hasEndpoint || this.store.delivered(id);
    const items = [...this.store.events.values()]
      .filter((s) => typeOk(s.event.type) && created(s.event) && (delivered === undefined || deliveredOk(s.event.id, s.hasEndpoint) === delivered))
      .map((s) => this.store.eventView(s));
    return this.store.expand(this.store.page(items, params, '/v1/events', 'event'), params);
  }

  event(id: string): Stripe.Event {
    const stored = this.store.events.get(id);
    if (!stored) throw notFound('event', id);
    return this.store.eventView(stored);
  }
}
