// Playbook 4.2's evidence and its live check. Orphaned charges are the ones
// the orphaned_charge alert and activate_orphaned_payment mean (the view
// public.orphaned_payments: succeeded, not held, no placement, no queue
// entry), every one of them, not only the one a trainer complained about,
// each with Stripe's state asked now. The webhook's health is checked the way
// Stripe would: a signed event POSTed to our own endpoint.
import type { PlaybookRun, WebhookEvidence, WebhookHealth } from '../../../../../shared/api/playbooks.ts';
import type { Sql } from '../db.ts';
import type { RouteDeps } from '../operator/routes.ts';
import type { Stripe } from '../stripe.ts';

/** Stripe is asked about at most this many charges per read (newest first); a longer list says so per charge. */
const STRIPE_ASK_MAX = 25;
const STRIPE_PARALLEL = 5;

/** The operator's activations (migration 2900): an orphan's, or a waiting purchase's whose slot was free. */
const ACTIVATIONS = ['payment.orphan_activated', 'payment.placement_activated'];

async function stripeState(stripe: Stripe, charge: string | null, intent: string | null): Promise<{ status: string | null; error: string | null }> {
  try {
    if (charge) {
      const c = await stripe.charges.retrieve(charge);
      return { status: c.refunded ? 'refunded' : c.status, error: null };
    }
    if (intent) return { status: (await stripe.paymentIntents.retrieve(intent)).status, error: null };
    return { status: null, error: 'no Stripe id recorded for this payment' };
  } catch (err) {
    const e = err as { statusCode?: number; message?: string };
    return { status: null, error: e.statusCode === 404 ? `Stripe has no ${charge ?? intent}` : `Stripe could not be asked: ${e.message ?? String(err)}` };
  }
}

/** The evidence's main query: every orphaned charge with its business and owner, newest first (the bench's floor too). */
export function readOrphans(sql: Sql) {
  return sql<
    {
      payment_id: string;
      business_id: string;
      business_name: string;
      owner_email: string | null;
      charge: string | null;
      intent: string | null;
      amount_cents: number;
      paid_at: Date;
    }[]
  >`
    select o.payment_id, o.business_id, b.name as business_name, coalesce(p.email, u.email) as owner_email,
           o.stripe_charge_id as charge, o.stripe_payment_intent_id as intent, o.amount_cents, o.paid_at
    from public.orphaned_payments o
    join public.businesses b on b.id = o.business_id
    left join public.profiles p on p.id = b.owner_id
    left join auth.users u on u.id = b.owner_id
    order by o.paid_at desc nulls last`;
}

export async function readWebhookEvidence(sql: Sql, stripe: Stripe, run: PlaybookRun, now: Date): Promise<WebhookEvidence> {
  const [orphans, failures, activated] = await Promise.all([
    readOrphans(sql),
    // As the webhook_failures alert counts (refresh_payment_red_alerts).
    sql<{ n: number }[]>`
      select count(*)::int as n from public.stripe_events e
      where e.error is not null and e.received_at > ${now}::timestamptz - interval '1 hour' and e.received_at <= ${now}`,
    sql<{ payment_id: string; business_id: string; business_name: string; featured_until: string | null; emailed: boolean }[]>`
      select a.subject_id as payment_id, pa.business_id, b.name as business_name, a.details ->> 'featured_until' as featured_until,
             exists (select 1 from public.email_outbox e where e.dedupe_key = 'featured_activated:' || (a.details ->> 'placement_id')) as emailed
      from public.audit_log a
      -- By the payment's key (a text comparison could not use it); the CASE keeps the cast to payment subjects.
      join public.payment_audit pa on pa.id = (case when a.subject_type = 'payment' then a.subject_id::uuid end)
      join public.businesses b on b.id = pa.business_id
      where a.action = any(${ACTIVATIONS}) and a.actor_kind = 'operator' and a.subject_type = 'payment'
        and a.occurred_at >= ${run.openedAt}::timestamptz
      order by a.occurred_at, a.id`,
  ]);
  const states: { status: string | null; error: string | null }[] = [];
  for (let i = 0; i < orphans.length; i += STRIPE_PARALLEL) {
    const batch = orphans.slice(i, i + STRIPE_PARALLEL);
    states.push(
      ...(await Promise.all(
        batch.map((o, j) =>
          i + j < STRIPE_ASK_MAX
            ? stripeState(stripe, o.charge, o.intent)
            : Promise.resolve({ status: null, error: `not asked: Stripe is asked about the newest ${STRIPE_ASK_MAX} only` }),
        ),
      )),
    );
  }
  const dayAgo = now.getTime() - 86_400_000;
  return {
    playbook: 'webhook_failed',
    orphans: orphans.map((o, i) => ({
      paymentId: o.payment_id,
      businessId: o.business_id,
      businessName: o.business_name,
      ownerEmail: o.owner_email,
      // The id Stripe knows the payment by: its charge, or its payment intent when no charge was recorded.
      chargeId: o.charge ?? o.intent,
      amountCents: o.amount_cents,
      paidAt: o.paid_at.toISOString(),
      stripeStatus: states[i]!.status,
      stripeError: states[i]!.error,
    })),
    last24h: orphans.filter((o) => o.paid_at.getTime() > dayAgo).length,
    webhookFailuresLastHour: failures[0]!.n,
    activated: activated.map((a) => ({
      paymentId: a.payment_id,
      businessId: a.business_id,
      businessName: a.business_name,
      featuredUntil: a.featured_until ? new Date(a.featured_until).toISOString() : null,
      emailed: a.emailed,
    })),
  };
}

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/** Stripe's signature header: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed with the endpoint secret>. */
export async function stripeSignature(payload: string, secret: string, at: Date): Promise<string> {
  const t = Math.floor(at.getTime() / 1000);
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return `t=${t},v1=${hex(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${t}.${payload}`)))}`;
}

/**
 * The test event: a type the webhook verifies, stores and marks ignored
 * ("event type … is not used", plan-event.ts), so it moves no money and
 * touches no payment; its id says what it was. A charge.succeeded for a
 * charge that does not exist would be refused or recorded as a payment.
 */
export const HEALTH_EVENT_TYPE = 'dtd.webhook_health_check';

export async function checkWebhookHealth(deps: RouteDeps, now: Date): Promise<WebhookHealth> {
  const at = now.toISOString();
  if (!deps.webhookSecret) {
    return {
      at,
      ok: false,
      status: 0,
      ms: 0,
      answer: 'not checked: the Stripe webhook signing secret (STRIPE_WEBHOOK_SECRET) is not configured for the operator API',
    };
  }
  const id = `evt_health_check_${crypto.randomUUID().replace(/-/g, '')}`;
  const payload = JSON.stringify({
    id,
    object: 'event',
    api_version: '2025-10-29.clover',
    created: Math.floor(now.getTime() / 1000),
    type: HEALTH_EVENT_TYPE,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object: { id, object: 'health_check', note: 'operator console: webhook endpoint health check (playbook 4.2 step 5)' } },
  });
  const started = performance.now();
  try {
    const res = await deps.callFunction('stripe-webhook', {
      headers: { 'stripe-signature': await stripeSignature(payload, deps.webhookSecret, now), 'content-type': 'application/json' },
      body: payload,
    });
    const text = await res.text();
    const ms = Math.round(performance.now() - started);
    return { at, ok: res.ok, status: res.status, ms, answer: summarize(text) };
  } catch (err) {
    return { at, ok: false, status: 0, ms: Math.round(performance.now() - started), answer: `the endpoint could not be reached: ${(err as Error).message}` };
  }
}

/** The answer in a line: the error's message, the outcome, or the body's start. */
function summarize(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: string }; outcome?: string; reason?: string; received?: boolean };
    if (body.error?.message) return body.error.message.slice(0, 300);
    if (body.received) return `received and recorded: ${[body.outcome, body.reason].filter(Boolean).join(', ')}`.slice(0, 300);
  } catch {
    // not JSON: shown as it came
  }
  return text.slice(0, 300);
}
