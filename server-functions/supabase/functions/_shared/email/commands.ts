// The emails the operator sends: the spec's trainer emails and the reply to a
// reviewer who disputed a moderation decision. Facts come from the server's
// rows, never typed by hand.
import { emailTrainer, replyToReviewer } from '../../../../../shared/commands/emails.ts';
import type { Handler, Handlers } from '../operator/command.ts';
import { searchCriteria } from '../operator/search-criteria.ts';
import { Refusal } from '../operator/versioned.ts';

/** The spec's trainer emails, with the facts filled in by the server (never typed by hand). */
const emailSend: Handler<typeof emailTrainer.type> = async (ctx, c) => {
  const { businessId, template } = c.payload;
  const [contact] = await ctx.tx<{ email: string | null; name: string; business: string; council: string }[]>`
    select * from public.business_contact(${businessId})`;
  if (!contact?.business) throw new Refusal({ kind: 'not_found', reason: `business ${businessId} does not exist` });
  if (!contact.email) throw new Refusal({ kind: 'refused', reason: `${contact.business} has no email address` });
  const base = { name: contact.name, business: contact.business, council: contact.council };
  let payload: Record<string, unknown>;
  if (template === 'featured_queued' || template === 'queue_position_reply') {
    const [q] = await ctx.tx<{ payment_id: string; amount_cents: number; paid_at: Date; queue_position: number; eta: Date | null; slots: number }[]>`
      select fq.payment_id, pa.amount_cents, fq.paid_at, qp.queue_position, qp.eta,
             public.featured_slots_per_council()::int as slots
      from public.featured_queue fq
      join public.payment_audit pa on pa.id = fq.payment_id
      cross join lateral public.queue_position(fq.payment_id, now()) qp
      where fq.business_id = ${businessId} and fq.promoted_at is null and fq.cancelled_at is null
      order by fq.paid_at limit 1`;
    if (!q) throw new Refusal({ kind: 'refused', reason: `${contact.business} has no purchase waiting in a queue` });
    // The reply explains a free slot too; the queued notice is only for a wait.
    if (q.queue_position === 0 && template === 'featured_queued') {
      throw new Refusal({ kind: 'refused', reason: `${contact.business} is not waiting: a slot is free and the promoter places it within minutes` });
    }
    payload = { ...base, amount_cents: q.amount_cents, position: q.queue_position, eta: q.eta, received_at: q.paid_at, slots: q.slots };
  } else if (template === 'search_help') {
    const [b] = await ctx.tx<{ criteria: string; hidden: string | null }[]>`
      select ${searchCriteria(ctx.tx, 'your business name')} as criteria,
             public.business_hidden_reason(b.status, b.deleted, b.age_specialties, b.behavior_issues) as hidden
      from public.businesses b join public.councils c on c.id = b.council_id where b.id = ${businessId}`;
    payload = { ...base, criteria: b!.criteria, hidden: b!.hidden };
  } else {
    const [p] = await ctx.tx<{ featured_until: Date; amount_cents: number }[]>`
      select fp.featured_until, pa.amount_cents from public.featured_placements fp join public.payment_audit pa on pa.id = fp.payment_id
      where fp.business_id = ${businessId} and fp.status = 'active' order by fp.featured_until desc limit 1`;
    if (!p) throw new Refusal({ kind: 'refused', reason: `${contact.business} has no active featured placement` });
    payload = { ...base, amount_cents: p.amount_cents, until: p.featured_until };
  }
  const [row] = await ctx.tx<{ id: string | null }[]>`
    select public.queue_email(${contact.email}, ${template}, ${ctx.tx.json(payload as never)}, ${'operator_email:' + c.id}) as id`;
  return { subjectType: 'business', subjectId: businessId, before: null, after: { template, to: contact.email }, details: { emailId: row!.id } };
};

/** Why a review was refused, as the reviewer reads it. */
const REJECTED_FOR: Record<string, string> = {
  spam: 'it reads as spam',
  profanity: 'it contains profanity',
  off_topic: 'it is not about the training',
  other: 'it does not meet our review guidelines',
};

/** 2.5 scenario 3: the reviewer hears the review's outcome, decided by its status, never typed by hand. */
const emailReviewReply: Handler<typeof replyToReviewer.type> = async (ctx, c) => {
  const { reviewId, businessId, to, note } = c.payload;
  const [r] = await ctx.tx<{ status: string; rejection_reason: string | null; business: string }[]>`
    select r.status, r.rejection_reason, b.name as business
    from public.reviews r join public.businesses b on b.id = r.business_id
    where r.id = ${reviewId} and r.business_id = ${businessId}`;
  if (!r) throw new Refusal({ kind: 'not_found', reason: `review ${reviewId} of business ${businessId} does not exist` });
  if (r.status === 'pending') throw new Refusal({ kind: 'refused', reason: 'the review is still waiting for a decision; decide it first' });
  const decision = r.status === 'approved' ? 'approved' : 'denied';
  const why = decision === 'approved' ? 'it follows our review guidelines' : (REJECTED_FOR[r.rejection_reason ?? 'other'] ?? REJECTED_FOR.other!);
  const reason = note ? `${why} (${note})` : why;
  const [row] = await ctx.tx<{ id: string | null }[]>`
    select public.queue_email(${to}, 'review_dispute_reply', ${ctx.tx.json({ business: r.business, decision, reason } as never)}, ${'operator_email:' + c.id}) as id`;
  return { subjectType: 'review', subjectId: reviewId, before: null, after: { template: 'review_dispute_reply', to, decision }, details: { emailId: row!.id } };
};

export const emailHandlers: Handlers<(typeof emailTrainer | typeof replyToReviewer)['type']> = {
  [emailTrainer.type]: emailSend,
  [replyToReviewer.type]: emailReviewReply,
};
