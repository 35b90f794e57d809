// Playbook 4's condition: a council's featured slots out of payment order.
// It happens the way the product lets it: a purchase recorded with no
// placement (a missed webhook) is activated by the operator at once, "even
// if the council is full" (public.activate_orphaned_payment), although it was
// paid after the first trainer still waiting in that council's queue. That
// trainer complains about their queue position (kind queue_position); the
// queue-integrity check (check_queue_integrity, the one the daily job and the
// operator's investigation run) raises the RED queue_out_of_order.
import { nowOf, openAlerts, refreshAlerts, type DemoStack, type OpenAlert } from './context.ts';
import { stripePurchase } from './stripe.ts';
import { fileComplaint, newTrainer } from './trainers.ts';

export interface QueuePlant {
  councilId: string;
  /** The earliest payer still waiting, who complains. */
  waiting: { businessId: string; business: string; paymentId: string; paidAt: Date };
  /** The later payer featured now. */
  ahead: { businessId: string; business: string; paymentId: string; placementId: string; paidAt: Date };
  complaintId: string;
  /** What raised the alert: the alerts refresh itself, or the integrity check run for the council afterwards. */
  raisedBy: 'alerts-refresh' | 'check_queue_integrity';
  alerts: OpenAlert[];
}

export async function plantQueueOutOfOrder(stack: DemoStack): Promise<QueuePlant> {
  const { sql } = stack;
  const now = nowOf(stack);
  // The longest queue in a full council: its first waiting payer is the one jumped.
  const [first] = await sql<{ council_id: string; business_id: string; business: string; owner_id: string; payment_id: string; paid_at: Date }[]>`
    select q.council_id, q.business_id, b.name as business, b.owner_id, q.payment_id, q.paid_at
    from public.featured_queue q join public.businesses b on b.id = q.business_id
    where q.promoted_at is null and q.cancelled_at is null
      and (select count(*) from public.featured_placements fp where fp.council_id = q.council_id and fp.status = 'active')
          >= public.featured_slots_per_council()
    order by (select count(*) from public.featured_queue w where w.council_id = q.council_id and w.promoted_at is null and w.cancelled_at is null) desc,
             q.council_id, q.paid_at, q.payment_id
    limit 1`;
  if (!first) throw new Error('no full council has anyone waiting in its queue: nothing can be put out of order');

  // The later payer paid just after the first one waiting and before the next (one out-of-order pair, as a complaint names it).
  const [next] = await sql<{ paid_at: Date }[]>`
    select q.paid_at from public.featured_queue q
    where q.council_id = ${first.council_id} and q.promoted_at is null and q.cancelled_at is null and (q.paid_at, q.payment_id) > (${first.paid_at}, ${first.payment_id})
    order by q.paid_at, q.payment_id limit 1`;
  const hourLater = first.paid_at.getTime() + 3600_000;
  const paidAt = new Date(next ? Math.min(hourLater, (first.paid_at.getTime() + next.paid_at.getTime()) / 2) : hourLater);
  const jumper = await newTrainer(sql, 'Jordan Quickstart', first.council_id, 40);
  const stripe = await stripePurchase(stack, { businessId: jumper.businessId, councilId: jumper.councilId, paidAt });
  const [payment] = await sql<{ id: string }[]>`
    insert into public.payment_audit (business_id, council_id, stripe_payment_intent_id, stripe_charge_id, amount_cents, currency,
                                      status, paid_at, last_stripe_event_at)
    values (${jumper.businessId}, ${jumper.councilId}, ${stripe.payment_intent.id}, ${stripe.charge.id}, 2200, 'aud', 'succeeded', ${paidAt}, ${paidAt})
    returning id`;
  const [operator] = await sql<{ id: string }[]>`select id from public.profiles where role = 'operator' order by created_at limit 1`;
  if (!operator) throw new Error('the stack has no operator account');
  const [activated] = await sql<{ r: { outcome: string; placement_id?: string; reason?: string } }[]>`
    select public.activate_orphaned_payment(${payment!.id}, ${operator.id}, ${now}) as r`;
  if (activated!.r.outcome !== 'applied') throw new Error(`activating the later purchase was refused: ${activated!.r.reason}`);

  const paid = first.paid_at.toLocaleString('en-AU', { timeZone: 'Australia/Melbourne', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
  const complaint = await fileComplaint(sql, {
    ownerId: first.owner_id,
    businessId: first.business_id,
    kind: 'queue_position',
    message: `I paid first! I paid on ${paid} and I'm still waiting, but ${jumper.business} is featured already. Why am I not featured?`,
    paymentId: first.payment_id,
  });

  await refreshAlerts(stack);
  let raisedBy: QueuePlant['raisedBy'] = 'alerts-refresh';
  const raised = async () => (await openAlerts(stack, ['queue_out_of_order'])).filter((a) => a.subject === first.council_id);
  if ((await raised()).length === 0) {
    // The alerts refresh does not run the integrity check (yet): run it for this council as the daily job's check does.
    await sql`select public.check_queue_integrity(${first.council_id}, ${nowOf(stack)})`;
    raisedBy = 'check_queue_integrity';
  }
  return {
    councilId: first.council_id,
    waiting: { businessId: first.business_id, business: first.business, paymentId: first.payment_id, paidAt: first.paid_at },
    ahead: { businessId: jumper.businessId, business: jumper.business, paymentId: payment!.id, placementId: activated!.r.placement_id!, paidAt },
    complaintId: complaint.complaintId,
    raisedBy,
    alerts: await raised(),
  };
}
