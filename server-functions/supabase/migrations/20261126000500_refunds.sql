/**
  * -------------------------------------------------------
  * Dog Trainers Directory: refund requests
  * -------------------------------------------------------
  * A trainer asks for a refund; the operator decides in the weekly batch.
  * The refund window (settings.refund_window_hours) is measured from the
  * payment to requested_at, so requested_at must be the server's clock at
  * the moment of asking: clients hold no INSERT or UPDATE on this table,
  * and public.submit_refund_request() stamps now() itself.
  * Decisions (approve/deny) are server functions in a later migration.
 */

/**
  * -------------------------------------------------------
  * Section - Refund requests
  * -------------------------------------------------------
 */
create table public.refund_requests
(
    id            uuid primary key default gen_random_uuid(),
    payment_id    uuid        not null references public.payment_audit (id),
    business_id   uuid        not null references public.businesses (id),
    requested_by  uuid        not null,
    requested_at  timestamptz not null default now(),
    reason        text
        constraint refund_requests_reason_length check (char_length(reason) <= 2000),
    status        text        not null default 'pending'
        constraint refund_requests_status_known check (status in ('pending', 'approved', 'denied')),
    decided_by    uuid,
    decided_at    timestamptz,
    decision_note text,
    version       integer     not null default 1,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    -- Decided means it says when.
    constraint refund_requests_decision_has_time check ((status = 'pending') = (decided_at is null))
);

comment on table public.refund_requests is 'Trainers'' refund requests for featured payments, decided by the operator. Inserted only through public.submit_refund_request() or by the server.';
comment on column public.refund_requests.id is 'Request id.';
comment on column public.refund_requests.payment_id is 'Payment to refund (full amount only).';
comment on column public.refund_requests.business_id is 'Business the payment was for.';
comment on column public.refund_requests.requested_by is 'auth.users.id of the trainer who asked.';
comment on column public.refund_requests.requested_at is 'Server time the trainer asked. Decides the refund window; clients cannot set it.';
comment on column public.refund_requests.reason is 'The trainer''s reason, in their words (optional, up to 2000 characters).';
comment on column public.refund_requests.status is 'pending | approved | denied.';
comment on column public.refund_requests.decided_by is 'auth.users.id of the operator who decided; null while pending.';
comment on column public.refund_requests.decided_at is 'When it was decided; null exactly while pending.';
comment on column public.refund_requests.decision_note is 'Operator note on the decision (the deny email states purchase date and days passed).';
comment on column public.refund_requests.version is 'Bumped by trigger on every update; operator commands carry it as baseVersion.';
comment on column public.refund_requests.created_at is 'When the row was created.';
comment on column public.refund_requests.updated_at is 'When the row last changed (set by trigger).';

create trigger refund_requests_bump_version
    before update on public.refund_requests
    for each row execute function public.bump_version();

-- At most one open request per payment: a double click or a retry cannot queue two.
create unique index refund_requests_one_pending_per_payment on public.refund_requests (payment_id)
    where status = 'pending';
-- The operator's pending list, oldest first, and pulls since a cursor.
create index refund_requests_status_requested_idx on public.refund_requests (status, requested_at);
create index refund_requests_business_idx on public.refund_requests (business_id);
create index refund_requests_updated_at_idx on public.refund_requests (updated_at);
-- Refund-abuse checks: one trainer's requests in a window.
create index refund_requests_requested_by_idx on public.refund_requests (requested_by, requested_at);

alter table public.refund_requests enable row level security;
revoke all on table public.refund_requests from public, anon, authenticated, service_role;
grant select on table public.refund_requests to authenticated;
grant all on table public.refund_requests to service_role;

create policy "Trainers read refund requests for their businesses"
    on public.refund_requests for select
    to authenticated
    using (business_id in (select b.id from public.businesses b where b.owner_id = (select auth.uid())));

create policy "Operators read every refund request"
    on public.refund_requests for select
    to authenticated
    using ((select public.is_operator()));

/**
  * -------------------------------------------------------
  * Section - Submitting a refund request
  * -------------------------------------------------------
 */

/**
 * A trainer asks for a refund of one of their payments. The server stamps
 * requested_at = now(): there is no parameter for it, so a client cannot
 * back-date a request into the window. Refuses payments that are not the
 * caller's (same message whether the payment exists or not, so it cannot
 * be used to probe ids) and payments that are not refundable. Asking again
 * while a request is pending returns that request unchanged.
 * The window itself is judged when the operator decides, not here: a late
 * request is kept and denied with an email that states the dates.
 */
create or replace function public.submit_refund_request(payment_id uuid, reason text default null)
    returns public.refund_requests
    language plpgsql
    security definer
    set search_path = ''
as
$$
#variable_conflict use_column
-- Unqualified names are columns; parameters are always written
-- submit_refund_request.payment_id / .reason.
declare
    caller  uuid := auth.uid();
    payment public.payment_audit;
    request public.refund_requests;
begin
    if caller is null then
        raise exception 'refund request refused: sign in as the trainer who made the payment'
            using errcode = '28000';
    end if;

    select p.* into payment
    from public.payment_audit p
             join public.businesses b on b.id = p.business_id
    where p.id = submit_refund_request.payment_id
      and b.owner_id = caller;
    if not found then
        raise exception 'refund request refused: payment % is not one of your payments', submit_refund_request.payment_id
            using errcode = '42501';
    end if;

    if payment.status <> 'succeeded' then
        raise exception 'refund request refused: payment % is %, only a succeeded payment can be refunded',
            payment.id, payment.status
            using errcode = '22023';
    end if;

    insert into public.refund_requests (payment_id, business_id, requested_by, requested_at, reason)
    values (payment.id, payment.business_id, caller, now(),
            nullif(btrim(submit_refund_request.reason), ''))
    on conflict (payment_id) where status = 'pending' do nothing
    returning * into request;

    if not found then
        select r.* into request
        from public.refund_requests r
        where r.payment_id = payment.id
          and r.status = 'pending';
        return request;
    end if;

    perform public.audit(caller, 'trainer', 'refund_request.submitted', 'refund_request', request.id::text,
                         payment.amount_cents, jsonb_build_object('payment_id', payment.id));
    return request;
end;
$$;

comment on function public.submit_refund_request(uuid, text) is
    'Trainer asks for a refund of their payment; requested_at is stamped with server time. Idempotent while pending.';

revoke all on function public.submit_refund_request(uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.submit_refund_request(uuid, text) to authenticated;
