/**
  * Dog Trainers Directory: a free slot goes to whoever paid first
  *
  * The spec promises "your purchase time determines your position". Until
  * now the webhook that recorded a purchase also promoted it, so when several
  * purchases arrived at once (a burst, or Stripe redelivering after an
  * outage) the first webhook to land took the free slot, whoever had paid
  * first. Now:
  *
  * 1. The webhook only queues. Slots are filled by a promoter that runs every
  *    minute (promote_settled; the local scheduler and pg_cron call it) and
  *    by the daily job, taking a council's queue in payment order once the
  *    queue has settled: no purchase has joined it for
  *    promotion_settle_seconds. A burst (purchases at once, or Stripe
  *    redelivering after an outage, in any order) is thus all in the queue
  *    before anyone is placed, and the earliest payments take the slots.
  *    Settling is judged by arrival (featured_queue.created_at, the
  *    webhook's time), since after an outage every payment is already old.
  *    A refund that frees a slot still promotes at once, under the same rule.
  * 2. The trainer is told when to expect activation: a purchase that will
  *    take a free slot gets its featured_activated email from the promoter a
  *    few minutes later; one that must wait gets featured_queued with its
  *    position and an ETA computed from the free slots and current expiries.
  * 3. No slot squatting, even in a race past checkout (spec 4.5): a payment
  *    for a business that already holds placements_per_business active or
  *    queued placements is recorded but not queued. The server files a refund
  *    request for it (eligible: the operator approves it in the weekly batch)
  *    and opens a YELLOW alert; it is not an orphaned charge.
 */

insert into public.settings (key, value, description)
values ('promotion_settle_seconds', '120',
        'A council''s queue is promoted into free slots only when no purchase has joined it for this many seconds, so purchases whose webhooks arrive together, late or out of order still take slots in payment order.')
on conflict (key) do nothing;

comment on column public.featured_queue.created_at is
    'When the purchase joined the queue (the webhook''s time): the promoter waits until a council''s newest entry is promotion_settle_seconds old.';

alter table public.payment_audit add column held_reason text;
comment on column public.payment_audit.held_reason is
    'Why a succeeded payment was recorded but not queued (a second placement for one business, spec 4.5); a refund request is filed for it. Null for every normal payment.';

/** A payment held back from the queue is flagged, not orphaned. Same columns as before. */
create or replace view public.orphaned_payments
    with (security_invoker = true)
as
select pa.id as payment_id, pa.business_id, pa.council_id, pa.stripe_charge_id, pa.stripe_payment_intent_id,
       pa.amount_cents, pa.paid_at
from public.payment_audit pa
where pa.status = 'succeeded'
  and pa.held_reason is null
  and not exists (select 1 from public.featured_placements fp where fp.payment_id = pa.id)
  and not exists (select 1 from public.featured_queue q where q.payment_id = pa.id);

/**
  * -------------------------------------------------------
  * Section - Promotion waits for a settled queue
  * -------------------------------------------------------
 */
create or replace function public.promote_from_queue_all(p_councils text[], p_now timestamptz)
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
    v_settled  timestamptz := p_now - make_interval(secs => coalesce(public.setting_numeric('promotion_settle_seconds'), 120));
    v_promoted integer;
    v_mailed   integer;
begin
    -- A council whose queue something joined within the settle period
    -- waits whole: an earlier payment may still be on its way.
    with unsettled as (
        select distinct q.council_id from public.featured_queue q
        where q.promoted_at is null and q.cancelled_at is null and q.created_at > v_settled
          and (p_councils is null or q.council_id = any (p_councils))
    ),
    waiting as (
        select q.id, q.business_id, q.council_id, q.payment_id,
               row_number() over (partition by q.council_id order by q.paid_at, q.payment_id) as place
        from public.featured_queue q
        where q.promoted_at is null and q.cancelled_at is null
          and (p_councils is null or q.council_id = any (p_councils))
          and q.council_id not in (select u.council_id from unsettled u)
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

comment on function public.promote_from_queue_all(text[], timestamptz) is
    'Promotes queued purchases into free featured slots in payment order, per council whose queue has settled (nothing joined for promotion_settle_seconds); all councils when null. Caller holds the council locks. Called through promote_from_queue.';

/**
  * The promoter (every minute): the councils with a free slot and a settled
  * queue, locked in id order (as the daily job and purchases lock them),
  * then promoted. Returns how many it placed.
 */
create or replace function public.promote_settled(p_now timestamptz default now())
    returns integer
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_slots    integer := coalesce(public.setting_numeric('featured_slots_per_council'), 5)::integer;
    v_settled  timestamptz := p_now - make_interval(secs => coalesce(public.setting_numeric('promotion_settle_seconds'), 120));
    v_councils text[];
    v_council  text;
begin
    -- Read without locks to find candidates; promote_from_queue checks
    -- again under each council's lock.
    select array_agg(w.council_id order by w.council_id) into v_councils
    from (select q.council_id from public.featured_queue q
          where q.promoted_at is null and q.cancelled_at is null
          group by q.council_id
          having max(q.created_at) <= v_settled) w
    where (select count(*) from public.featured_placements fp
           where fp.council_id = w.council_id and fp.status = 'active') < v_slots;
    if v_councils is null then
        return 0;
    end if;
    foreach v_council in array v_councils loop
        perform public.lock_council_slots(v_council);
    end loop;
    return public.promote_from_queue(v_councils, p_now);
end
$$;

comment on function public.promote_settled(timestamptz) is
    'The promoter, every minute: fills free slots in payment order from every council queue that has settled. Server only.';

/**
  * Position and when a waiting purchase should start. The position counts
  * only the purchases that wait for a placement to end: 1 = next when a slot
  * frees up, 0 = a slot is free for it now (it starts within minutes). Takes
  * the time it is asked at (the webhook passes its own), so an ETA is
  * testable; the old one-argument form is dropped (it had no caller but
  * record_payment_succeeded).
  *   - Within the free slots: placed by the promoter once the queue has
  *     settled, a minute or so after that.
  *   - Beyond them: slots free up as placements end, earliest first,
  *     counting the placements the free slots are about to start; each slot
  *     then serves one purchase for featured_days.
 */
drop function public.queue_position(uuid);

create function public.queue_position(p_payment_id uuid, p_now timestamptz, out queue_position integer, out eta timestamptz)
    language plpgsql
    stable
    security definer
    set search_path = ''
as
$$
declare
    v_council text;
    v_paid_at timestamptz;
    v_active  integer;
    v_free    integer;
    v_turn    integer;
    v_soon    timestamptz;
    v_days    integer := coalesce(public.setting_numeric('featured_days'), 30)::integer;
    v_settle  interval := make_interval(secs => coalesce(public.setting_numeric('promotion_settle_seconds'), 120));
begin
    select q.council_id, q.paid_at into v_council, v_paid_at from public.featured_queue q
    where q.payment_id = p_payment_id and q.promoted_at is null and q.cancelled_at is null;
    if v_council is null then
        return; -- not waiting
    end if;
    select count(*)::integer + 1 into queue_position from public.featured_queue q
    where q.council_id = v_council and q.promoted_at is null and q.cancelled_at is null
      and (q.paid_at, q.payment_id) < (v_paid_at, p_payment_id);
    select count(*)::integer into v_active from public.featured_placements fp
    where fp.council_id = v_council and fp.status = 'active';
    v_free := greatest(coalesce(public.setting_numeric('featured_slots_per_council'), 5)::integer - v_active, 0);
    -- The promoter runs every minute, once the queue has settled.
    v_soon := p_now + v_settle + interval '1 minute';
    if queue_position <= v_free then
        queue_position := 0;
        eta := v_soon;
        return;
    end if;
    queue_position := queue_position - v_free;
    v_turn := queue_position - 1;
    with ends as (
        select fp.featured_until as ends_at from public.featured_placements fp
        where fp.council_id = v_council and fp.status = 'active'
        union all
        select v_soon + make_interval(days => v_days) from generate_series(1, v_free)
    )
    select e.ends_at + make_interval(days => (v_turn / (v_active + v_free)) * v_days)
    into eta
    from ends e
    order by e.ends_at
    offset (v_turn % (v_active + v_free))
    limit 1;
end
$$;

comment on function public.queue_position(uuid, timestamptz) is
    'Queue position (1 = next when a slot frees, 0 = a slot is free for it now) and estimated start for a waiting purchase, as of p_now; null when not waiting.';
revoke all on function public.queue_position(uuid, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.queue_position(uuid, timestamptz) to service_role;

/**
  * -------------------------------------------------------
  * Section - A succeeded payment queues, never promotes
  * -------------------------------------------------------
 */
create or replace function public.record_payment_succeeded(
    p_business_id         uuid,
    p_amount_cents        integer,
    p_currency            text,
    p_paid_at             timestamptz,
    p_payment_intent_id   text,
    p_charge_id           text,
    p_checkout_session_id text,
    p_event_created       timestamptz,
    p_now                 timestamptz default now()
)
    returns jsonb
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_council  text;
    v_owner    uuid;
    v_payment  public.payment_audit;
    v_queue_id uuid;
    v_held     integer;
    v_limit    integer := coalesce(public.setting_numeric('placements_per_business'), 1)::integer;
    v_position record;
    v_contact  record;
begin
    select b.council_id, b.owner_id into v_council, v_owner from public.businesses b where b.id = p_business_id;
    if v_council is null then
        return jsonb_build_object('outcome', 'unknown_business', 'business_id', p_business_id);
    end if;
    perform public.lock_council_slots(v_council);

    select * into v_payment from public.payment_audit pa
    where pa.id = public.find_payment(p_payment_intent_id, p_charge_id, p_checkout_session_id)
    for update;

    if v_payment.id is null then
        insert into public.payment_audit (business_id, council_id, stripe_payment_intent_id, stripe_charge_id,
                                          stripe_checkout_session_id, amount_cents, currency, status, paid_at,
                                          last_stripe_event_at)
        values (p_business_id, v_council, p_payment_intent_id, p_charge_id, p_checkout_session_id, p_amount_cents,
                lower(p_currency), 'succeeded', p_paid_at, p_event_created)
        returning * into v_payment;
        perform public.audit(null, 'stripe', 'payment.succeeded', 'payment', v_payment.id::text, p_amount_cents,
                             jsonb_build_object('payment_intent', p_payment_intent_id, 'charge', p_charge_id,
                                                'business_id', p_business_id, 'council_id', v_council));
    else
        -- Later events fill in ids earlier ones lacked (a checkout session
        -- names its payment intent; a charge names both).
        update public.payment_audit pa
        set stripe_payment_intent_id   = coalesce(pa.stripe_payment_intent_id, p_payment_intent_id),
            stripe_charge_id           = coalesce(pa.stripe_charge_id, p_charge_id),
            stripe_checkout_session_id = coalesce(pa.stripe_checkout_session_id, p_checkout_session_id),
            last_stripe_event_at       = greatest(pa.last_stripe_event_at, p_event_created),
            status                     = case when pa.status in ('pending', 'failed') then 'succeeded' else pa.status end,
            paid_at                    = coalesce(pa.paid_at, p_paid_at)
        where pa.id = v_payment.id
        returning * into v_payment;
        if v_payment.status = 'refunded' then
            return jsonb_build_object('outcome', 'already_refunded', 'payment_id', v_payment.id);
        end if;
        if v_payment.held_reason is not null then
            return jsonb_build_object('outcome', 'held', 'payment_id', v_payment.id, 'reason', v_payment.held_reason);
        end if;
        if exists (select 1 from public.featured_queue q where q.payment_id = v_payment.id)
           or exists (select 1 from public.featured_placements fp where fp.payment_id = v_payment.id) then
            return jsonb_build_object('outcome', 'already_recorded', 'payment_id', v_payment.id);
        end if;
    end if;

    -- Slot squatting that raced past checkout's check: held, refund filed.
    select (select count(*) from public.featured_placements fp
            where fp.business_id = p_business_id and fp.status = 'active')
         + (select count(*) from public.featured_queue q
            where q.business_id = p_business_id and q.promoted_at is null and q.cancelled_at is null)
    into v_held;
    if v_held >= v_limit then
        update public.payment_audit pa
        set held_reason = format('The business already holds %s active or queued featured placement%s (the limit is %s); this payment is to be refunded.',
                                 v_held, case when v_held = 1 then '' else 's' end, v_limit)
        where pa.id = v_payment.id
        returning * into v_payment;
        if v_owner is not null then
            insert into public.refund_requests (payment_id, business_id, requested_by, requested_at, reason)
            values (v_payment.id, p_business_id, v_owner, p_now, 'Filed by the server: ' || v_payment.held_reason)
            on conflict do nothing;
        end if;
        perform public.open_alert('YELLOW', 'duplicate_purchase', v_payment.id::text,
            format('A second featured purchase (%s) for %s was held back and its refund filed: %s',
                   public.format_aud(v_payment.amount_cents),
                   (select b.name from public.businesses b where b.id = p_business_id), v_payment.held_reason),
            jsonb_build_object('payment_id', v_payment.id, 'business_id', p_business_id), p_now);
        perform public.audit(null, 'system', 'payment.held', 'payment', v_payment.id::text, v_payment.amount_cents,
                             jsonb_build_object('business_id', p_business_id, 'reason', v_payment.held_reason));
        return jsonb_build_object('outcome', 'held', 'payment_id', v_payment.id, 'reason', v_payment.held_reason);
    end if;

    -- Every purchase enters through the queue; the promoter places it once
    -- it has settled, in payment order.
    insert into public.featured_queue (business_id, council_id, payment_id, paid_at, created_at)
    values (p_business_id, v_council, v_payment.id, v_payment.paid_at, p_now)
    returning id into v_queue_id;

    select * into v_position from public.queue_position(v_payment.id, p_now);
    if v_position.queue_position > 0 then
        -- It must wait for a slot: say where it stands and when its turn
        -- should come. (One that takes a free slot hears from the promoter.)
        select * into v_contact from public.business_contact(p_business_id);
        perform public.queue_email(v_contact.email, 'featured_queued',
            jsonb_build_object('name', v_contact.name, 'business', v_contact.business, 'council', v_contact.council,
                               'amount_cents', v_payment.amount_cents, 'position', v_position.queue_position,
                               'eta', v_position.eta,
                               'slots', coalesce(public.setting_numeric('featured_slots_per_council'), 5)),
            'featured_queued:' || v_payment.id);
    end if;
    return jsonb_build_object('outcome', 'queued', 'payment_id', v_payment.id, 'queue_id', v_queue_id,
                              'position', v_position.queue_position, 'eta', v_position.eta);
end
$$;

comment on function public.record_payment_succeeded(uuid, integer, text, timestamptz, text, text, text, timestamptz, timestamptz) is
    'Records a succeeded featured purchase once (by any of its Stripe ids) and queues it in payment order (the promoter places it), or holds it when the business already has its placements. Server only.';

revoke all on function public.promote_settled(timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.promote_settled(timestamptz) to service_role;
