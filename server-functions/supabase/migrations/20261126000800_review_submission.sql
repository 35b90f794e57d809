/**
  * -------------------------------------------------------
  * Dog Trainers Directory: anonymous review submission
  * -------------------------------------------------------
  * The only way a review enters the database. The `reviews` edge function
  * scores the text (AI or deterministic) and calls submit_review, which
  * applies the abuse rules atomically: a rate limit per client address and
  * no identical text for the same business within 24 hours. A refused
  * submission writes nothing.
 */

-- Rate limit and duplicate checks read these.
create index reviews_ip_hash_created_idx on public.reviews (submitted_ip_hash, created_at desc);
create index reviews_business_created_idx on public.reviews (business_id, created_at desc);

create or replace function public.submit_review(
    p_business_id    uuid,
    p_rating         integer,
    p_body           text,
    p_display_name   text,
    p_ai_confidence  numeric,
    p_ai_flags       text[],
    p_ip_hash        text,
    p_limit_per_hour integer default 5
)
    returns jsonb
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_recent      integer;
    v_oldest      timestamptz;
    v_review_id   uuid;
    v_normalized  text := lower(regexp_replace(btrim(p_body), '\s+', ' ', 'g'));
begin
    if not exists (select 1 from public.businesses b
                   where b.id = p_business_id
                     and public.business_is_visible(b.status, b.deleted, b.age_specialties, b.behavior_issues)) then
        return jsonb_build_object('outcome', 'unknown_business');
    end if;

    -- One submitter at a time per address, so concurrent requests cannot
    -- all slip under the limit.
    perform pg_advisory_xact_lock(hashtextextended('review-submit:' || p_ip_hash, 0));

    select count(*), min(r.created_at) into v_recent, v_oldest
    from public.reviews r
    where r.submitted_ip_hash = p_ip_hash and r.created_at > now() - interval '1 hour';
    if v_recent >= p_limit_per_hour then
        return jsonb_build_object('outcome', 'rate_limited',
            'retry_after_seconds', greatest(1, ceil(extract(epoch from (v_oldest + interval '1 hour' - now())))::integer));
    end if;

    perform pg_advisory_xact_lock(hashtextextended('review-text:' || p_business_id::text, 0));
    if exists (select 1 from public.reviews r
               where r.business_id = p_business_id
                 and r.created_at > now() - interval '24 hours'
                 and lower(regexp_replace(btrim(r.body), '\s+', ' ', 'g')) = v_normalized) then
        return jsonb_build_object('outcome', 'duplicate');
    end if;

    insert into public.reviews (business_id, rating, body, display_name, status, ai_confidence, ai_flags, submitted_ip_hash)
    values (p_business_id, p_rating, p_body, nullif(btrim(p_display_name), ''), 'pending', p_ai_confidence,
            coalesce(p_ai_flags, '{}'), p_ip_hash)
    returning id into v_review_id;

    return jsonb_build_object('outcome', 'created', 'review_id', v_review_id);
end
$$;

comment on function public.submit_review(uuid, integer, text, text, numeric, text[], text, integer) is
    'Stores an anonymous review as pending with its AI score, unless the address is over its hourly limit (rate_limited) or the same text was posted for the business within 24 h (duplicate). Server only.';

revoke all on function public.submit_review(uuid, integer, text, text, numeric, text[], text, integer)
    from public, anon, authenticated, service_role;
grant execute on function public.submit_review(uuid, integer, text, text, numeric, text[], text, integer) to service_role;
