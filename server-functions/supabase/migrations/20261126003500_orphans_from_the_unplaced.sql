/**
  * Dog Trainers Directory: orphaned payments found among the unplaced only
  *
  * public.orphaned_payments (migrations 1300, 2400) is the one definition of
  * "paid and got nothing": a succeeded payment, not held back, with no
  * placement and no queue entry. It was written as an anti-join over every
  * payment ever taken, so its cost grew with history: 1.3 to 2.3 s on the
  * large seed (1,000,000 payments), paid by the RED alerts refresh every
  * 30 s and by playbook 2's evidence.
  *
  * Almost every payment gets its placement or queue entry in the same
  * transaction that records it. So the server now keeps the few that have
  * not (yet) in public.unplaced_payments: a row is added when a payment
  * becomes succeeded without one, and removed when its placement or queue
  * entry is written. The view reads those rows and checks the same
  * definition on each, so it answers exactly what it answered before, at a
  * cost that grows with the unplaced payments, not with the history.
  *
  * Lock order: the triggers touch only unplaced_payments rows, never a
  * payment or a council's slots, so they add no new lock-order pair to
  * record_refund (payment, then slots) or the promoter (slots, then
  * placements).
 */

/**
  * -------------------------------------------------------
  * Section - The unplaced payments
  * -------------------------------------------------------
 */
create table public.unplaced_payments
(
    payment_id uuid primary key references public.payment_audit (id),
    noted_at   timestamptz not null default now()
);

comment on table public.unplaced_payments is
    'Succeeded payments with no placement or queue entry when last written: the candidates public.orphaned_payments checks. Kept by triggers on payment_audit, featured_placements and featured_queue; written only by the server.';
comment on column public.unplaced_payments.payment_id is 'The payment (payment_audit.id).';
comment on column public.unplaced_payments.noted_at is 'When it was noted unplaced.';

alter table public.unplaced_payments enable row level security;
revoke all on table public.unplaced_payments from public, anon, authenticated, service_role;
grant select on table public.unplaced_payments to authenticated;
grant all on table public.unplaced_payments to service_role;

create policy "Operators read unplaced payments"
    on public.unplaced_payments for select
    to authenticated
    using ((select public.is_operator()));

/**
  * -------------------------------------------------------
  * Section - Kept by triggers
  * -------------------------------------------------------
  * After-row triggers see the whole statement's effects, so a payment and
  * its queue entry written by one statement (the webhook's) leave no row,
  * in whichever order the triggers fire.
 */
create or replace function public.note_unplaced_payment()
    returns trigger
    language plpgsql
    security definer
    set search_path = ''
as
$$
begin
    if new.status = 'succeeded' and new.held_reason is null
       and not exists (select 1 from public.featured_placements fp where fp.payment_id = new.id)
       and not exists (select 1 from public.featured_queue q where q.payment_id = new.id) then
        insert into public.unplaced_payments (payment_id) values (new.id) on conflict (payment_id) do nothing;
    end if;
    return null;
end
$$;

comment on function public.note_unplaced_payment() is
    'Trigger: notes a payment that became succeeded with no placement or queue entry in public.unplaced_payments.';

revoke all on function public.note_unplaced_payment() from public, anon, authenticated, service_role;

create trigger payment_audit_note_unplaced
    after insert or update of status, held_reason on public.payment_audit
    for each row execute function public.note_unplaced_payment();

create or replace function public.clear_unplaced_payment()
    returns trigger
    language plpgsql
    security definer
    set search_path = ''
as
$$
begin
    delete from public.unplaced_payments u where u.payment_id = new.payment_id;
    return null;
end
$$;

comment on function public.clear_unplaced_payment() is
    'Trigger: a placement or queue entry written for a payment takes it off public.unplaced_payments.';

revoke all on function public.clear_unplaced_payment() from public, anon, authenticated, service_role;

create trigger featured_placements_clear_unplaced
    after insert on public.featured_placements
    for each row execute function public.clear_unplaced_payment();

create trigger featured_queue_clear_unplaced
    after insert on public.featured_queue
    for each row execute function public.clear_unplaced_payment();

/**
  * -------------------------------------------------------
  * Section - The view, from the candidates
  * -------------------------------------------------------
  * Same columns and the same definition, checked on each candidate. A
  * refunded or failed candidate simply does not match.
 */
create or replace view public.orphaned_payments
    with (security_invoker = true)
as
select pa.id as payment_id, pa.business_id, pa.council_id, pa.stripe_charge_id, pa.stripe_payment_intent_id,
       pa.amount_cents, pa.paid_at
from public.unplaced_payments u
join public.payment_audit pa on pa.id = u.payment_id
where pa.status = 'succeeded'
  and pa.held_reason is null
  and not exists (select 1 from public.featured_placements fp where fp.payment_id = pa.id)
  and not exists (select 1 from public.featured_queue q where q.payment_id = pa.id);

comment on view public.orphaned_payments is 'Succeeded payments with no placement and no queue entry (paid, got nothing), found among public.unplaced_payments.';

/**
  * -------------------------------------------------------
  * Section - Noted again, set-based
  * -------------------------------------------------------
  * For a load that writes payments with triggers off (the large seed) and
  * for today's orphans when this migration runs: every succeeded payment
  * with neither placement nor queue entry, found the old way, once.
 */
create or replace function public.renote_unplaced_payments()
    returns integer
    language sql
    volatile
    security definer
    set search_path = ''
as
$$
with noted as (
    insert into public.unplaced_payments (payment_id)
    select pa.id
    from public.payment_audit pa
    where pa.status = 'succeeded'
      and pa.held_reason is null
      and not exists (select 1 from public.featured_placements fp where fp.payment_id = pa.id)
      and not exists (select 1 from public.featured_queue q where q.payment_id = pa.id)
    on conflict (payment_id) do nothing
    returning 1
)
select count(*)::integer from noted
$$;

comment on function public.renote_unplaced_payments() is
    'Notes every orphaned payment in public.unplaced_payments, reading every payment once: after a load with triggers off, and when migration 3500 ran. Server only.';

revoke all on function public.renote_unplaced_payments() from public, anon, authenticated, service_role;
grant execute on function public.renote_unplaced_payments() to service_role;

select public.renote_unplaced_payments();
