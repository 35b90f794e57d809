/**
  * Dog Trainers Directory: the emails the operator sees, and the replies the
  * spec's playbooks end with
  *
  * 1. The email outbox reaches the operator's pull: each email carries
  *    changed_xid like every other list the console caches, so a status
  *    change (queued → sent, or failed with its error) reaches the console.
  * 2. The replies of spec 2.5 and playbook 4, written once here as the other
  *    emails are (render_email stays the one place a template is written;
  *    the four emails of migration 1000 keep their words, renamed
  *    render_trainer_email and called from it):
  *      queue_position_reply  playbook 4: received when, position, ETA
  *      search_help           scenario 2: what to search for, and why a
  *                            profile is hidden when it is
  *      review_dispute_reply  scenario 3: the review's outcome and reason
  * 3. Why a business is hidden from search, in words, beside the rule
  *    (business_is_visible): the checkout's refusal and the search_help
  *    email both read it, instead of the checkout restating the rule.
  * 4. The bulk-approval line (0.90 AI confidence) becomes a setting the
  *    server holds: until now only the console knew it, and a bulk approval
  *    naming any pending review was applied.
 */

insert into public.settings (key, value, description)
values ('bulk_approve_min_confidence', '0.9',
        'A bulk approval publishes only reviews the AI scored at least this safe; the others go back to be read one by one.')
on conflict (key) do nothing;

/**
  * -------------------------------------------------------
  * Section - The outbox in the pull
  * -------------------------------------------------------
 */
alter table public.email_outbox add column changed_xid xid8 not null default pg_current_xact_id();
comment on column public.email_outbox.changed_xid is 'Id of the transaction that last wrote the row (operator app pull cursor).';
create trigger email_outbox_stamp_changed_xid before update on public.email_outbox
    for each row execute function public.stamp_changed_xid();
create index email_outbox_changed_xid_idx on public.email_outbox (changed_xid);
-- A first pull brings the last 30 days (email_outbox_created_at_idx, migration 0600, serves it).

/**
  * -------------------------------------------------------
  * Section - Why a business is not in search
  * -------------------------------------------------------
 */
create or replace function public.business_hidden_reason(
    status text,
    deleted boolean,
    age_specialties text[],
    behavior_issues text[]
)
    returns text
    language sql
    immutable
return case
    when business_hidden_reason.deleted then 'the business is deleted'
    when business_hidden_reason.status is distinct from 'active' then 'the business is ' || coalesce(business_hidden_reason.status, 'not active')
    when coalesce(cardinality(business_hidden_reason.age_specialties), 0) = 0 then 'the business lists no age specialties'
    when coalesce(cardinality(business_hidden_reason.behavior_issues), 0) = 0 then 'the business lists no behaviour issues'
end;

comment on function public.business_hidden_reason(text, boolean, text[], text[]) is
    'Why a business is not shown in search, in words (null when business_is_visible holds). The two are tested to agree.';
revoke all on function public.business_hidden_reason(text, boolean, text[], text[]) from public, anon, authenticated, service_role;
grant execute on function public.business_hidden_reason(text, boolean, text[], text[]) to authenticated, service_role;

/**
  * -------------------------------------------------------
  * Section - Templates
  * -------------------------------------------------------
 */
alter function public.render_email(text, jsonb) rename to render_trainer_email;
comment on function public.render_trainer_email(text, jsonb) is
    'The trainer emails of migration 1000 (featured_activated, featured_queued, refund_approved, refund_denied); called through render_email.';

/**
  * payload keys, by template:
  *   queue_position_reply  name, council, received_at, position, eta, slots
  *   search_help           name, business, criteria, hidden (null when shown)
  *   review_dispute_reply  business, decision (approved | denied), reason
 */
create or replace function public.render_email(p_template text, p_payload jsonb, out subject text, out body text)
    language plpgsql
    stable
    set search_path = ''
as
$$
declare
    v_name     text := coalesce(nullif(p_payload ->> 'name', ''), 'there');
    v_business text := coalesce(p_payload ->> 'business', 'your business');
    v_council  text := coalesce(p_payload ->> 'council', 'your council');
    v_received timestamptz := (p_payload ->> 'received_at')::timestamptz;
begin
    case p_template
        when 'queue_position_reply' then
            subject := format('About your queue position in %s', v_council);
            body := format(E'Hi %s,\n\nThank you for reaching out about your queue position. I''ve reviewed our records '
                           'and can confirm that your featured placement request was received on %s at %s. ',
                           v_name, public.format_melbourne_date(v_received),
                           pg_catalog.to_char(v_received at time zone 'Australia/Melbourne', 'FMHH12:MI AM'))
                    || case when (p_payload ->> 'position')::integer = 0
                            then format(E'A featured slot is free for you in the %s region: your placement starts within minutes.', v_council)
                            else format(E'You''re currently position #%s in the queue for the %s region.\n\n'
                                        'Here''s how our queue works:\n'
                                        '- We offer %s featured slots per council, filled on a first-come, first-served basis\n'
                                        '- When a trainer''s featured period expires, the next person in queue is automatically promoted\n'
                                        '- Your turn is estimated to come up around %s (based on current featured expiries)\n\n'
                                        'We appreciate your patience. Your profile will be featured soon!',
                                        p_payload ->> 'position', v_council, coalesce(p_payload ->> 'slots', '5'),
                                        coalesce(public.format_melbourne_date((p_payload ->> 'eta')::timestamptz), 'the coming weeks'))
                       end
                    || E'\n\nBest,\nDTD Operations';
        when 'search_help' then
            subject := format('About %s in search', v_business);
            body := format(E'Hi %s,\n\nThank you for letting us know. ', v_name)
                    || case when p_payload ->> 'hidden' is not null
                            then format('%s is not shown in search at the moment because %s. Please update your profile; it appears as soon as that is fixed. ',
                                        v_business, regexp_replace(p_payload ->> 'hidden', '^the business', 'it'))
                            else ''
                       end
                    || format('Try searching for %s. If still missing, update your profile.', p_payload ->> 'criteria')
                    || E'\n\nBest,\nDTD Operations';
        when 'review_dispute_reply' then
            subject := format('About your review of %s', v_business);
            body := format(E'Hi %s,\n\nWe reviewed your feedback. %s for reason: %s.\n\n%s',
                           v_name,
                           case p_payload ->> 'decision' when 'approved' then 'Approved' else 'Denied' end,
                           coalesce(nullif(p_payload ->> 'reason', ''), 'not given'),
                           case p_payload ->> 'decision'
                               when 'approved' then format('Your review of %s is now published.', v_business)
                               else format('Your review of %s stays unpublished.', v_business)
                           end)
                    || E'\n\nBest,\nDTD Operations';
        else
            select t.subject, t.body into subject, body from public.render_trainer_email(p_template, p_payload) t;
    end case;
end
$$;

comment on function public.render_email(text, jsonb) is
    'Every email of the spec, rendered from its payload: the trainer emails (render_trainer_email) and the operator''s replies queue_position_reply, search_help, review_dispute_reply.';
revoke all on function public.render_email(text, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.render_email(text, jsonb) to service_role;
