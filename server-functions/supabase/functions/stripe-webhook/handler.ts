// POST /functions/v1/stripe-webhook. No JWT: the Stripe signature is the
// authentication. The raw body is verified with the real SDK
// (constructEventAsync + SubtleCrypto); timestamps too old or too far in the
// future are refused. The event is stored (id unique) and applied in one
// transaction, and 2xx is answered only after that commit; a duplicate
// delivery finds it processed and changes nothing. If it cannot be applied,
// the failure is recorded and the answer is 500 so Stripe retries.
import type { Sql } from '../_shared/db.ts';
import { errorResponse, json } from '../_shared/http.ts';
import { subtleCryptoProvider, type Stripe } from '../_shared/stripe.ts';
import { applyStripeEvent, type EventOutcome } from '../_shared/payments/apply-event.ts';

export interface WebhookDeps {
  sql: Sql;
  stripe: Stripe;
  webhookSecret: string;
  toleranceSeconds?: number;
  now?: () => Date;
}

const MAX_BODY_BYTES = 512 * 1024;

function signedAt(header: string): number | null {
  const t = /(?:^|,)\s*t=(\d+)/.exec(header);
  return t ? Number(t[1]) : null;
}

export function createStripeWebhookHandler({ sql, stripe, webhookSecret, toleranceSeconds = 300, now = () => new Date() }: WebhookDeps) {
  return async (req: Request): Promise<Response> => {
    if (req.method !== 'POST') return errorResponse(405, 'method_not_allowed', `method ${req.method} is not allowed; use POST`, { field: 'method' });
    const signature = req.headers.get('stripe-signature');
    if (!signature) return errorResponse(400, 'bad_request', 'stripe-signature header is missing', { field: 'stripe-signature' });
    if (Number(req.headers.get('content-length') ?? '0') > MAX_BODY_BYTES) {
      return errorResponse(413, 'bad_request', 'body is too large for a Stripe event', { field: 'body' });
    }
    const raw = await req.text();
    const t = signedAt(signature);
    const nowSeconds = Math.floor(now().getTime() / 1000);
    if (t !== null && t > nowSeconds + toleranceSeconds) {
      return errorResponse(400, 'bad_request', 'stripe-signature timestamp is in the future beyond the tolerance', { field: 'stripe-signature' });
    }
    let event: Stripe.Event;
    try {
      event = await stripe.webhooks.constructEventAsync(raw, signature, webhookSecret, toleranceSeconds, subtleCryptoProvider, nowSeconds);
    } catch (err) {
      return errorResponse(400, 'bad_request', `stripe-signature does not verify: ${(err as Error).message}`, { field: 'stripe-signature' });
    }

    try {
      const result = await sql.begin(async (tx) => {
        const [stored] = await tx<{ processed_at: Date | null }[]>`
          insert into public.stripe_events (id, type, created_at_stripe, payload, received_at)
          values (${event.id}, ${event.type}, ${new Date(event.created * 1000)}, ${tx.json(JSON.parse(raw))}, ${now()})
          on conflict (id) do update set attempts = public.stripe_events.attempts + 1
          returning processed_at`;
        if (stored!.processed_at) return { duplicate: true, outcome: { outcome: 'duplicate' } as EventOutcome };
        const outcome = await applyStripeEvent(tx, event, now());
        await tx`update public.stripe_events set processed_at = ${now()}, error = null where id = ${event.id}`;
        return { duplicate: false, outcome };
      });
      return json({ received: true, id: event.id, duplicate: result.duplicate, ...result.outcome });
    } catch (err) {
      const message = (err as Error).message;
      // Keep the event and why it failed (the operator sees it; alerts count it).
      await sql`
        insert into public.stripe_events (id, type, created_at_stripe, payload, received_at, error)
        values (${event.id}, ${event.type}, ${new Date(event.created * 1000)}, ${sql.json(JSON.parse(raw))}, ${now()}, ${message})
        on conflict (id) do update set error = excluded.error, attempts = public.stripe_events.attempts + 1
        where public.stripe_events.processed_at is null`.catch(() => undefined);
      return errorResponse(500, 'unavailable', `event ${event.id} was not applied and will be retried: ${message}`);
    }
  };
}
