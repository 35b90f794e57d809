// One business's dossier (spec 2.5, playbooks 2 and 4): the facts the
// operator used to gather with five queries and the Stripe Dashboard, read
// here in one go. Stripe is asked now (each recorded charge's state, and its
// search for charges made for this business that no webhook recorded).
import type { Dossier, PaymentFinding } from '../../../../../shared/api/investigation.ts';
import {
  approveReview,
  auditAction,
  bulkApproveReviews,
  REINSTATE_CAUSE,
  reinstateReview,
  rejectReview,
  replyToReviewer,
} from '../../../../../shared/commands/index.ts';
import type { Sql } from '../db.ts';
import type { Stripe } from '../stripe.ts';
import { searchCriteria } from '../operator/search-criteria.ts';
import { findingsOf } from './findings.ts';

/** The audit log's actions on a review, as the operator reads them. */
const STEP: Record<string, string> = {
  [auditAction(approveReview)]: 'approved',
  [auditAction(rejectReview)]: 'rejected',
  [auditAction(bulkApproveReviews)]: 'approved in a bulk approval',
  [auditAction(reinstateReview)]: 'approved it on appeal, overturning the rejection',
  [auditAction(replyToReviewer)]: 'replied to the reviewer',
  // As the demo's history (and the earliest migrations) wrote them.
  'review.approved': 'approved',
  'review.rejected': 'rejected',
};
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
/** Stripe's search is eventually consistent (about a minute behind); enough for a complaint about yesterday. */
const STRIPE_SEARCH_MAX = 100;

export async function readDossier(sql: Sql, stripe: Stripe, businessId: string, now: Date): Promise<Dossier | null> {
  const [b] = await sql`
    select b.id, b.name, b.council_id, c.name as council_name, b.status, b.deleted, b.owner_id,
           p.display_name as owner_name, coalesce(p.email, u.email) as owner_email, p.account_status, p.flagged_reason,
           public.business_hidden_reason(b.status, b.deleted, b.age_specialties, b.behavior_issues) as hidden,
           ${searchCriteria(sql, 'the name')} as criteria
    from public.businesses b
    join public.councils c on c.id = b.council_id
    left join public.profiles p on p.id = b.owner_id
    left join auth.users u on u.id = b.owner_id
    where b.id = ${businessId}`;
  if (!b) return null;

  const [featured, queue, payments, refunds, reviews, complaints] = await Promise.all([
    sql`select id, payment_id, featured_from, featured_until from public.featured_placements
        where business_id = ${businessId} and status = 'active' order by featured_until desc limit 1`,
    sql`select q.payment_id, q.paid_at, qp.queue_position, qp.eta,
               (select count(*)::int from public.featured_queue w where w.council_id = q.council_id and w.promoted_at is null and w.cancelled_at is null) as waiting,
               (select count(*)::int from public.featured_placements fp where fp.council_id = q.council_id and fp.status = 'active') as active,
               public.featured_slots_per_council()::int as slots
        from public.featured_queue q cross join lateral public.queue_position(q.payment_id, ${now}) qp
        where q.business_id = ${businessId} and q.promoted_at is null and q.cancelled_at is null
        order by q.paid_at limit 1`,
    sql`select pa.id, pa.amount_cents, pa.currency, pa.status, pa.paid_at, pa.stripe_charge_id, pa.stripe_payment_intent_id, pa.notes,
               case when pa.status in ('failed', 'refunded', 'pending') then pa.status
                    when pa.held_reason is not null then 'held'
                    when exists (select 1 from public.featured_placements fp where fp.payment_id = pa.id and fp.status = 'active') then 'featured'
                    when exists (select 1 from public.featured_queue q where q.payment_id = pa.id and q.promoted_at is null and q.cancelled_at is null) then 'queued'
                    when exists (select 1 from public.featured_placements fp where fp.payment_id = pa.id)
                      or exists (select 1 from public.featured_queue q where q.payment_id = pa.id) then 'ended'
                    else 'orphaned' end as standing
        from public.payment_audit pa where pa.business_id = ${businessId}
        order by pa.paid_at desc nulls last, pa.created_at desc limit 20`,
    sql`select rr.id, rr.payment_id, rr.status, rr.requested_at, rr.reason, rr.decided_at, d.display_name as decided_by_name, rr.decision_note
        from public.refund_requests rr left join public.profiles d on d.id = rr.decided_by
        where rr.business_id = ${businessId} order by rr.requested_at desc limit 20`,
    sql`select r.id, r.rating, r.body, r.display_name, r.status, r.ai_confidence::float8 as ai_confidence, r.ai_flags,
               r.rejection_reason, r.rejection_note, r.version, r.created_at,
               exists (select 1 from public.complaints c where c.review_id = r.id and c.status = 'pending') as disputed,
               coalesce((select json_agg(json_build_object('at', a.occurred_at, 'who', coalesce(p.display_name, a.actor_kind), 'action', a.action,
                                                           'reason', coalesce(a.details -> 'after' ->> 'rejection_reason', a.details -> 'after' ->> 'cause', a.details ->> 'reason'),
                                                           'note', coalesce(a.details -> 'after' ->> 'rejection_note', a.details -> 'after' ->> 'note', a.details ->> 'note'))
                                         order by a.occurred_at, a.id)
                         from public.audit_log a left join public.profiles p on p.id = a.actor_id
                         where (a.subject_type = 'review' and a.subject_id = r.id::text)
                            or (a.action = ${auditAction(bulkApproveReviews)} and a.details -> 'after' -> 'approved' ? r.id::text)), '[]') as history
        from public.reviews r where r.business_id = ${businessId} order by disputed desc, r.created_at desc limit 50`,
    sql`select id, kind, message, status, created_at, closed_at, resolution from public.complaints
        where business_id = ${businessId} order by created_at desc limit 20`,
  ]);

  const [recorded, unrecorded] = await Promise.all([
    Promise.all(payments.map((p) => stripeState(stripe, p.stripe_charge_id, p.stripe_payment_intent_id))),
    unrecordedCharges(sql, stripe, businessId),
  ]);
  const dossier: Omit<Dossier, 'findings'> = {
    business: {
      id: b.id,
      name: b.name,
      councilId: b.council_id,
      councilName: b.council_name,
      status: b.status,
      deleted: b.deleted,
      ownerId: b.owner_id,
      ownerName: b.owner_name,
      ownerEmail: b.owner_email,
      accountStatus: b.account_status,
      flaggedReason: b.flagged_reason,
    },
    featured: featured[0]
      ? { placementId: featured[0].id, paymentId: featured[0].payment_id, from: iso(featured[0].featured_from)!, until: iso(featured[0].featured_until)! }
      : null,
    queue: queue[0]
      ? {
          paymentId: queue[0].payment_id,
          paidAt: iso(queue[0].paid_at)!,
          position: queue[0].queue_position,
          eta: iso(queue[0].eta),
          waitingInCouncil: queue[0].waiting,
          activeInCouncil: queue[0].active,
          slots: queue[0].slots,
        }
      : null,
    payments: payments.map(
      (p, i): PaymentFinding => ({
        id: p.id,
        amountCents: p.amount_cents,
        currency: p.currency,
        status: p.status,
        paidAt: iso(p.paid_at),
        chargeId: p.stripe_charge_id,
        paymentIntentId: p.stripe_payment_intent_id,
        notes: p.notes,
        standing: p.standing,
        ...recorded[i]!,
      }),
    ),
    unrecorded,
    refunds: refunds.map((r) => ({
      id: r.id,
      paymentId: r.payment_id,
      status: r.status,
      requestedAt: iso(r.requested_at)!,
      reason: r.reason,
      decidedAt: iso(r.decided_at),
      decidedByName: r.decided_by_name,
      decisionNote: r.decision_note,
    })),
    search: { visible: b.hidden === null, reason: b.hidden, criteria: b.criteria },
    reviews: reviews.map((r) => ({
      id: r.id,
      rating: r.rating,
      body: r.body,
      displayName: r.display_name,
      status: r.status,
      aiConfidence: r.ai_confidence,
      aiFlags: r.ai_flags,
      rejectionReason: r.rejection_reason,
      rejectionNote: r.rejection_note,
      version: r.version,
      disputed: r.disputed,
      createdAt: iso(r.created_at)!,
      history: [
        // The AI's view at submission is the first step of every review's history.
        {
          at: iso(r.created_at)!,
          who: 'AI moderation',
          action: `scored ${r.ai_confidence === null ? 'no confidence' : r.ai_confidence.toFixed(2)}${r.ai_flags.length ? `, flagged ${r.ai_flags.join(', ')}` : ', no flags'}`,
          reason: null,
          note: null,
        },
        ...(r.history as { at: string; who: string; action: string; reason: string | null; note: string | null }[]).map((h) => ({
          ...h,
          at: iso(h.at)!,
          action: STEP[h.action] ?? h.action,
          // An appeal's cause in words; a rejection's reason is its code (spam, profanity...), as the queue shows it.
          reason: h.action === auditAction(reinstateReview) ? (REINSTATE_CAUSE[h.reason as keyof typeof REINSTATE_CAUSE] ?? h.reason) : h.reason,
        })),
      ],
    })),
    complaints: complaints.map((c) => ({
      id: c.id,
      kind: c.kind,
      message: c.message,
      status: c.status,
      createdAt: iso(c.created_at)!,
      closedAt: iso(c.closed_at),
      resolution: c.resolution,
    })),
  };
  return { ...dossier, findings: findingsOf(dossier) };
}

type StripeView = Pick<PaymentFinding, 'stripe' | 'stripeError'>;

async function stripeState(stripe: Stripe, charge: string | null, intent: string | null): Promise<StripeView> {
  try {
    if (charge) {
      const c = await stripe.charges.retrieve(charge);
      return { stripe: { status: c.status, amountCents: c.amount, currency: c.currency, refunded: c.refunded }, stripeError: null };
    }
    if (intent) {
      const p = await stripe.paymentIntents.retrieve(intent);
      return { stripe: { status: p.status, amountCents: p.amount, currency: p.currency, refunded: false }, stripeError: null };
    }
    return { stripe: null, stripeError: null };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return { stripe: null, stripeError: null };
    return { stripe: null, stripeError: `Stripe could not be asked: ${(err as Error).message}` };
  }
}

/** Charges Stripe made for this business (its checkout puts business_id in the metadata) that no payment here records. */
async function unrecordedCharges(sql: Sql, stripe: Stripe, businessId: string): Promise<Dossier['unrecorded']> {
  const found = await stripe.charges.search({ query: `metadata['business_id']:'${businessId}'`, limit: STRIPE_SEARCH_MAX });
  if (found.data.length === 0) return [];
  const charges = found.data.map((c) => c.id);
  const intents = found.data.flatMap((c) => (typeof c.payment_intent === 'string' ? [c.payment_intent] : []));
  const known = await sql<{ charge: string | null; intent: string | null }[]>`
    select stripe_charge_id as charge, stripe_payment_intent_id as intent from public.payment_audit
    where stripe_charge_id = any(${charges}::text[]) or stripe_payment_intent_id = any(${intents}::text[])`;
  const seen = new Set(known.flatMap((k) => [k.charge, k.intent]));
  return found.data
    .filter((c) => !seen.has(c.id) && !(typeof c.payment_intent === 'string' && seen.has(c.payment_intent)))
    .map((c) => ({
      chargeId: c.id,
      paymentIntentId: typeof c.payment_intent === 'string' ? c.payment_intent : null,
      amountCents: c.amount,
      currency: c.currency,
      createdAt: new Date(c.created * 1000).toISOString(),
      status: c.refunded ? 'refunded' : c.status,
    }));
}
