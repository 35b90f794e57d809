/**
  * -------------------------------------------------------
  * Dog Trainers Directory: email templates and queueing
  * -------------------------------------------------------
  * Emails are queued in email_outbox inside the same transaction as the
  * change they report (a placement activated, a refund decided), so an email
  * exists exactly when its change does. A sender delivers queued rows
  * through a Resend-compatible API when a key is configured; otherwise they
  * stay in the outbox where the operator can read them. The spec's wording
  * lives here, once: render_email is the only place a template is written.
 */

create or replace function public.format_aud(p_cents integer)
    returns text
    language sql
    immutable
    set search_path = ''
as
$$
select '$' || to_char(p_cents / 100.0, 'FM999G999G990D00') || ' AUD'
$$;

comment on function public.format_aud(integer) is 'Cents as the spec writes money in emails: $22.00 AUD.';

create or replace function public.format_melbourne_date(p_at timestamptz)
    returns text
    language sql
    stable
    set search_path = ''
as
$$
select to_char(p_at at time zone 'Australia/Melbourne', 'FMDD FMMonth YYYY')
$$;

comment on function public.format_melbourne_date(timestamptz) is 'A date as trainers read it (Melbourne calendar), e.g. 15 December 2025.';

/**
  * -------------------------------------------------------
  * Section - Templates
  * -------------------------------------------------------
  * payload keys: name, business, council, amount_cents, until, position,
  * eta, purchased_at, days_elapsed, window_days. Returns (subject, body).
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
    v_amount   text := public.format_aud(coalesce((p_payload ->> 'amount_cents')::integer, 2200));
    v_sign_off text := E'\n\nBest,\nDTD Team';
begin
    case p_template
        when 'featured_activated' then
            subject := 'Good news! Your featured placement is now active';
            body := format(E'Hi %s,\n\nWe received your payment (%s) and have now activated your featured placement for %s. '
                           'Your profile will be featured until %s and will appear at the top of search results in %s.\n\n'
                           'Thank you for choosing Dog Trainers Directory!',
                           v_name, v_amount, v_business,
                           public.format_melbourne_date((p_payload ->> 'until')::timestamptz), v_council) || v_sign_off;
        when 'featured_queued' then
            subject := format('Your payment was received: you are #%s in the %s queue', p_payload ->> 'position', v_council);
            body := format(E'Hi %s,\n\nWe received your payment (%s) for %s. All featured slots in %s are currently taken, '
                           'so your placement is in the queue at position #%s.\n\n'
                           'Here''s how our queue works:\n'
                           '- We offer %s featured slots per council, filled on a first-come, first-served basis\n'
                           '- When a trainer''s featured period expires, the next person in queue is automatically promoted\n'
                           '- Your turn is estimated to come up around %s\n\n'
                           'We appreciate your patience. Your profile will be featured soon!',
                           v_name, v_amount, v_business, v_council, p_payload ->> 'position',
                           coalesce(p_payload ->> 'slots', '5'),
                           coalesce(public.format_melbourne_date((p_payload ->> 'eta')::timestamptz), 'the coming weeks')) || v_sign_off;
        when 'refund_approved' then
            subject := 'Your refund has been processed';
            body := format(E'Hi %s,\n\nRefund processed: %s for your featured placement for %s. '
                           'Look for it in 3–5 business days.', v_name, v_amount, v_business) || v_sign_off;
        when 'refund_denied' then
            subject := 'About your refund request';
            body := format(E'Hi %s,\n\nUnfortunately, refunds are only available within %s days of purchase. '
                           'Your purchase was on %s, which is %s days ago. We cannot process this refund.',
                           v_name, coalesce(p_payload ->> 'window_days', '3'),
                           public.format_melbourne_date((p_payload ->> 'purchased_at')::timestamptz),
                           p_payload ->> 'days_elapsed') || v_sign_off;
        else
            raise exception 'unknown email template %', p_template using errcode = '22023';
    end case;
end
$$;

comment on function public.render_email(text, jsonb) is 'The spec''s trainer emails: featured_activated, featured_queued, refund_approved, refund_denied.';

/**
  * -------------------------------------------------------
  * Section - Queue an email
  * -------------------------------------------------------
  * A dedupe key makes queueing idempotent: replaying the event or decision
  * that caused an email never sends it twice.
 */
create or replace function public.queue_email(p_to text, p_template text, p_payload jsonb, p_dedupe_key text)
    returns uuid
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_id      uuid;
    v_subject text;
    v_body    text;
begin
    if p_to is null then
        return null; -- an owner without an email address: nothing to send
    end if;
    select r.subject, r.body into v_subject, v_body from public.render_email(p_template, p_payload) r;
    insert into public.email_outbox (to_email, template, subject, body_text, payload, dedupe_key)
    values (p_to, p_template, v_subject, v_body, p_payload, p_dedupe_key)
    on conflict (dedupe_key) do nothing
    returning id into v_id;
    return v_id;
end
$$;

comment on function public.queue_email(text, text, jsonb, text) is 'Renders a template and queues it once per dedupe key. Server only.';

/** The owner's name and address for a business, for email payloads. */
create or replace function public.business_contact(p_business_id uuid, out email text, out name text, out business text, out council text)
    language sql
    stable
    security definer
    set search_path = ''
as
$$
select coalesce(p.email, u.email), p.display_name, b.name, c.name
from public.businesses b
join public.councils c on c.id = b.council_id
left join public.profiles p on p.id = b.owner_id
left join auth.users u on u.id = b.owner_id
where b.id = p_business_id
$$;

comment on function public.business_contact(uuid) is 'Owner email and display name, business and council names, for trainer emails.';

revoke all on function public.format_aud(integer) from public, anon, authenticated, service_role;
revoke all on function public.format_melbourne_date(timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.render_email(text, jsonb) from public, anon, authenticated, service_role;
revoke all on function public.queue_email(text, text, jsonb, text) from public, anon, authenticated, service_role;
revoke all on function public.business_contact(uuid) from public, anon, authenticated, service_role;
grant execute on function public.format_aud(integer) to authenticated, service_role;
grant execute on function public.format_melbourne_date(timestamptz) to authenticated, service_role;
grant execute on function public.render_email(text, jsonb) to service_role;
grant execute on function public.queue_email(text, text, jsonb, text) to service_role;
grant execute on function public.business_contact(uuid) to service_role;
