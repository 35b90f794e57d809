/**
  * Dog Trainers Directory: what the playbooks' live checks need from the
  * database (spec Part 4, issue 19)
  *
  * 1. The daily job's retry back-off as a setting. The runner
  *    (_shared/jobs/runner.ts) waits base × 3^(n-1) seconds after failed
  *    attempt n, capped at 60 s: 2, 6, 18, 54 s with the spec's base of 2 s.
  *    Tests and demos set it to 0 so a run that fails all 5 attempts takes
  *    no time at all; production keeps the default.
  *
  * 2. A run the function never made (playbook 3, error class C). The runner
  *    inside featured-expiry-and-promotion records every attempt itself, but
  *    it cannot record that it was never reached: the function crashed
  *    before it started, or the network between the scheduler and the
  *    function failed. Only the caller knows. record_cron_unreachable is how
  *    the caller says so: the local stack's scheduler calls it after a
  *    network error or a 5xx answer; on hosted Supabase a pg_cron job can do
  *    the same from pg_net's response (net._http_response: status_code >= 500
  *    or error_msg set). It writes nothing when the function did record its
  *    own run after the call (a 500 from a run that failed all its attempts
  *    is the runner's failure, already recorded with its real error).
 */

/**
  * -------------------------------------------------------
  * Section - The retry back-off setting
  * -------------------------------------------------------
 */
insert into public.settings (key, value, description)
values ('cron_retry_backoff_seconds', '2',
        'Seconds the daily job waits before its second attempt; each later wait is 3 times the one before, at most 60 s (0: retry at once, for tests and demos).')
on conflict (key) do nothing;

create or replace function public.cron_retry_backoff_seconds()
    returns numeric
    language sql
    stable
return coalesce(public.setting_numeric('cron_retry_backoff_seconds'), 2);

comment on function public.cron_retry_backoff_seconds() is 'Base of the daily job''s retry back-off, in seconds: attempt n waits base × 3^(n-1), at most 60 s (setting cron_retry_backoff_seconds; 2 when unset).';

-- As the other accessors (migration 3200): the server and signed-in clients may read settings.
revoke all on function public.cron_retry_backoff_seconds() from public, anon, authenticated, service_role;
grant execute on function public.cron_retry_backoff_seconds() to authenticated, service_role;

/**
  * -------------------------------------------------------
  * Section - A scheduled call that never reached the job
  * -------------------------------------------------------
 */
create or replace function public.record_cron_unreachable(p_job text, p_error text, p_called_at timestamptz,
                                                          p_now timestamptz default now())
    returns jsonb
    language plpgsql
    security definer
    set search_path = ''
as
$$
declare
    v_run   uuid := gen_random_uuid();
    v_error text := 'function unreachable: ' || coalesce(nullif(btrim(p_error), ''), 'no answer');
begin
    if p_job is null or p_job !~ '^[a-z][a-z0-9-]*$' then
        raise exception 'job must be a job name like featured-expiry-and-promotion, got %', p_job using errcode = '22023';
    end if;
    if p_called_at is null or p_called_at > p_now then
        raise exception 'called_at must be a time no later than now' using errcode = '22023';
    end if;
    -- The function ran after all: its runner's rows say how (and are the truth).
    if exists (select 1 from public.cron_jobs j where j.job_name = p_job and j.started_at >= p_called_at) then
        return jsonb_build_object('recorded', false, 'reason', 'the function recorded its own run');
    end if;
    -- One attempt of one: the caller does not retry a call that never arrived (the next scheduled one does).
    insert into public.cron_jobs (job_name, run_id, attempt, max_attempts, trigger, started_at, finished_at, duration_ms, status, error)
    values (p_job, v_run, 1, 1, 'schedule', p_called_at, p_now,
            greatest(0, round(extract(epoch from (p_now - p_called_at)) * 1000))::integer, 'failure', v_error);
    perform public.open_alert('RED', 'cron_failed', p_job,
        format('%s was not run: %s', p_job, v_error),
        jsonb_build_object('run_id', v_run, 'error', v_error), p_now);
    return jsonb_build_object('recorded', true, 'run_id', v_run, 'error', v_error);
end
$$;

comment on function public.record_cron_unreachable(text, text, timestamptz, timestamptz) is
    'The caller''s record of a scheduled job call that never reached the job (network error or 5xx with no run recorded): a failed cron_jobs row "function unreachable: …" and the RED cron_failed alert. Server only.';

revoke all on function public.record_cron_unreachable(text, text, timestamptz, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.record_cron_unreachable(text, text, timestamptz, timestamptz) to service_role;
