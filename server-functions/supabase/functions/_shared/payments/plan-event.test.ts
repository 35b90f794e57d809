// What each Stripe event means, decided before the database is asked: one
// action per event for public.ingest_stripe_event.
import { describe, expect, it } from 'vitest';
import type { Stripe } from '../stripe.ts';
import { planStripeEvent } from './plan-event.ts';

const BUSINESS = '6b1f0a52-3c1e-4d59-9a57-2f1f6c0f9e11';
const event = (type: string, object: Record<string, unknown>, created = 1_790_000_000) =>
  ({ id: 'evt_1', object: 'event', type, created, data: { object } }) as unknown as Stripe.Event;
const iso = (s: number) => new Date(s * 1000).toISOString();

describe('planStripeEvent', () => {
  it('turns each kind of succeeded purchase into payment_succeeded with the ids it carries', () => {
    expect(
      planStripeEvent(
        event('charge.succeeded', {
          id: 'ch_1',
          amount: 2200,
          currency: 'aud',
          payment_intent: 'pi_1',
          metadata: { business_id: BUSINESS },
        }),
      ),
    ).toEqual({
      action: 'payment_succeeded',
      args: {
        business_id: BUSINESS,
        amount_cents: 2200,
        currency: 'aud',
        paid_at: iso(1_790_000_000),
        payment_intent_id: 'pi_1',
        charge_id: 'ch_1',
        checkout_session_id: null,
      },
    });
    expect(
      planStripeEvent(
        event('payment_intent.succeeded', {
          id: 'pi_2',
          amount: 2200,
          amount_received: 2200,
          currency: 'aud',
          latest_charge: { id: 'ch_2' },
          metadata: { business_id: BUSINESS },
        }),
      ),
    ).toMatchObject({ action: 'payment_succeeded', args: { payment_intent_id: 'pi_2', charge_id: 'ch_2', checkout_session_id: null } });
    expect(
      planStripeEvent(
        event('checkout.session.completed', {
          id: 'cs_3',
          payment_status: 'paid',
          amount_total: 2200,
          currency: 'aud',
          payment_intent: 'pi_3',
          metadata: { business_id: BUSINESS },
        }),
      ),
    ).toMatchObject({ action: 'payment_succeeded', args: { payment_intent_id: 'pi_3', charge_id: null, checkout_session_id: 'cs_3' } });
  });

  it('ignores, with the reason, what is not a paid featured purchase or a full refund', () => {
    const reasons = [
      planStripeEvent(event('charge.succeeded', { id: 'ch', amount: 2200, currency: 'aud', metadata: {} })),
      planStripeEvent(event('charge.succeeded', { id: 'ch', amount: 2200, currency: 'aud', metadata: { business_id: 'not-a-uuid' } })),
      planStripeEvent(event('checkout.session.completed', { id: 'cs', payment_status: 'unpaid', metadata: { business_id: BUSINESS } })),
      planStripeEvent(event('charge.refunded', { id: 'ch', amount: 2200, amount_refunded: 1000, currency: 'aud', metadata: { business_id: BUSINESS } })),
      planStripeEvent(event('refund.created', { id: 're', status: 'pending', amount: 2200 })),
      planStripeEvent(event('customer.created', { id: 'cus' })),
    ].map((a) => (a.action === 'ignore' ? a.args.reason : a.action));
    expect(reasons).toEqual([
      'not a featured purchase (no business_id metadata)',
      'not a featured purchase (no business_id metadata)',
      'session unpaid',
      'partial refund (policy: full refunds only)',
      'refund pending',
      'event type customer.created is not used',
    ]);
  });

  it('records a full refund from the charge, and leaves a bare refund to be matched to its payment by the database', () => {
    expect(
      planStripeEvent(
        event('charge.refunded', {
          id: 'ch_4',
          amount: 2200,
          amount_refunded: 2200,
          currency: 'aud',
          created: 1_789_000_000,
          payment_intent: 'pi_4',
          refunds: { data: [{ id: 're_4' }] },
          metadata: { business_id: BUSINESS },
        }),
      ),
    ).toEqual({
      action: 'refund',
      args: {
        business_id: BUSINESS,
        amount_cents: 2200,
        currency: 'aud',
        paid_at: iso(1_789_000_000),
        refunded_at: iso(1_790_000_000),
        payment_intent_id: 'pi_4',
        charge_id: 'ch_4',
        refund_id: 're_4',
      },
    });
    expect(
      planStripeEvent(
        event('refund.created', {
          id: 're_5',
          status: 'succeeded',
          amount: 2200,
          created: 1_789_500_000,
          payment_intent: 'pi_5',
          charge: 'ch_5',
        }),
      ),
    ).toEqual({
      action: 'refund_of_payment',
      args: {
        amount_cents: 2200,
        refunded_at: iso(1_789_500_000),
        payment_intent_id: 'pi_5',
        charge_id: 'ch_5',
        refund_id: 're_5',
      },
    });
  });
});
