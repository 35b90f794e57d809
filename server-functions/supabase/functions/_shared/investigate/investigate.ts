// POST /operator/investigate: from what the trainer's email gives the
// operator (their email address, their name or the business's, a business
// id, a payment id, a Stripe charge or payment intent id, or a complaint or
// review id) to the businesses it names, and, when it names exactly one, that
// business's dossier. POST /operator/queue-check: playbook 4's integrity check.
import type { InvestigateAnswer, InvestigationMatch, QueueCheckAnswer } from '../../../../../shared/api/investigation.ts';
import type { PendingQuery, Row } from 'postgres';
import type { Sql } from '../db.ts';
import type { Stripe } from '../stripe.ts';
import { readDossier } from './dossier.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STRIPE_ID = /^(ch|py|pi|cs)_[A-Za-z0-9_]+$/;
const MAX_MATCHES = 20;

export async function findBusinesses(sql: Sql, stripe: Stripe, query: string): Promise<InvestigationMatch[]> {
  const q = query.trim();
  type Fragment = PendingQuery<Row[]>;
  const rows = (matchedBy: InvestigationMatch['matchedBy'] | Fragment, where: Fragment) => sql<InvestigationMatch[]>`
    select b.id as "businessId", b.name as "businessName", c.name as "councilName", p.display_name as "ownerName",
           coalesce(p.email, u.email) as "ownerEmail", ${typeof matchedBy === 'string' ? sql`${matchedBy}::text` : matchedBy} as "matchedBy"
    from public.businesses b
    join public.councils c on c.id = b.council_id
    left join public.profiles p on p.id = b.owner_id
    left join auth.users u on u.id = b.owner_id
    where ${where}
    order by b.name, b.id limit ${MAX_MATCHES}`;

  if (UUID.test(q)) {
    const id = q.toLowerCase();
    const inPayments = sql`b.id in (select pa.business_id from public.payment_audit pa where pa.id = ${id})`;
    const inComplaints = sql`b.id in (select x.business_id from public.complaints x where x.id = ${id})`;
    return rows(
      sql`case when b.id = ${id} then 'business id' when ${inPayments} then 'payment' when ${inComplaints} then 'complaint' else 'review' end`,
      sql`b.id = ${id} or ${inPayments} or ${inComplaints} or b.id in (select r.business_id from public.reviews r where r.id = ${id})`,
    );
  }
  if (STRIPE_ID.test(q)) {
    const recorded = await rows(
      'payment',
      sql`b.id in (select pa.business_id from public.payment_audit pa
                   where pa.stripe_charge_id = ${q} or pa.stripe_payment_intent_id = ${q} or pa.stripe_checkout_session_id = ${q})`,
    );
    if (recorded.length || !q.startsWith('ch_')) return recorded;
    // A charge no webhook recorded is still Stripe's: its metadata names the business it was for.
    const charge = await stripe.charges.retrieve(q).catch(() => null);
    const businessId = charge?.metadata?.business_id;
    return businessId && UUID.test(businessId) ? rows('payment', sql`b.id = ${businessId}`) : [];
  }
  if (q.includes('@')) {
    return rows('email', sql`lower(coalesce(p.email, u.email)) = lower(${q}) or lower(b.email) = lower(${q})`);
  }
  const like = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return rows('name', sql`b.name ilike ${like} or p.display_name ilike ${like}`);
}

export async function investigate(sql: Sql, stripe: Stripe, query: string, now: Date): Promise<InvestigateAnswer> {
  const matches = await findBusinesses(sql, stripe, query);
  const one = matches.length === 1 ? matches[0]!.businessId : null;
  return { query, matches, dossier: one ? await readDossier(sql, stripe, one, now) : null };
}

export async function checkQueue(sql: Sql, councilId: string, now: Date): Promise<QueueCheckAnswer> {
  const [row] = await sql<{ r: QueueCheckAnswer }[]>`select public.check_queue_integrity(${councilId}, ${now}) as r`;
  const r = row!.r;
  if (r.outcome !== 'out_of_order') return r;
  const [alert] = await sql<{ message: string }[]>`
    select message from public.alerts where kind = 'queue_out_of_order' and subject = ${councilId} and resolved_at is null`;
  return { ...r, ...(alert ? { message: alert.message } : {}) };
}
