// Rows for database tests, written as the superuser (the way the server
// writes them). Each helper fills in what the schema requires and returns
// the new row's id; pass overrides for what a test cares about.
import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';

export async function createCouncil(sql: Sql, id = 'melbourne', name = `City of ${id}`): Promise<string> {
  await sql`insert into public.councils (id, name) values (${id}, ${name}) on conflict (id) do nothing`;
  return id;
}

/** An auth user with a profile. `profileRole` is what profiles.role says, not what the JWT says. */
export async function createPerson(sql: Sql, opts: { profileRole?: 'trainer' | 'operator'; email?: string } = {}): Promise<string> {
  const id = randomUUID();
  const email = opts.email ?? `${id.slice(0, 8)}@example.test`;
  await sql`insert into auth.users (id, email) values (${id}, ${email})`;
  await sql`insert into public.profiles (id, role, email, display_name)
            values (${id}, ${opts.profileRole ?? 'trainer'}, ${email}, ${'Person ' + id.slice(0, 4)})`;
  return id;
}

export interface BusinessOverrides {
  name?: string;
  status?: 'active' | 'suspended';
  deleted?: boolean;
  ageSpecialties?: string[];
  behaviorIssues?: string[];
}

/** A business that is visible in search unless overrides say otherwise. */
export async function createBusiness(sql: Sql, ownerId: string, councilId: string, o: BusinessOverrides = {}): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into public.businesses (owner_id, council_id, name, status, deleted, age_specialties, behavior_issues, suburb)
    values (${ownerId}, ${councilId}, ${o.name ?? 'Good Dog Training'}, ${o.status ?? 'active'}, ${o.deleted ?? false},
            ${o.ageSpecialties ?? ['puppy']}::text[], ${o.behaviorIssues ?? ['pulling']}::text[], 'Carlton')
    returning id`;
  return row!.id;
}

export async function createPayment(
  sql: Sql,
  businessId: string,
  councilId: string,
  o: { status?: 'succeeded' | 'refunded' | 'failed' | 'pending'; paidAt?: Date; paymentIntentId?: string; chargeId?: string } = {},
): Promise<string> {
  const status = o.status ?? 'succeeded';
  const paidAt = status === 'succeeded' || status === 'refunded' ? (o.paidAt ?? new Date()) : null;
  const [row] = await sql<{ id: string }[]>`
    insert into public.payment_audit
      (business_id, council_id, stripe_payment_intent_id, stripe_charge_id, amount_cents, status, paid_at, refunded_at)
    values (${businessId}, ${councilId}, ${o.paymentIntentId ?? 'pi_' + randomUUID()}, ${o.chargeId ?? 'ch_' + randomUUID()}, 2200, ${status}, ${paidAt},
            ${status === 'refunded' ? new Date() : null})
    returning id`;
  return row!.id;
}

export async function createPlacement(sql: Sql, businessId: string, councilId: string, paymentId: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into public.featured_placements (business_id, council_id, payment_id, featured_from, featured_until)
    values (${businessId}, ${councilId}, ${paymentId}, now(), now() + interval '30 days')
    returning id`;
  return row!.id;
}

export async function createQueueEntry(sql: Sql, businessId: string, councilId: string, paymentId: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into public.featured_queue (business_id, council_id, payment_id, paid_at)
    values (${businessId}, ${councilId}, ${paymentId}, now())
    returning id`;
  return row!.id;
}

export async function createReview(sql: Sql, businessId: string, status: 'pending' | 'approved' | 'rejected' = 'pending'): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into public.reviews (business_id, rating, body, status, rejection_reason, ai_confidence, submitted_ip_hash)
    values (${businessId}, 5, ${`A ${status} review`}, ${status}, ${status === 'rejected' ? 'spam' : null}, 0.95,
            'iphash-secret')
    returning id`;
  return row!.id;
}

export async function createRefundRequest(sql: Sql, paymentId: string, businessId: string, requestedBy: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into public.refund_requests (payment_id, business_id, requested_by, reason)
    values (${paymentId}, ${businessId}, ${requestedBy}, 'No leads')
    returning id`;
  return row!.id;
}

export async function createAlert(sql: Sql, kind = 'queue_long', subject = 'melbourne'): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into public.alerts (severity, kind, subject, message)
    values ('YELLOW', ${kind}, ${subject}, ${`${kind} for ${subject}`})
    returning id`;
  return row!.id;
}
