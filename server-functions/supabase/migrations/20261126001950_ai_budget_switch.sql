/**
  * Dog Trainers Directory: the monthly AI budget enforced
  *
  * The $250 monthly budget (ai_budget_cents_per_month) was only reported.
  * Now, once this Melbourne month's spend reaches ai_budget_switch_pct of it
  * (90 %), ai_budget_state says so, the AI router reads it with the AI_MODE
  * flag (at most every 30 s) and answers from the deterministic rules until
  * the month ends or the budget is raised, and the alerts refresh (migration
  * 2000, every minute) raises a YELLOW ai_budget alert saying exactly that;
  * it resolves itself when spend is back under the line (a new month, a
  * raised budget).
  */

insert into public.settings (key, value, description)
values ('ai_budget_switch_pct', '90', 'At this share of the monthly AI budget the router switches to the deterministic rules by itself, and an alert says so.')
on conflict (key) do nothing;

create or replace function public.ai_budget_state(p_now timestamptz default now())
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
spend as (
    select coalesce(sum(h.cost_cents), 0) as cents
    from public.ai_provider_health h, month
    where h.checked_at >= month.starts and h.checked_at <= p_now and h.cost_cents > 0
),
limits as (
    select coalesce(public.setting_numeric('ai_budget_cents_per_month'), 25000) as budget,
           coalesce(public.setting_numeric('ai_budget_switch_pct'), 90) as pct
)
select jsonb_build_object(
    'spent_cents', round(spend.cents, 4),
    'budget_cents', limits.budget,
    'switch_pct', limits.pct,
    'switch_at_cents', round(limits.budget * limits.pct / 100, 2),
    'over', spend.cents >= limits.budget * limits.pct / 100)
from spend, limits
$$;

comment on function public.ai_budget_state(timestamptz) is
    'This Melbourne month''s AI spend against the budget, and whether it has reached the switch line (ai_budget_switch_pct). Server only.';

create or replace function public.refresh_ai_budget_alert(p_now timestamptz default now())
    returns void
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v jsonb := public.ai_budget_state(p_now);
begin
    if (v ->> 'over')::boolean then
        perform public.open_alert('YELLOW', 'ai_budget', 'month',
            format('AI spend %s of the %s monthly budget (%s%% reached): the AI router answers from the deterministic rules until the month ends or the budget is raised',
                   public.format_aud(round((v ->> 'spent_cents')::numeric)::integer), public.format_aud(((v ->> 'budget_cents')::numeric)::integer),
                   v ->> 'switch_pct'),
            v, p_now);
    else
        perform public.resolve_alert('ai_budget', 'month', p_now);
    end if;
end
$$;

comment on function public.refresh_ai_budget_alert(timestamptz) is 'Opens the ai_budget alert while spend is over the switch line; resolves it when it is not. Server only.';

revoke all on function public.ai_budget_state(timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.refresh_ai_budget_alert(timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.ai_budget_state(timestamptz) to service_role;
grant execute on function public.refresh_ai_budget_alert(timestamptz) to service_role;
