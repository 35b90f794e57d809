// A trainer's $22 purchase as Stripe knows it: a succeeded PaymentIntent and
// its charge made in the Stripe double (POST /__double/charges, what the
// customer's payment does), without events, so nothing is delivered: the
// plant decides what our side recorded of it.
import { postJson, type DemoStack } from './context.ts';

export interface StripePurchase {
  payment_intent: { id: string; [k: string]: unknown };
  charge: { id: string; [k: string]: unknown };
}

export async function stripePurchase(stack: DemoStack, p: { businessId: string; councilId: string; paidAt: Date }): Promise<StripePurchase> {
  const url = stack.info.STRIPE_DOUBLE_URL;
  if (!url) throw new Error('this stack calls the real Stripe (STRIPE_SECRET_KEY is set), so there is no Stripe double to record the charge in');
  const made = await postJson(`${url}/__double/charges`, {
    amount: 2200,
    currency: 'aud',
    created: p.paidAt.toISOString(),
    metadata: { business_id: p.businessId, council_id: p.councilId },
    emitEvents: false,
  });
  if (made.status !== 200) throw new Error(`the Stripe double refused the charge: ${made.status} ${JSON.stringify(made.body).slice(0, 200)}`);
  return made.body as StripePurchase;
}
