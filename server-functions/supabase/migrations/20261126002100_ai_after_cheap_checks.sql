/**
  * Dog Trainers Directory: no AI call before the cheap checks
  *
  * Anonymous callers could make the server pay for AI calls without limit:
  * a review was scored by the AI before its rate limit, business and
  * duplicate checks ran (inside submit_review), and emergency triage had no
  * limit at all. Now:
  *
  * 1. review_precheck: the same refusals as submit_review (unknown business,
  *    over the hourly limit, duplicate text), read before any AI call. The
  *    insert itself still re-checks under its locks (submit_review), so a
  *    race cannot slip a review through; the precheck only saves the call.
  * 2. take_ai_slot: a per-key hourly allowance of AI calls, taken atomically
  *    (one advisory lock per key), so a burst of concurrent requests from one
  *    address cannot all reach the AI. Reviews use the review limit; triage
  *    its own setting, and over it the deterministic rules answer: an
  *    emergency is never refused.
  */

insert into public.settings (key, value, description)
values ('triage_ai_per_hour', '20', 'AI-classified emergency triages per address per hour; beyond it the deterministic rules answer (never a refusal).')
on conflict (key) do nothing;

create table public.ai_rate_hits
(
    key text        not null,
    at  timestamptz not null default now()
);

comment on table public.ai_rate_hits is 'One row per AI call allowed for a key (a hashed client address and what it called), kept an hour: the AI allowance of anonymous callers. Server only.';
comment on column public.ai_rate_hits.key is 'What the allowance is for: the call and the hashed client address (e.g. triage:<sha-256>).';
comment on column public.ai_rate_hits.at is 'When the AI call was allowed.';
create index ai_rate_hits_key_at on public.ai_rate_hits (key, at);

alter table public.ai_rate_hits enable row level security;
-- No policy: server only.
revoke all on table public.ai_rate_hits from public, anon, authenticated, service_role;
grant all on table public.ai_rate_hits to service_role;

create or replace function public.take_ai_slot(p_key text, p_limit integer, p_now timestamptz default now())
    returns boolean
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_used integer;
begin
    perform pg_advisory_xact_lock(hashtextextended('ai-slot:' || p_key, 0));
    delete from public.ai_rate_hits h where h.key = p_key and h.at <= p_now - interval '1 hour';
    select count(*) into v_used from public.ai_rate_hits h where h.key = p_key;
    if v_used >= greatest(p_limit, 0) then
        return false;
    end if;
    insert into public.ai_rate_hits (key, at) values (p_key, p_now);
    return true;
end
$$;

comment on function public.take_ai_slot(text, integer, timestamptz) is
    'Takes one of p_limit AI calls allowed per hour for p_key (false when none is left). Atomic per key. Server only.';

create or replace function public.review_precheck(p_business_id uuid, p_body text, p_ip_hash text, p_limit_per_hour integer default 5)
    returns jsonb
    language sql
    stable
    security definer
    set search_path = ''
as
$$
select case
    when not exists (select 1 from public.businesses b
                     where b.id = p_business_id
                       and public.business_is_visible(b.status, b.deleted, b.age_specialties, b.behavior_issues))
        then jsonb_build_object('outcome', 'unknown_business')
    when recent.n >= p_limit_per_hour
        then jsonb_build_object('outcome', 'rate_limited',
                                'retry_after_seconds', greatest(1, ceil(extract(epoch from (recent.oldest + interval '1 hour' - now())))::integer))
    when exists (select 1 from public.reviews r
                 where r.business_id = p_business_id
                   and r.created_at > now() - interval '24 hours'
                   and lower(regexp_replace(btrim(r.body), '\s+', ' ', 'g')) = lower(regexp_replace(btrim(p_body), '\s+', ' ', 'g')))
        then jsonb_build_object('outcome', 'duplicate')
    else jsonb_build_object('outcome', 'ok')
end
from (select count(*) as n, min(r.created_at) as oldest from public.reviews r
      where r.submitted_ip_hash = p_ip_hash and r.created_at > now() - interval '1 hour') recent
$$;

comment on function public.review_precheck(uuid, text, text, integer) is
    'The refusals submit_review would give (unknown_business, rate_limited, duplicate), read before the AI is asked to score; ok otherwise. Server only.';

revoke all on function public.take_ai_slot(text, integer, timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.review_precheck(uuid, text, text, integer) from public, anon, authenticated, service_role;
grant execute on function public.take_ai_slot(text, integer, timestamptz) to service_role;
grant execute on function public.review_precheck(uuid, text, text, integer) to service_role;
