/**
  * -------------------------------------------------------
  * Dog Trainers Directory: alerts and AI provider health
  * -------------------------------------------------------
  * Alerts are computed by the server and cached by the console. Each alert
  * rule is one SQL function that opens the alert when its condition holds
  * and resolves it when it no longer does (one open alert per kind+subject,
  * enforced by alerts_one_open_per_subject). This file holds the shared
  * open/resolve helpers, the settings reader, and the AI rules: "Z.AI
  * failing > 30 minutes" (RED) and the provider health summary.
 */

/**
  * -------------------------------------------------------
  * Section - Settings reader
  * -------------------------------------------------------
 */
create or replace function public.setting_numeric(p_key text)
    returns numeric
    language sql
    stable
    set search_path = ''
as
$$
select (s.value #>> '{}')::numeric from public.settings s where s.key = p_key
$$;

comment on function public.setting_numeric(text) is 'A numeric setting by key (null when absent). Rules read thresholds through this, never as literals.';
revoke all on function public.setting_numeric(text) from public, anon, authenticated, service_role;
grant execute on function public.setting_numeric(text) to authenticated, service_role;

/**
  * -------------------------------------------------------
  * Section - Open and resolve alerts
  * -------------------------------------------------------
 */
create or replace function public.open_alert(
    p_severity text,
    p_kind     text,
    p_subject  text,
    p_message  text,
    p_details  jsonb default '{}'::jsonb,
    p_now      timestamptz default now()
)
    returns uuid
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_id uuid;
begin
    -- Keep one open alert per thing: refresh its message and severity
    -- (a YELLOW may become RED) instead of opening another.
    update public.alerts a
    set severity = p_severity, message = p_message, details = p_details
    where a.kind = p_kind and a.subject = p_subject and a.resolved_at is null
    returning a.id into v_id;
    if v_id is null then
        insert into public.alerts (severity, kind, subject, message, details, opened_at)
        values (p_severity, p_kind, p_subject, p_message, p_details, p_now)
        on conflict (kind, subject) where resolved_at is null do nothing
        returning id into v_id;
    end if;
    return v_id;
end
$$;

comment on function public.open_alert(text, text, text, text, jsonb, timestamptz) is
    'Opens (or refreshes) the one open alert for kind+subject. Server only.';

create or replace function public.resolve_alert(p_kind text, p_subject text, p_now timestamptz default now())
    returns integer
    language sql
    volatile
    security definer
    set search_path = ''
as
$$
with resolved as (
    update public.alerts a
    set resolved_at = greatest(p_now, a.opened_at)
    where a.kind = p_kind and a.subject = p_subject and a.resolved_at is null
    returning 1
)
select count(*)::integer from resolved
$$;

comment on function public.resolve_alert(text, text, timestamptz) is 'Resolves the open alert for kind+subject, if any. Server only.';

revoke all on function public.open_alert(text, text, text, text, jsonb, timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.resolve_alert(text, text, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.open_alert(text, text, text, text, jsonb, timestamptz) to service_role;
grant execute on function public.resolve_alert(text, text, timestamptz) to service_role;

/**
  * -------------------------------------------------------
  * Section - AI call cost
  * -------------------------------------------------------
 */
alter table public.ai_provider_health
    add column cost_cents numeric(12, 4) not null default 0
        constraint ai_provider_health_cost_non_negative check (cost_cents >= 0);

comment on column public.ai_provider_health.cost_cents is
    'What the call cost, in cents (0 for failures and the deterministic rules); summed for the monthly AI budget.';

/**
  * -------------------------------------------------------
  * Section - Z.AI failing (RED)
  * -------------------------------------------------------
  * Z.AI is "failing since" the first failed call after its last good one.
  * Past zai_down_red_minutes of that, RED; a good call resolves it.
 */
create or replace function public.refresh_ai_alerts(p_now timestamptz default now())
    returns void
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_last_ok       timestamptz;
    v_failing_since timestamptz;
    v_failures      integer;
    v_last_error    text;
    v_limit         numeric := coalesce(public.setting_numeric('zai_down_red_minutes'), 30);
begin
    select max(h.checked_at) into v_last_ok
    from public.ai_provider_health h
    where h.provider = 'z_ai' and h.ok and h.checked_at <= p_now;

    select min(h.checked_at), count(*) into v_failing_since, v_failures
    from public.ai_provider_health h
    where h.provider = 'z_ai' and not h.ok and h.checked_at <= p_now
      and (v_last_ok is null or h.checked_at > v_last_ok);

    if v_failing_since is not null and v_failing_since <= p_now - make_interval(mins => v_limit::integer) then
        select h.error into v_last_error from public.ai_provider_health h
        where h.provider = 'z_ai' and not h.ok order by h.checked_at desc limit 1;
        perform public.open_alert(
            'RED', 'zai_down', 'z_ai',
            format('Z.AI down since %s (%s min); emergency triage is answering from the deterministic rules',
                   to_char(v_failing_since at time zone 'Australia/Melbourne', 'YYYY-MM-DD HH24:MI'),
                   floor(extract(epoch from (p_now - v_failing_since)) / 60)),
            jsonb_build_object('failing_since', v_failing_since, 'failed_calls', v_failures, 'last_error', v_last_error),
            p_now);
    elsif v_failing_since is null then
        perform public.resolve_alert('zai_down', 'z_ai', p_now);
    end if;
end
$$;

comment on function public.refresh_ai_alerts(timestamptz) is
    'Opens the RED zai_down alert when Z.AI has failed continuously for longer than zai_down_red_minutes; resolves it after a good call.';

revoke all on function public.refresh_ai_alerts(timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.refresh_ai_alerts(timestamptz) to service_role;

/**
  * -------------------------------------------------------
  * Section - AI provider summary (dashboard)
  * -------------------------------------------------------
  * This month (Melbourne calendar month): calls, uptime %, average latency
  * of good calls, cost, and the month's total against the AI budget.
 */
create or replace function public.ai_provider_summary(p_now timestamptz default now())
    returns jsonb
    language sql
    stable
    security definer
    set search_path = ''
as
$$
with month as (
    select (date_trunc('month', p_now at time zone 'Australia/Melbourne') at time zone 'Australia/Melbourne') as starts
),
per_provider as (
    select h.provider,
           count(*)                                                    as calls,
           count(*) filter (where h.ok)                                as ok_calls,
           round(avg(h.latency_ms) filter (where h.ok))                as avg_latency_ms,
           coalesce(sum(h.cost_cents), 0)                              as cost_cents,
           max(h.checked_at) filter (where h.ok)                       as last_ok_at,
           max(h.checked_at) filter (where not h.ok)                   as last_failure_at
    from public.ai_provider_health h, month
    where h.checked_at >= month.starts and h.checked_at <= p_now
    group by h.provider
)
select jsonb_build_object(
    'month_starts', (select starts from month),
    'budget_cents', coalesce(public.setting_numeric('ai_budget_cents_per_month'), 25000),
    'spent_cents', coalesce((select sum(cost_cents) from per_provider), 0),
    'providers', coalesce((select jsonb_agg(jsonb_build_object(
        'provider', p.provider,
        'calls', p.calls,
        'uptime_pct', round(100.0 * p.ok_calls / nullif(p.calls, 0), 1),
        'avg_latency_ms', p.avg_latency_ms,
        'cost_cents', p.cost_cents,
        'last_ok_at', p.last_ok_at,
        'last_failure_at', p.last_failure_at) order by p.provider) from per_provider p), '[]'::jsonb)
)
$$;

comment on function public.ai_provider_summary(timestamptz) is
    'AI provider health for the dashboard: per provider this month calls, uptime %, average latency, cost; and spend vs the monthly budget.';

revoke all on function public.ai_provider_summary(timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.ai_provider_summary(timestamptz) to service_role;
