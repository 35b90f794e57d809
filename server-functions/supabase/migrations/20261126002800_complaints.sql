/**
  * Dog Trainers Directory: trainer complaints (spec 2.5, playbooks 2 and 4)
  *
  * "I paid but I'm not featured", "my profile isn't in search", "my review
  * was rejected unfairly", "I paid first, why am I #5?" used to arrive as
  * emails the operator answered with hand-written queries. A trainer now files
  * one for their business (submit_complaint, as themselves: the ownership
  * check is here, not in the client); it reaches the operator's console as a
  * pending task in the next pull, and the operator closes it with what was
  * done (the complaint.close command, versioned like every decision). The
  * complaint and its closing are in the audit log.
 */
create table public.complaints
(
    id          uuid primary key default gen_random_uuid(),
    business_id uuid        not null references public.businesses (id),
    filed_by    uuid        not null references public.profiles (id),
    kind        text        not null
        constraint complaints_kind_known check (kind in ('not_featured', 'not_in_search', 'review_rejected', 'queue_position', 'other')),
    message     text        not null
        constraint complaints_message_length check (char_length(message) between 3 and 4000),
    payment_id  uuid references public.payment_audit (id),
    review_id   uuid references public.reviews (id),
    status      text        not null default 'pending'
        constraint complaints_status_known check (status in ('pending', 'closed')),
    resolution  text
        constraint complaints_resolution_length check (char_length(resolution) between 3 and 2000),
    closed_by   uuid references public.profiles (id),
    closed_at   timestamptz,
    version     integer     not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    changed_xid xid8        not null default pg_current_xact_id(),
    -- Closed means when, by whom and what was done; pending means none of them.
    constraint complaints_closed_says_what check (
        (status = 'pending' and closed_at is null and closed_by is null and resolution is null)
        or (status = 'closed' and closed_at is not null and closed_by is not null and resolution is not null))
);

comment on table public.complaints is 'Trainers'' complaints about their business (spec 2.5): filed through public.submit_complaint(), closed by the operator''s complaint.close command.';
comment on column public.complaints.id is 'Complaint id.';
comment on column public.complaints.business_id is 'The business the complaint is about (the filer owns it).';
comment on column public.complaints.filed_by is 'profiles.id of the trainer who filed it.';
comment on column public.complaints.kind is 'not_featured | not_in_search | review_rejected | queue_position | other: which of the spec''s scenarios it is.';
comment on column public.complaints.message is 'The trainer''s words (3 to 4000 characters), shown as text, never as markup.';
comment on column public.complaints.payment_id is 'The payment it is about, when the trainer named one (must be the business''s).';
comment on column public.complaints.review_id is 'The review it is about, when the trainer named one (must be of the business).';
comment on column public.complaints.status is 'pending | closed.';
comment on column public.complaints.resolution is 'What the operator did, in their words (the spec''s log line); null while pending.';
comment on column public.complaints.closed_by is 'profiles.id of the operator who closed it; null while pending.';
comment on column public.complaints.closed_at is 'When it was closed; null exactly while pending.';
comment on column public.complaints.version is 'Bumped by trigger on every update; complaint.close carries it as baseVersion.';
comment on column public.complaints.created_at is 'Server time the trainer filed it.';
comment on column public.complaints.updated_at is 'When the row last changed (set by trigger).';
comment on column public.complaints.changed_xid is 'Id of the transaction that last wrote the row (operator app pull cursor).';

create trigger complaints_bump_version
    before update on public.complaints
    for each row execute function public.bump_version();
create trigger complaints_stamp_changed_xid
    before update on public.complaints
    for each row execute function public.stamp_changed_xid();

-- One pending complaint of a kind per business: a double click or a resend files it once.
create unique index complaints_one_pending_per_kind on public.complaints (business_id, kind) where status = 'pending';
create index complaints_pending_idx on public.complaints (created_at) where status = 'pending';
create index complaints_business_idx on public.complaints (business_id, created_at);
create index complaints_changed_xid_idx on public.complaints (changed_xid);

alter table public.complaints enable row level security;
revoke all on table public.complaints from public, anon, authenticated, service_role;
grant select on table public.complaints to authenticated;
grant all on table public.complaints to service_role;

create policy "Trainers read the complaints about their businesses"
    on public.complaints for select
    to authenticated
    using (business_id in (select b.id from public.businesses b where b.owner_id = (select auth.uid())));

create policy "Operators read every complaint"
    on public.complaints for select
    to authenticated
    using ((select public.is_operator()));

/**
 * A trainer files a complaint about one of their businesses, as themselves
 * (auth.uid()). Refuses a business that is not theirs (the same words whether
 * it exists or not), a payment of another business and a review of another
 * business. Filing the same kind again while one is pending returns that one
 * unchanged (filed = false), so a resend is not a second task.
 */
create or replace function public.submit_complaint(
    business_id uuid,
    kind text,
    message text,
    payment_id uuid default null,
    review_id uuid default null,
    out complaint_id uuid,
    out status text,
    out created_at timestamptz,
    out filed boolean
)
    language plpgsql
    security definer
    set search_path = ''
as
$$
#variable_conflict use_column
-- Unqualified names are columns; parameters are written submit_complaint.<name>.
declare
    caller uuid := auth.uid();
begin
    if caller is null then
        raise exception 'complaint refused: sign in as the trainer who owns the business' using errcode = '28000';
    end if;
    if not exists (select 1 from public.businesses b where b.id = submit_complaint.business_id and b.owner_id = caller) then
        raise exception 'complaint refused: business % is not one of your businesses', submit_complaint.business_id using errcode = '42501';
    end if;
    if submit_complaint.payment_id is not null and not exists (
        select 1 from public.payment_audit p where p.id = submit_complaint.payment_id and p.business_id = submit_complaint.business_id) then
        raise exception 'complaint refused: payment % is not a payment of this business', submit_complaint.payment_id using errcode = '42501';
    end if;
    if submit_complaint.review_id is not null and not exists (
        select 1 from public.reviews r where r.id = submit_complaint.review_id and r.business_id = submit_complaint.business_id) then
        raise exception 'complaint refused: review % is not a review of this business', submit_complaint.review_id using errcode = '42501';
    end if;

    insert into public.complaints (business_id, filed_by, kind, message, payment_id, review_id)
    values (submit_complaint.business_id, caller, submit_complaint.kind, btrim(submit_complaint.message),
            submit_complaint.payment_id, submit_complaint.review_id)
    on conflict (business_id, kind) where status = 'pending' do nothing
    returning complaints.id, complaints.status, complaints.created_at into complaint_id, status, created_at;

    if complaint_id is null then
        select c.id, c.status, c.created_at into complaint_id, status, created_at
        from public.complaints c
        where c.business_id = submit_complaint.business_id and c.kind = submit_complaint.kind and c.status = 'pending';
        filed := false;
        return;
    end if;
    filed := true;
    perform public.audit(caller, 'trainer', 'complaint.filed', 'complaint', complaint_id::text, null,
                         jsonb_build_object('business_id', submit_complaint.business_id, 'kind', submit_complaint.kind));
end
$$;
comment on function public.submit_complaint(uuid, text, text, uuid, uuid) is
    'Trainer files a complaint about their business (spec 2.5); idempotent per kind while pending. Audited.';
revoke all on function public.submit_complaint(uuid, text, text, uuid, uuid) from public, anon, authenticated, service_role;
grant execute on function public.submit_complaint(uuid, text, text, uuid, uuid) to authenticated;
