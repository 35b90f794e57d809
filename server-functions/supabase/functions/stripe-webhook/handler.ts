// POST /functions/v1/stripe-webhook. No JWT: the Stripe signature is the
// authentication. The raw body is verified with the real SDK
// (constructEventAsync + SubtleCrypto); timestamps too old or too far in the
// future are refused. The event is stored (id unique) and applied in one
// statement, and 2xx is answered only after that commit; a duplicate
// delivery finds it processed and changes nothing. If it cannot be applied,
// the failure is recorded and the answer is 500 so Stripe retries.
import type { Sql } from '../_shared/db.ts';
import { errorResponse, expectMethod, json } from '../_shared/http.ts';
import { subtleCryptoProvider, type Stripe } from '../_shared/stripe.ts';
import { ingestStripeEvent, malformedEnvelope, recordEventFailure } from '../_shared/payments/ingest.ts';

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
    const refused = expectMethod(req, 'POST');
    if (refused) return refused;
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
      // receivedAt is in milliseconds; it makes the age check use our clock.
      event = await stripe.webhooks.constructEventAsync(raw, signature, webhookSecret, toleranceSeconds, subtleCryptoProvider, nowSeconds * 1000);
    } catch (err) {
      return errorResponse(400, 'bad_request', `stripe-signature does not verify: ${(err as Error).message}`, { field: 'stripe-signature' });
    }

    // Signed but not an event we can store (a malformed id, type or time): recorded as a failure the alerts see, 400.
    const bad = malformedEnvelope(event);
    if (bad) {
      await recordEventFailure(sql, event, now(), 'not applied', raw).catch((err) => console.error(`malformed event not recorded: ${(err as Error).message}`));
      return errorResponse(400, 'bad_request', bad.message, { field: bad.field });
    }
    try {
      const result = await ingestStripeEvent(sql, event, now(), raw);
      return json({ received: true, id: event.id, duplicate: result.duplicate, ...result.outcome });
    } catch (err) {
      const message = (err as Error).message;
      await recordEventFailure(sql, event, now(), message, raw).catch(() => undefined);
      return errorResponse(500, 'unavailable', `event ${event.id} was not applied and will be retried: ${message}`);
    }
  };
}
