/**
  * Dog Trainers Directory: the 7-day refund rate, planned with its dates known
  *
  * refund_rate_7d (migration 2000) is the one definition of the refund rate
  * the alert, the dashboard and playbook 5's refund pattern read. As a SQL
  * function (security definer, so never inlined) its query was planned once
  * with p_now unknown, and with an OR of two date ranges the generic plan
  * read every payment: 97 ms on the large seed at 0.3 scale, about 300 ms at
  * full scale, once a minute for the alerts refresh alone. The same counts
  * planned with the date known take 0.1 ms (two index range scans), so this
  * version runs them through EXECUTE (a one-shot plan with the value).
  *
  * Same definition as before: refunds made in the last 7 days against
  * purchases (succeeded or since refunded) made in them, in percent, one
  * decimal, 0 when nothing was bought.
 */
create or replace function public.refund_rate_7d(p_now timestamptz default now(), out rate_pct numeric, out refunds integer, out purchases integer)
    language plpgsql
    stable
    security definer
    set search_path = ''
as
$$
begin
    execute $q$
        select (select count(*) from public.payment_audit pa
                where pa.status in ('succeeded', 'refunded') and pa.paid_at > $1 - interval '7 days')::integer,
               (select count(*) from public.payment_audit pa
                where pa.status = 'refunded' and pa.refunded_at > $1 - interval '7 days')::integer
    $q$ into purchases, refunds using p_now;
    rate_pct := case when purchases > 0 then round(100.0 * refunds / purchases, 1) else 0 end;
end
$$;

comment on function public.refund_rate_7d(timestamptz) is
    'The refund rate over the last 7 days: refunds made in them against purchases made in them, in percent (one decimal). The alert, the dashboard and the refund pattern read this. Server only.';

revoke all on function public.refund_rate_7d(timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.refund_rate_7d(timestamptz) to service_role;
