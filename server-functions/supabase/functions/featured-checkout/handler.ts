// POST /functions/v1/featured-checkout (trainer JWT): a Stripe Checkout
// Session for one featured placement (price and currency from settings) with
// the business and council in the metadata of the session and of its payment
// intent, so every event the purchase produces names them. Refused, with the
// reason, for someone else's business, a business not listed in search, an
// account flagged for review (the refund-abuse guard), a business already
// holding its placements_per_business (no slot squatting), and success or
// cancel URLs outside the site's own origins (no open redirect).
import { FeaturedCheckoutRequest } from '../../../../shared/api/trainer.ts';
import { signedInUser, type JwtVerifier } from '../_shared/auth.ts';
import { readJsonBody } from '../_shared/body.ts';
import type { Sql } from '../_shared/db.ts';
import { errorResponse, expectMethod, json } from '../_shared/http.ts';
import type { Stripe } from '../_shared/stripe.ts';

export interface CheckoutDeps {
  sql: Sql;
  stripe: Stripe;
  verifier: JwtVerifier;
  siteUrl: string;
}

interface BusinessRow {
  id: string;
  name: string;
  council_id: string;
  council_name: string;
  owner_id: string;
  /** Why it is not shown in search (public.business_hidden_reason, the words beside the rule), null when shown. */
  hidden: string | null;
  account_status: string | null;
  price_cents: number;
  currency: string;
  days: number;
  held: number;
  held_limit: number;
  held_until: Date | null;
  queued_since: Date | null;
  redirect_origins: string[] | null;
}

/** Why a return URL is refused (it is not a page of the site: an open redirect), or null when it is allowed. */
function redirectRefusal(field: 'successUrl' | 'cancelUrl', url: string | undefined, allowed: string[]) {
  if (url === undefined) return null;
  const origin = new URL(url).origin;
  return allowed.includes(origin) ? null : { field, message: `${field} must be a page of the site (${allowed.join(' or ')}), not ${origin}` };
}

// Made once: a formatter per request is the slow part of formatting a date.
const melbourneDate = new Intl.DateTimeFormat('en-AU', { timeZone: 'Australia/Melbourne', dateStyle: 'long' });

export function createFeaturedCheckoutHandler({ sql, stripe, verifier, siteUrl }: CheckoutDeps) {
  return async (req: Request): Promise<Response> => {
    const refused = expectMethod(req, 'POST');
    if (refused) return refused;
    const auth = await signedInUser(req, verifier, 'the trainer who owns the business');
    if (!auth.ok) return errorResponse(auth.status, auth.status === 401 ? 'unauthorized' : 'forbidden', auth.message);
    const body = await readJsonBody(req, FeaturedCheckoutRequest);
    if (!body.ok) return body.response;

    const [business] = await sql<BusinessRow[]>`
      select b.id, b.name, b.council_id, c.name as council_name, b.owner_id,
             public.business_hidden_reason(b.status, b.deleted, b.age_specialties, b.behavior_issues) as hidden,
             p.account_status,
             public.setting_numeric('featured_price_cents')::integer as price_cents,
             public.featured_currency() as currency,
             public.featured_days()::integer as days,
             (select count(*) from public.featured_placements fp where fp.business_id = b.id and fp.status = 'active')::int
               + (select count(*) from public.featured_queue q where q.business_id = b.id and q.promoted_at is null and q.cancelled_at is null)::int as held,
             public.placements_per_business()::int as held_limit,
             (select max(fp.featured_until) from public.featured_placements fp where fp.business_id = b.id and fp.status = 'active') as held_until,
             (select min(q.paid_at) from public.featured_queue q where q.business_id = b.id and q.promoted_at is null and q.cancelled_at is null) as queued_since,
             (select array(select jsonb_array_elements_text(s.value)) from public.settings s where s.key = 'checkout_redirect_origins') as redirect_origins
      from public.businesses b
      join public.councils c on c.id = b.council_id
      left join public.profiles p on p.id = b.owner_id
      where b.id = ${body.value.businessId}`;
    if (!business || business.owner_id !== auth.claims.sub) {
      return errorResponse(404, 'not_found', 'businessId is not one of your businesses', { field: 'businessId' });
    }
    if (business.account_status === 'flagged_for_review') {
      return errorResponse(
        403,
        'forbidden',
        'your account is flagged for review after repeated refunds; featured purchases are paused until an operator has reviewed it',
      );
    }
    if (business.hidden) {
      return errorResponse(409, 'conflict', `this business is not shown in search (${business.hidden}), so it cannot be featured`, { field: 'businessId' });
    }

    if (business.held >= business.held_limit) {
      const what = business.held_until
        ? `a featured placement active until ${melbourneDate.format(business.held_until)}`
        : `a purchase waiting in the ${business.council_name} queue since ${melbourneDate.format(business.queued_since ?? new Date())}`;
      return errorResponse(409, 'conflict', `this business already has ${what}; one business holds at most ${business.held_limit} at a time`, {
        field: 'businessId',
      });
    }
    const allowed = [...new Set([new URL(siteUrl).origin, ...(business.redirect_origins ?? [])])];
    const badRedirect = redirectRefusal('successUrl', body.value.successUrl, allowed) ?? redirectRefusal('cancelUrl', body.value.cancelUrl, allowed);
    if (badRedirect) return errorResponse(400, 'bad_request', badRedirect.message, { field: badRedirect.field });

    const metadata = { business_id: business.id, council_id: business.council_id, owner_id: business.owner_id };
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: business.currency,
            unit_amount: business.price_cents,
            product_data: { name: `Featured placement: ${business.name} in ${business.council_name} (${business.days} days)` },
          },
        },
      ],
      metadata,
      payment_intent_data: { metadata },
      client_reference_id: business.id,
      success_url: body.value.successUrl ?? `${siteUrl}/featured/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: body.value.cancelUrl ?? `${siteUrl}/featured/cancelled`,
    });
    return json({ id: session.id, url: session.url, amountCents: business.price_cents, currency: business.currency }, 201);
  };
}
