/**
  * Dog Trainers Directory: escalations and the legal freeze (spec Part 7, issue 20)
  *
  * Part 7 tells the operator when to stop and hand over: data integrity and
  * feature/policy questions to the product team, infrastructure to DevOps,
  * legal and compliance to legal, money questions to finance. An escalation
  * is that hand-over on record: the spec's situation (the team and the
  * urgency follow from it, never chosen apart), the source it came from (a
  * playbook run, a complaint's dossier, an alert, a reconciliation report),
  * the business it is about when there is one, and the packet the operator
  * read before sending: the evidence as one text, its SHA-256 kept here and
  * in the audit entry, emailed through the outbox to the team's address in
  * settings. It is then tracked: open, answered (the answer recorded by the
  * operator), closed; due by its urgency's age (settings) from when it was
  * opened, so an open one past its age shows on the dashboard.
  *
  * The legal freeze: while a legal/compliance escalation about a business is
  * not closed, the operator's refund decisions, placement activations,
  * account flags and trainer emails for that business are refused (the
  * operator API checks legal_freeze before the command's handler runs).
  * The daily job, the webhook and the sweep never ask: the freeze is on the
  * operator's hand, not on the business. Closing the escalation lifts it.
 */

/**
  * -------------------------------------------------------
  * Section - Where each situation goes (settings)
  * -------------------------------------------------------
 */
insert into public.settings (key, value, description)
values ('escalation_email_product', '"product@dogtrainersdirectory.com.au"', 'Where data-integrity and feature/policy escalations are emailed (the product team).'),
       ('escalation_email_devops', '"devops@dogtrainersdirectory.com.au"', 'Where infrastructure escalations are emailed (the DevOps team).'),
       ('escalation_email_legal', '"legal@dogtrainersdirectory.com.au"', 'Where legal/compliance escalations are emailed (the legal team).'),
       ('escalation_email_finance', '"finance@dogtrainersdirectory.com.au"', 'Where financial escalations are emailed (the finance team).'),
       ('escalation_age_immediate_minutes', '60', 'An immediate escalation (infrastructure down) is overdue after this many minutes without an answer.'),
       ('escalation_age_high_minutes', '1440', 'A high-urgency escalation (data integrity) is overdue after this many minutes without an answer (1 day).'),
       ('escalation_age_medium_minutes', '10080', 'A medium-urgency escalation (legal, financial) is overdue after this many minutes without an answer (7 days).'),
       ('escalation_age_low_minutes', '43200', 'A low-urgency escalation (feature/policy question) is overdue after this many minutes without an answer (30 days).')
on conflict (key) do nothing;

/**
 * The spec's escalation matrix, once: a situation's team, urgency, the
 * team's address and how long an answer may take. Reads the settings with
 * the caller's rights (the server's).
 */
create or replace function public.escalation_route(
    p_situation text,
    out team text,
    out urgency text,
    out to_email text,
    out age interval
)
    language plpgsql
    stable
    set search_path = ''
as
$$
begin
    case p_situation
        when 'data_integrity' then team := 'product'; urgency := 'high';
        when 'infrastructure' then team := 'devops'; urgency := 'immediate';
        when 'feature_policy' then team := 'product'; urgency := 'low';
        when 'legal_compliance' then team := 'legal'; urgency := 'medium';
        when 'financial' then team := 'finance'; urgency := 'medium';
        else raise exception 'unknown escalation situation %', p_situation using errcode = '22023';
    end case;
    to_email := coalesce(public.setting_text('escalation_email_' || team), team || '@dogtrainersdirectory.com.au');
    age := make_interval(mins => coalesce(public.setting_numeric('escalation_age_' || urgency || '_minutes'),
        case urgency when 'immediate' then 60 when 'high' then 1440 when 'medium' then 10080 else 43200 end)::integer);
end
$$;

comment on function public.escalation_route(text) is
    'Spec Part 7''s matrix: the team, urgency, the team''s address (escalation_email_<team>) and the age an answer may take (escalation_age_<urgency>_minutes) for a situation.';
revoke all on function public.escalation_route(text) from public, anon, authenticated, service_role;
grant execute on function public.escalation_route(text) to service_role;

/**
  * -------------------------------------------------------
  * Section - Escalations
  * -------------------------------------------------------
 */
create table public.escalations
(
    id             uuid primary key,
    situation      text        not null
        constraint escalations_situation_known check (situation in ('data_integrity', 'infrastructure', 'feature_policy', 'legal_compliance', 'financial')),
    team           text        not null
        constraint escalations_team_known check (team in ('product', 'devops', 'legal', 'finance')),
    urgency        text        not null
        constraint escalations_urgency_known check (urgency in ('immediate', 'high', 'medium', 'low')),
    source_kind    text        not null
        constraint escalations_source_kind_known check (source_kind in ('playbook', 'complaint', 'business', 'alert', 'reconciliation')),
    source_id      uuid        not null,
    business_id    uuid references public.businesses (id),
    subject        text        not null
        constraint escalations_subject_length check (char_length(subject) between 3 and 200),
    note           text
        constraint escalations_note_length check (char_length(note) <= 4000),
    packet         text        not null
        constraint escalations_packet_length check (char_length(packet) between 1 and 400000),
    packet_sha256  text        not null
        constraint escalations_packet_sha256_hex check (packet_sha256 ~ '^[0-9a-f]{64}$'),
    to_email       text        not null,
    email_id       uuid references public.email_outbox (id),
    status         text        not null default 'open'
        constraint escalations_status_known check (status in ('open', 'answered', 'closed')),
    opened_by      uuid        not null references public.profiles (id),
    opened_at      timestamptz not null,
    due_at         timestamptz not null,
    answer         text
        constraint escalations_answer_length check (char_length(answer) between 3 and 4000),
    answered_by    uuid references public.profiles (id),
    answered_at    timestamptz,
    closed_by      uuid references public.profiles (id),
    closed_at      timestamptz,
    close_note     text
        constraint escalations_close_note_length check (char_length(close_note) between 3 and 2000),
    version        integer     not null default 1,
    updated_at     timestamptz not null default now(),
    changed_xid    xid8        not null default pg_current_xact_id(),
    constraint escalations_due_after_opened check (due_at > opened_at),
    -- Answered says what and when; closed says when, by whom and how it ended.
    constraint escalations_answer_together check ((answer is null) = (answered_at is null) and (answer is null) = (answered_by is null)),
    constraint escalations_answered_has_answer check (status = 'open' or answer is not null or status = 'closed'),
    constraint escalations_closed_says_how check (
        (status = 'closed') = (closed_at is not null) and (closed_at is null) = (closed_by is null) and (closed_at is null) = (close_note is null))
);

comment on table public.escalations is 'Operator escalations (spec Part 7): the situation, its team and urgency, the evidence packet sent, and its answer and closing. Written only by the server''s escalation commands.';
comment on column public.escalations.id is 'Escalation id (chosen by the console, so a resend is the same escalation).';
comment on column public.escalations.situation is 'data_integrity | infrastructure | feature_policy | legal_compliance | financial: the spec''s five situations.';
comment on column public.escalations.team is 'product | devops | legal | finance: follows from the situation (escalation_route).';
comment on column public.escalations.urgency is 'immediate | high | medium | low: follows from the situation (escalation_route).';
comment on column public.escalations.source_kind is 'playbook | complaint | business | alert | reconciliation: where the operator escalated from (business: a dossier found by investigating, without a complaint).';
comment on column public.escalations.source_id is 'The playbook run (incidents.id), complaint, business, alert or reconciliation report escalated from.';
comment on column public.escalations.business_id is 'The business it is about, when the source names one; a legal one freezes the operator''s actions for it while not closed.';
comment on column public.escalations.subject is 'The email''s subject, in the operator''s words.';
comment on column public.escalations.note is 'What the operator asks of the team (may be empty).';
comment on column public.escalations.packet is 'The packet as the operator read it before sending: their note and the evidence, as one text. Never changes.';
comment on column public.escalations.packet_sha256 is 'SHA-256 of the packet''s UTF-8 bytes (also in the audit entry).';
comment on column public.escalations.to_email is 'The team''s address it was sent to (escalation_email_<team> when opened).';
comment on column public.escalations.email_id is 'The email_outbox row that carries it.';
comment on column public.escalations.status is 'open | answered | closed. Closing lifts a legal freeze.';
comment on column public.escalations.opened_by is 'profiles.id of the operator who escalated.';
comment on column public.escalations.opened_at is 'Server time it was sent.';
comment on column public.escalations.due_at is 'opened_at plus the age its urgency allows (escalation_age_<urgency>_minutes when opened): open past it is overdue.';
comment on column public.escalations.answer is 'The team''s answer as the operator recorded it; null until answered.';
comment on column public.escalations.answered_by is 'profiles.id of the operator who recorded the answer.';
comment on column public.escalations.answered_at is 'When the answer was recorded.';
comment on column public.escalations.closed_by is 'profiles.id of the operator who closed it.';
comment on column public.escalations.closed_at is 'When it was closed; null exactly while open or answered.';
comment on column public.escalations.close_note is 'How it ended, in the operator''s words (e.g. the legal guidance followed).';
comment on column public.escalations.version is 'Bumped by trigger on every update; answering and closing carry it as baseVersion.';
comment on column public.escalations.updated_at is 'When the row last changed (set by trigger).';
comment on column public.escalations.changed_xid is 'Id of the transaction that last wrote the row (operator app pull cursor).';

create trigger escalations_bump_version
    before update on public.escalations
    for each row execute function public.bump_version();
create trigger escalations_stamp_changed_xid
    before update on public.escalations
    for each row execute function public.stamp_changed_xid();

/** What was sent stays as sent: the packet, its hash, its source and its routing never change; a closed escalation never reopens. */
create or replace function public.refuse_escalation_rewrite()
    returns trigger
    language plpgsql
    set search_path = ''
as
$$
begin
    if tg_op = 'DELETE' then
        raise exception 'escalation % is kept: escalations are never deleted', old.id using errcode = '42501';
    end if;
    if (new.packet, new.packet_sha256, new.situation, new.team, new.urgency, new.source_kind, new.source_id, new.business_id,
        new.opened_by, new.opened_at, new.due_at, new.to_email)
       is distinct from
       (old.packet, old.packet_sha256, old.situation, old.team, old.urgency, old.source_kind, old.source_id, old.business_id,
        old.opened_by, old.opened_at, old.due_at, old.to_email) then
        raise exception 'escalation % was sent as it is: its packet, source and routing never change', old.id using errcode = '42501';
    end if;
    if old.status = 'closed' then
        raise exception 'escalation % is closed: open a new one', old.id using errcode = '42501';
    end if;
    return new;
end
$$;

comment on function public.refuse_escalation_rewrite() is 'Trigger: an escalation''s packet, source and routing are kept as sent; it is never deleted and never changes once closed.';
revoke all on function public.refuse_escalation_rewrite() from public, anon, authenticated, service_role;

create trigger escalations_kept_as_sent
    before update or delete on public.escalations
    for each row execute function public.refuse_escalation_rewrite();

create index escalations_changed_xid_idx on public.escalations (changed_xid);
create index escalations_not_closed_idx on public.escalations (opened_at) where status <> 'closed';
-- The freeze check runs before every frozen command: one index probe per business.
create index escalations_legal_freeze_idx on public.escalations (business_id) where situation = 'legal_compliance' and status <> 'closed';

alter table public.escalations enable row level security;
revoke all on table public.escalations from public, anon, authenticated, service_role;
grant select on table public.escalations to authenticated;
grant select, insert, update on table public.escalations to service_role;

create policy "Operators read every escalation"
    on public.escalations for select
    to authenticated
    using ((select public.is_operator()));

/**
 * The open legal escalation that freezes the operator's hand for any of
 * these businesses (the oldest, when several), or nothing. The operator API
 * asks it before a refund decision, an activation, a flag or a trainer email.
 */
create or replace function public.legal_freeze(p_business_ids uuid[])
    returns table (escalation_id uuid, subject text, business_id uuid, business_name text, opened_at timestamptz, opened_by_name text)
    language sql
    stable
    set search_path = ''
as
$$
select e.id, e.subject, e.business_id, b.name, e.opened_at, p.display_name
from public.escalations e
join public.businesses b on b.id = e.business_id
left join public.profiles p on p.id = e.opened_by
where e.situation = 'legal_compliance' and e.status <> 'closed' and e.business_id = any (p_business_ids)
order by e.opened_at
limit 1
$$;

comment on function public.legal_freeze(uuid[]) is 'The open legal/compliance escalation freezing the operator''s actions for any of these businesses (oldest first), or no row.';
revoke all on function public.legal_freeze(uuid[]) from public, anon, authenticated, service_role;
grant execute on function public.legal_freeze(uuid[]) to service_role;

/**
  * -------------------------------------------------------
  * Section - The escalation email
  * -------------------------------------------------------
 */
alter function public.render_email(text, jsonb) rename to render_reply_email;
comment on function public.render_reply_email(text, jsonb) is
    'The trainer emails and the operator''s replies of migrations 1000 and 2500; called through render_email.';

/**
  * payload keys, for escalation: team (Product, DevOps, Legal, Finance),
  * situation (its words), urgency, subject, packet (the text the operator read).
 */
create or replace function public.render_email(p_template text, p_payload jsonb, out subject text, out body text)
    language plpgsql
    stable
    set search_path = ''
as
$$
begin
    if p_template = 'escalation' then
        subject := format('[Escalation to %s, %s urgency] %s', p_payload ->> 'team', p_payload ->> 'urgency', p_payload ->> 'subject');
        body := format(E'Hi %s team,\n\nThe operator escalates this to you (%s). Everything we have is below; '
                       'please reply to this email with your guidance.\n\n%s\n\nDTD Operations',
                       p_payload ->> 'team', p_payload ->> 'situation', p_payload ->> 'packet');
        return;
    end if;
    select t.subject, t.body into subject, body from public.render_reply_email(p_template, p_payload) t;
end
$$;

comment on function public.render_email(text, jsonb) is
    'Every email of the spec, rendered from its payload: escalation (Part 7) here, the rest through render_reply_email.';
revoke all on function public.render_email(text, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.render_email(text, jsonb) to service_role;
