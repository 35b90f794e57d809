/**
  * Dog Trainers Directory: a recorded purchase costs less database time
  *
  * Measured on the large seed: record_payment_succeeded took ~8 ms, of which
  * ~3 ms went to a promotion that could not promote anyone and ~2 ms to
  * re-planning small SQL-language helpers: PostgreSQL 17 keeps no plan for a
  * LANGUAGE sql function that cannot be inlined (ours set search_path), so
  * every call plans its body again. The helpers on the purchase path become
  * PL/pgSQL (plans cached per session), with the same results.
  *
  * 1. Promotion skips councils with no free slot.
  * Every purchase calls promote_from_queue for its council, and in a full
  * council (the usual case once the directory is busy) the general promotion
  * statement (window over the queue, free-slot count, inserts) finds nothing
  * to do after ~2 ms of planning and execution: a third of a webhook's
  * database time. The general function keeps its body under a new name; the
  * public name first asks the partial index whether any named council has a
  * free slot, and only then runs it. The daily job (all councils, null) always
  * runs the general statement.
 */
alter function public.promote_from_queue(text[], timestamptz) rename to promote_from_queue_all;

comment on function public.promote_from_queue_all(text[], timestamptz) is
    'Promotes queued purchases into free featured slots, FIFO per council (all councils when null). Caller holds the council locks. Called through promote_from_queue.';

create or replace function public.promote_from_queue(p_councils text[], p_now timestamptz)
    returns integer
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_slots integer := coalesce(public.setting_numeric('featured_slots_per_council'), 5)::integer;
begin
    if p_councils is not null and not exists (
        select 1 from unnest(p_councils) c(council_id)
        where (select count(*) from public.featured_placements fp
               where fp.council_id = c.council_id and fp.status = 'active') < v_slots) then
        return 0; -- every named council is full: nobody can move up
    end if;
    return public.promote_from_queue_all(p_councils, p_now);
end
$$;

comment on function public.promote_from_queue(text[], timestamptz) is
    'Promotes queued purchases into free featured slots, FIFO per council (all councils when null); returns at once when every named council is full. Caller holds the council locks.';

revoke all on function public.promote_from_queue(text[], timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.promote_from_queue_all(text[], timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.promote_from_queue(text[], timestamptz) to service_role;

/**
  * -------------------------------------------------------
  * Section - Helpers on the purchase path, as PL/pgSQL
  * -------------------------------------------------------
 */
create or replace function public.find_payment(p_payment_intent_id text, p_charge_id text, p_checkout_session_id text)
    returns uuid
    language plpgsql
    stable
    set search_path = ''
as
$$
begin
    return (select pa.id from public.payment_audit pa
            where (p_payment_intent_id is not null and pa.stripe_payment_intent_id = p_payment_intent_id)
               or (p_charge_id is not null and pa.stripe_charge_id = p_charge_id)
               or (p_checkout_session_id is not null and pa.stripe_checkout_session_id = p_checkout_session_id)
            order by pa.created_at
            limit 1);
end
$$;

create or replace function public.business_contact(p_business_id uuid, out email text, out name text, out business text, out council text)
    language plpgsql
    stable
    security definer
    set search_path = ''
as
$$
begin
    select coalesce(p.email, u.email), p.display_name, b.name, c.name
    into email, name, business, council
    from public.businesses b
    join public.councils c on c.id = b.council_id
    left join public.profiles p on p.id = b.owner_id
    left join auth.users u on u.id = b.owner_id
    where b.id = p_business_id;
end
$$;

create or replace function public.queue_position(p_payment_id uuid, out queue_position integer, out eta timestamptz)
    language plpgsql
    stable
    security definer
    set search_path = ''
as
$$
declare
    v_council text;
    v_paid_at timestamptz;
    v_slots   integer;
    v_days    integer := coalesce(public.setting_numeric('featured_days'), 30)::integer;
begin
    select q.council_id, q.paid_at into v_council, v_paid_at from public.featured_queue q
    where q.payment_id = p_payment_id and q.promoted_at is null and q.cancelled_at is null;
    if v_council is null then
        return; -- not waiting
    end if;
    select count(*)::integer + 1 into queue_position from public.featured_queue q
    where q.council_id = v_council and q.promoted_at is null and q.cancelled_at is null
      and (q.paid_at, q.payment_id) < (v_paid_at, p_payment_id);
    -- Slots free up as active placements end; each slot then serves one
    -- queued purchase for featured_days.
    select count(*)::integer into v_slots from public.featured_placements fp
    where fp.council_id = v_council and fp.status = 'active';
    select fp.featured_until + make_interval(days => ((queue_position - 1) / greatest(v_slots, 1)) * v_days)
    into eta
    from public.featured_placements fp
    where fp.council_id = v_council and fp.status = 'active'
    order by fp.featured_until
    offset ((queue_position - 1) % greatest(v_slots, 1))
    limit 1;
end
$$;
