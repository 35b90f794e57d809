/**
  * -------------------------------------------------------
  * Dog Trainers Directory: featured placements and the queue
  * -------------------------------------------------------
  * Every change to a council's slots happens here, under that council's
  * lock, in one transaction:
  *   record_payment_succeeded  a paid purchase joins the council's queue and
  *                             the queue is promoted into free slots at once
  *   record_refund             payment and placement refunded, slot freed,
  *                             queue promoted, refund-abuse guard checked
  *   expire_and_promote        the daily job: expire lapsed placements, then
  *                             promote every council's queue
  * Policy: featured_slots_per_council active placements at most; the queue
  * is FIFO by (paid_at, payment_id) and nobody skips it: a purchase takes a
  * free slot only through the queue, behind everyone already waiting.
  * States only move forward: a refunded payment is never "succeeded" again.
 */

/** Serialises everything that changes one council's slots. */
create or replace function public.lock_council_slots(p_council text)
    returns void
    language sql
    volatile
    set search_path = ''
as
$$
select pg_advisory_xact_lock(hashtextextended('featured-slots:' || p_council, 0))
$$;

comment on function public.lock_council_slots(text) is 'Transaction lock on one council''s featured slots; take councils in id order when locking several.';

/**
  * -------------------------------------------------------
  * Section - Promotion
  * -------------------------------------------------------
  * Fills free slots of the given councils (all councils when null) from
  * their queues in FIFO order, set-based so the daily job stays fast with
  * hundreds of councils. Callers hold the councils' locks. Queues the
  * featured_activated email for each promotion. Returns how many it promoted.
 */
create or replace function public.promote_from_queue(p_councils text[], p_now timestamptz)
    returns integer
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_slots    integer := coalesce(public.setting_numeric('featured_slots_per_council'), 5)::integer;
    v_days     integer := coalesce(public.setting_numeric('featured_days'), 30)::integer;
    v_promoted integer;
    v_mailed   integer;
begin
    with waiting as (
        select q.id, q.business_id, q.council_id, q.payment_id,
               row_number() over (partition by q.council_id order by q.paid_at, q.payment_id) as place
        from public.featured_queue q
        where q.promoted_at is null and q.cancelled_at is null
          and (p_councils is null or q.council_id = any (p_councils))
    ),
    free as (
        select w.council_id,
               v_slots - (select count(*) from public.featured_placements fp
                          where fp.council_id = w.council_id and fp.status = 'active') as free_slots
        from (select distinct council_id from waiting) w
    ),
    chosen as (
        select w.* from waiting w join free f using (council_id) where w.place <= f.free_slots
    ),
    placed as (
        insert into public.featured_placements (business_id, council_id, payment_id, featured_from, featured_until)
        select c.business_id, c.council_id, c.payment_id, p_now, p_now + make_interval(days => v_days)
        from chosen c
        returning id, business_id, payment_id, featured_until
    ),
    promoted as (
        update public.featured_queue q
        set promoted_at = p_now, placement_id = p.id
        from placed p
        where q.payment_id = p.payment_id
        returning q.id
    ),
    mailed as (
        select public.queue_email(
                   c.email, 'featured_activated',
                   jsonb_build_object('name', c.name, 'business', c.business, 'council', c.council,
                                      'amount_cents', pa.amount_cents, 'until', p.featured_until),
                   'featured_activated:' || p.id) as email_id
        from placed p
        join public.payment_audit pa on pa.id = p.payment_id
        cross join lateral public.business_contact(p.business_id) c
    )
    select (select count(*) from promoted), (select count(*) from mailed) into v_promoted, v_mailed;
    return v_promoted;
end
$$;

comment on function public.promote_from_queue(text[], timestamptz) is
    'Promotes queued purchases into free featured slots, FIFO per council (all councils when null). Caller holds the council locks.';

/** Where a waiting purchase stands in its council's queue (1 = next), and a rough date for its turn. */
create or replace function public.queue_position(p_payment_id uuid, out queue_position integer, out eta timestamptz)
    language sql
    stable
    security definer
    set search_path = ''
as
$$
with me as (
    select q.council_id, q.paid_at, q.payment_id from public.featured_queue q
    where q.payment_id = p_payment_id and q.promoted_at is null and q.cancelled_at is null
),
ahead as (
    select count(*)::integer + 1 as pos from public.featured_queue q, me
    where q.council_id = me.council_id and q.promoted_at is null and q.cancelled_at is null
      and (q.paid_at, q.payment_id) < (me.paid_at, me.payment_id)
),
ends as (
    -- Slots free up as active placements end; each slot then serves one
    -- queued purchase for featured_days.
    select fp.featured_until, row_number() over (order by fp.featured_until) as n, count(*) over () as slots
    from public.featured_placements fp, me
    where fp.council_id = me.council_id and fp.status = 'active'
)
select ahead.pos,
       (select e.featured_until
               + make_interval(days => ((ahead.pos - 1) / greatest(e.slots, 1))::integer
                                       * coalesce(public.setting_numeric('featured_days'), 30)::integer)
        from ends e where e.n = ((ahead.pos - 1) % greatest(e.slots, 1)) + 1)
from ahead
where exists (select 1 from me)
$$;

comment on function public.queue_position(uuid) is 'Queue position (1 = next) and estimated start for a waiting purchase; null when not waiting.';
