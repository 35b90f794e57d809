// Playbook 2's condition: a trainer paid, Stripe took the charge, our
// webhook endpoint failed its deliveries (the database timed out under it)
// and the payment stands recorded with no placement and no queue entry, an
// orphan. Stripe (the double) has the charge, so the playbook can ask
// Stripe's state; stripe_events holds the failed deliveries exactly as the
// stripe-webhook function records a failure (recordEventFailure), within the
// last hour, more than webhook_failures_per_hour_red (3) of them; the
// trainer's "I paid but I'm not featured" complaint waits in the console.
import { randomBytes } from 'node:crypto';
import { minutesBefore, nowOf, openAlerts, refreshAlerts, type DemoStack, type OpenAlert } from './context.ts';
import { stripePurchase } from './stripe.ts';
import { fileComplaint } from './trainers.ts';

/** The failing deliveries, in the order Stripe sends a checkout's events. */
const FAILED_EVENT_TYPES = ['payment_intent.created', 'checkout.session.completed', 'payment_intent.succeeded', 'charge.succeeded'] as const;

/** What the webhook recorded: the error ingestStripeEvent threw while the database was timing out. */
export const WEBHOOK_FAILURE_ERROR = 'canceling statement due to statement timeout';

export interface WebhookPlant {
  paymentId: string;
  chargeId: string;
  paymentIntentId: string;
  businessId: string;
  business: string;
  councilId: string;
  paidAt: Date;
  failedEventIds: string[];
  complaintId: string;
  alerts: OpenAlert[];
}

export async function plantWebhookFailed(stack: DemoStack): Promise<WebhookPlant> {
  const { sql } = stack;
  // A listed trainer who never bought, in a council with a free slot and nobody waiting (activation then ends as the spec says).
  const [buyer] = await sql<{ id: string; council_id: string; owner_id: string; name: string }[]>`
    select b.id, b.council_id, b.owner_id, b.name from public.businesses b
    where public.business_is_visible(b.status, b.deleted, b.age_specialties, b.behavior_issues)
      and not exists (select 1 from public.featured_placements fp where fp.business_id = b.id)
      and not exists (select 1 from public.payment_audit pa where pa.business_id = b.id)
      and not exists (select 1 from public.complaints c where c.business_id = b.id and c.status = 'pending')
    order by (select count(*) from public.featured_placements fp where fp.council_id = b.council_id and fp.status = 'active')
               + (select count(*) from public.featured_queue q where q.council_id = b.council_id and q.promoted_at is null and q.cancelled_at is null)
               >= public.featured_slots_per_council(),
             b.name
    limit 1`;
  if (!buyer) throw new Error('no listed business without a purchase is left to plant an orphaned charge for');

  const now = nowOf(stack);
  const paidAt = minutesBefore(now, 47);
  const { payment_intent: pi, charge } = await stripePurchase(stack, { businessId: buyer.id, councilId: buyer.council_id, paidAt });

  const [payment] = await sql<{ id: string }[]>`
    insert into public.payment_audit (business_id, council_id, stripe_payment_intent_id, stripe_charge_id, amount_cents, currency,
                                      status, paid_at, last_stripe_event_at)
    values (${buyer.id}, ${buyer.council_id}, ${pi.id}, ${charge.id}, 2200, 'aud', 'succeeded', ${paidAt}, ${paidAt})
    returning id`;

  // Each delivery failed on its first try and on Stripe's retries since (attempts), all within the hour.
  const failedEventIds = FAILED_EVENT_TYPES.map(() => `evt_${randomBytes(12).toString('hex')}`);
  const rows = FAILED_EVENT_TYPES.map((type, i) => {
    const object = type.startsWith('charge') ? charge : type.startsWith('checkout') ? checkoutSession(pi.id, buyer) : pi;
    const event = {
      id: failedEventIds[i],
      object: 'event',
      type,
      created: Math.floor(paidAt.getTime() / 1000),
      livemode: false,
      pending_webhooks: 1,
      data: { object },
    };
    return {
      id: failedEventIds[i]!,
      type,
      created_at_stripe: paidAt,
      payload: JSON.stringify(event),
      received_at: new Date(paidAt.getTime() + 2_000 + i * 400),
      error: WEBHOOK_FAILURE_ERROR,
      attempts: 3,
    };
  });
  for (const r of rows) {
    await sql`
      insert into public.stripe_events (id, type, created_at_stripe, payload, received_at, error, attempts)
      values (${r.id}, ${r.type}, ${r.created_at_stripe}, ${r.payload}::text::jsonb, ${r.received_at}, ${r.error}, ${r.attempts})`;
  }

  const complaint = await fileComplaint(sql, {
    ownerId: buyer.owner_id,
    businessId: buyer.id,
    kind: 'not_featured',
    message: "I paid $22 about an hour ago but my profile isn't featured. My card was charged.",
    paymentId: payment!.id,
  });

  await refreshAlerts(stack);
  const alerts = (await openAlerts(stack, ['orphaned_charge', 'webhook_failures'])).filter((a) => a.kind === 'webhook_failures' || a.subject === payment!.id);
  return {
    paymentId: payment!.id,
    chargeId: charge.id,
    paymentIntentId: pi.id,
    businessId: buyer.id,
    business: buyer.name,
    councilId: buyer.council_id,
    paidAt,
    failedEventIds,
    complaintId: complaint.complaintId,
    alerts,
  };
}

function checkoutSession(paymentIntent: string, buyer: { id: string; council_id: string }) {
  return {
    id: `cs_test_${randomBytes(16).toString('hex')}`,
    object: 'checkout.session',
    amount_total: 2200,
    currency: 'aud',
    mode: 'payment',
    payment_status: 'paid',
    status: 'complete',
    payment_intent: paymentIntent,
    metadata: { business_id: buyer.id, council_id: buyer.council_id },
  };
}
