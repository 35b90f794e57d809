/**
  * Dog Trainers Directory: the daily rollup behind the metrics of spec 3.2
  *
  * The metrics page wants revenue over twelve months (and the twelve before,
  * for the trend), refund rates, search volume by weekday and by filter, and
  * promotions out of the queue. Summing a million payments and five million
  * searches on every look is what this avoids: metrics_daily keeps one row per
  * Australia/Melbourne calendar day, and the snapshot reads those rows plus a
  * live tail for the days not rolled yet (normally just today).
  *
  * metrics_days(from, to) is the one aggregation, used both to fill the rollup
  * and for the live tail, so the two can never count differently. The daily
  * job calls rollup_metrics(now): it re-rolls the last 35 days (a missed
  * webhook recovered by the sweep can add a payment to a past day: Stripe
  * retries for 3 days and the sweep reads 30) and fills any day missing in the
  * last 25 months (the first run, or after the job was down).
 */
create table public.metrics_daily
(
    day                date primary key,
    purchases          integer     not null default 0,
    gross_cents        bigint      not null default 0,
    refunds            integer     not null default 0,
    refunded_cents     bigint      not null default 0,
    refunds_approved   integer     not null default 0,
    refunds_denied     integer     not null default 0,
    searches           integer     not null default 0,
    search_filters     jsonb       not null default '{}'::jsonb,
    promotions         integer     not null default 0,
    queue_wait_seconds bigint      not null default 0,
    rolled_at          timestamptz not null default now()
);
comment on table public.metrics_daily is 'One row per Australia/Melbourne day: the sums the metrics snapshot (spec 3.2) reads instead of scanning payments and searches. Written by rollup_metrics() only.';
comment on column public.metrics_daily.day is 'The Melbourne calendar day.';
comment on column public.metrics_daily.purchases is 'Payments paid that day (succeeded or since refunded).';
comment on column public.metrics_daily.gross_cents is 'Their amounts, in cents (refunds are not subtracted here).';
comment on column public.metrics_daily.refunds is 'Payments refunded that day.';
comment on column public.metrics_daily.refunded_cents is 'Their amounts, in cents.';
comment on column public.metrics_daily.refunds_approved is 'Refund requests the operator approved that day.';
comment on column public.metrics_daily.refunds_denied is 'Refund requests the operator denied that day.';
comment on column public.metrics_daily.searches is 'Public searches that day.';
comment on column public.metrics_daily.search_filters is 'How often each filter was used that day: {"age:puppy": n, "issue:pulling": n, "service:private": n}.';
comment on column public.metrics_daily.promotions is 'Purchases promoted from a queue to a placement that day.';
comment on column public.metrics_daily.queue_wait_seconds is 'Their total time in the queue (paid to promoted), in seconds.';
comment on column public.metrics_daily.rolled_at is 'When the row was last computed.';

alter table public.metrics_daily enable row level security;
revoke all on table public.metrics_daily from public, anon, authenticated, service_role;
grant select on table public.metrics_daily to authenticated;
grant all on table public.metrics_daily to service_role;
create policy "Operators read the metrics rollup"
    on public.metrics_daily for select
    to authenticated
    using ((select public.is_operator()));

-- Promotions by day (the rollup's one range read on the queue).
create index featured_queue_promoted_at_idx on public.featured_queue (promoted_at) where promoted_at is not null;

/** The day sums for every Melbourne day from p_from up to the moment p_to (exclusive), days with nothing included. */
create or replace function public.metrics_days(p_from date, p_to timestamptz)
    returns table (
        day date, purchases integer, gross_cents bigint, refunds integer, refunded_cents bigint, refunds_approved integer,
        refunds_denied integer, searches integer, search_filters jsonb, promotions integer, queue_wait_seconds bigint
    )
    language sql
    stable
    security definer
    set search_path = ''
as
$$
with bounds as (
    select p_from::timestamp at time zone 'Australia/Melbourne' as starts, p_to as ends
),
days as (
    select d::date as day from generate_series(p_from, (p_to at time zone 'Australia/Melbourne')::date, interval '1 day') d
    where d::date::timestamp at time zone 'Australia/Melbourne' < p_to
),
pay as (
    select (pa.paid_at at time zone 'Australia/Melbourne')::date as day, count(*)::integer as n, sum(pa.amount_cents)::bigint as cents
    from public.payment_audit pa, bounds b
    where pa.paid_at >= b.starts and pa.paid_at < b.ends and pa.status in ('succeeded', 'refunded')
    group by 1
),
refunded as (
    select (pa.refunded_at at time zone 'Australia/Melbourne')::date as day, count(*)::integer as n, sum(pa.amount_cents)::bigint as cents
    from public.payment_audit pa, bounds b
    where pa.refunded_at >= b.starts and pa.refunded_at < b.ends
    group by 1
),
decided as (
    select (rr.decided_at at time zone 'Australia/Melbourne')::date as day,
           count(*) filter (where rr.status = 'approved')::integer as approved,
           count(*) filter (where rr.status = 'denied')::integer as denied
    from public.refund_requests rr, bounds b
    where rr.decided_at >= b.starts and rr.decided_at < b.ends
    group by 1
),
searched as (
    select (e.occurred_at at time zone 'Australia/Melbourne')::date as day, e.filters
    from public.search_events e, bounds b
    where e.occurred_at >= b.starts and e.occurred_at < b.ends
),
search_counts as (
    select s.day, count(*)::integer as n from searched s group by 1
),
filter_counts as (
    select f.day, jsonb_object_agg(f.k, f.n) as filters
    from (
        select s.day, x.k, count(*) as n
        from searched s
        cross join lateral (
            select 'age:' || a as k from jsonb_array_elements_text(case when jsonb_typeof(s.filters -> 'ageSpecialties') = 'array' then s.filters -> 'ageSpecialties' else '[]' end) a
            union all
            select 'issue:' || i from jsonb_array_elements_text(case when jsonb_typeof(s.filters -> 'behaviorIssues') = 'array' then s.filters -> 'behaviorIssues' else '[]' end) i
            union all
            select 'service:' || (s.filters ->> 'serviceType') where s.filters ? 'serviceType'
        ) x
        group by 1, 2
    ) f
    group by 1
),
promoted as (
    select (q.promoted_at at time zone 'Australia/Melbourne')::date as day, count(*)::integer as n,
           coalesce(sum(extract(epoch from (q.promoted_at - q.paid_at))), 0)::bigint as wait
    from public.featured_queue q, bounds b
    where q.promoted_at >= b.starts and q.promoted_at < b.ends
    group by 1
)
select d.day, coalesce(p.n, 0), coalesce(p.cents, 0), coalesce(r.n, 0), coalesce(r.cents, 0), coalesce(x.approved, 0), coalesce(x.denied, 0),
       coalesce(s.n, 0), coalesce(f.filters, '{}'::jsonb), coalesce(q.n, 0), coalesce(q.wait, 0)
from days d
left join pay p using (day)
left join refunded r using (day)
left join decided x using (day)
left join search_counts s using (day)
left join filter_counts f using (day)
left join promoted q using (day)
order by d.day
$$;
comment on function public.metrics_days(date, timestamptz) is
    'Per Melbourne day from p_from until the moment p_to: purchases, gross, refunds, refund decisions, searches and their filters, promotions and queue wait. The one aggregation of the metrics. Server only.';

/** Fills metrics_daily: the last 35 finished days again, and any missing day of the last 25 months. Returns the days written. */
create or replace function public.rollup_metrics(p_now timestamptz default now())
    returns integer
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_today  date := (p_now at time zone 'Australia/Melbourne')::date;
    v_oldest date := ((p_now at time zone 'Australia/Melbourne')::date - interval '25 months')::date;
    v_from   date;
    v_rows   integer;
begin
    select least(v_today - 35, coalesce(min(d::date), v_today)) into v_from
    from generate_series(v_oldest, v_today - 1, interval '1 day') d
    where not exists (select 1 from public.metrics_daily m where m.day = d::date);
    v_from := greatest(v_from, v_oldest);
    insert into public.metrics_daily as m (day, purchases, gross_cents, refunds, refunded_cents, refunds_approved, refunds_denied,
                                           searches, search_filters, promotions, queue_wait_seconds, rolled_at)
    select x.*, p_now from public.metrics_days(v_from, v_today::timestamp at time zone 'Australia/Melbourne') x
    on conflict (day) do update set purchases = excluded.purchases, gross_cents = excluded.gross_cents, refunds = excluded.refunds,
        refunded_cents = excluded.refunded_cents, refunds_approved = excluded.refunds_approved, refunds_denied = excluded.refunds_denied,
        searches = excluded.searches, search_filters = excluded.search_filters, promotions = excluded.promotions,
        queue_wait_seconds = excluded.queue_wait_seconds, rolled_at = excluded.rolled_at;
    get diagnostics v_rows = row_count;
    return v_rows;
end
$$;
comment on function public.rollup_metrics(timestamptz) is
    'Daily: re-rolls the last 35 finished Melbourne days into metrics_daily and fills any missing day of the last 25 months. Server only.';

/** The series the snapshot reads: rolled days from p_from, then the live tail (the days after the last rolled one, up to p_now). */
create or replace function public.metrics_series(p_from date, p_now timestamptz)
    returns setof public.metrics_daily
    language sql
    stable
    security definer
    set search_path = ''
as
$$
with rolled as (
    select coalesce(max(m.day) + 1, p_from) as tail_from
    from public.metrics_daily m
    where m.day >= p_from and m.day < (p_now at time zone 'Australia/Melbourne')::date
)
select m.* from public.metrics_daily m, rolled r where m.day >= p_from and m.day < r.tail_from
union all
select x.*, p_now from rolled r, public.metrics_days(greatest(r.tail_from, p_from), p_now) x
$$;
comment on function public.metrics_series(date, timestamptz) is
    'metrics_daily from p_from, then the days not rolled yet computed live up to p_now: the metrics snapshot''s main aggregate. Server only.';

revoke all on function public.metrics_days(date, timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.rollup_metrics(timestamptz) from public, anon, authenticated, service_role;
revoke all on function public.metrics_series(date, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.metrics_days(date, timestamptz) to service_role;
grant execute on function public.rollup_metrics(timestamptz) to service_role;
grant execute on function public.metrics_series(date, timestamptz) to service_role;
