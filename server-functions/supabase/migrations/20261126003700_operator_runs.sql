/**
  * Dog Trainers Directory: the operator's week as runs (spec Parts 1–2, issue 21)
  *
  * The spec's week is a Monday check (5 minutes: each RED alert acted on now
  * or deferred to Thursday) and a Thursday batch of five sessions in order
  * (reviews, refunds, reconciliation, cron, complaints), each with its time
  * budget, ending with log lines in the spec's words ("Approved 50 reviews,
  * rejected 1", "Approved 2 refunds, denied 1", "Reconciliation completed,
  * amounts match"). A run is that on record: started by the console (its id
  * chosen there, so an offline start is one run), its events appended as
  * they happen (a session done, skipped with its reason, or completing itself
  * with nothing to do, with the time spent; a RED alert acted on or deferred),
  * and, for a Thursday run, finished by the server: the weekly log written
  * from what Postgres says the operator applied in the run's window (never
  * the console's own counts), kept with its SHA-256 (also in the audit
  * entry). A finished run and its events are append-only. What a run
  * skipped or deferred is read by the next one from these rows.
 */
create table public.operator_runs
(
    id          uuid primary key,
    kind        text        not null
        constraint operator_runs_kind_known check (kind in ('monday', 'thursday')),
    operator_id uuid        not null references public.profiles (id),
    started_at  timestamptz not null,
    status      text        not null default 'open'
        constraint operator_runs_status_known check (status in ('open', 'finished')),
    finished_at timestamptz,
    counts      jsonb,
    log         text,
    log_sha256  text
        constraint operator_runs_log_sha256_hex check (log_sha256 ~ '^[0-9a-f]{64}$'),
    version     integer     not null default 1,
    updated_at  timestamptz not null default now(),
    changed_xid xid8        not null default pg_current_xact_id(),
    constraint operator_runs_finished_says_what check (
        (status = 'open' and finished_at is null and log is null and log_sha256 is null and counts is null)
        or (status = 'finished' and finished_at is not null
            and (kind = 'monday' or (log is not null and log_sha256 is not null and counts is not null))))
);

comment on table public.operator_runs is 'The operator''s Monday checks and Thursday batches (spec Parts 1–2): started by the console, finished with the weekly log the server writes from Postgres. Written only by the server''s week commands.';
comment on column public.operator_runs.id is 'Run id (chosen by the console, so a start sent twice is one run).';
comment on column public.operator_runs.kind is 'monday (the 5-minute RED alert check) | thursday (the five-session batch).';
comment on column public.operator_runs.operator_id is 'profiles.id of the operator whose run it is.';
comment on column public.operator_runs.started_at is 'When the operator started it (the command''s decided-at: an offline start keeps its time).';
comment on column public.operator_runs.status is 'open | finished. A finished run never changes.';
comment on column public.operator_runs.finished_at is 'Server time it was finished; null while open.';
comment on column public.operator_runs.counts is 'What Postgres says the operator applied in the run''s window (reviews, refunds, reconciliation, cron, complaints, escalations), as the log states it; null while open.';
comment on column public.operator_runs.log is 'The weekly log in the spec''s words, written by the server at finish; null while open.';
comment on column public.operator_runs.log_sha256 is 'SHA-256 of the log''s UTF-8 bytes (also in the audit entry).';
comment on column public.operator_runs.version is 'Bumped by trigger on every update.';
comment on column public.operator_runs.updated_at is 'When the row last changed (set by trigger; an event appended touches it, so the pull brings the run again).';
comment on column public.operator_runs.changed_xid is 'Id of the transaction that last wrote the row (operator app pull cursor).';

create trigger operator_runs_bump_version
    before update on public.operator_runs
    for each row execute function public.bump_version();
create trigger operator_runs_stamp_changed_xid
    before update on public.operator_runs
    for each row execute function public.stamp_changed_xid();

create table public.operator_run_events
(
    id            bigint generated always as identity primary key,
    run_id        uuid        not null references public.operator_runs (id),
    at            timestamptz not null,
    kind          text        not null
        constraint operator_run_events_kind_known check (kind in ('session', 'alert')),
    -- A session's name, or the alert's id.
    subject       text        not null
        constraint operator_run_events_subject_format check (subject ~ '^[a-z0-9-]{3,40}$'),
    outcome       text        not null,
    note          text
        constraint operator_run_events_note_length check (char_length(note) <= 1000),
    spent_seconds integer
        constraint operator_run_events_spent_sane check (spent_seconds between 0 and 86400),
    command_id    uuid        not null unique,
    constraint operator_run_events_outcome_fits check (
        (kind = 'session' and outcome in ('done', 'skipped', 'auto'))
        or (kind = 'alert' and outcome in ('act_now', 'deferred'))),
    constraint operator_run_events_skip_says_why check (outcome <> 'skipped' or char_length(btrim(note)) >= 3)
);

comment on table public.operator_run_events is 'What happened in a run, appended as it happened: a session done, skipped (with its reason) or completed by itself, with the time spent; a RED alert acted on now or deferred to Thursday. Append-only.';
comment on column public.operator_run_events.id is 'Event id, in the order events were appended.';
comment on column public.operator_run_events.run_id is 'The run (operator_runs.id).';
comment on column public.operator_run_events.at is 'When the operator did it (the command''s decided-at).';
comment on column public.operator_run_events.kind is 'session | alert.';
comment on column public.operator_run_events.subject is 'The session (reviews, refunds, reconciliation, cron, complaints) or the alert''s id.';
comment on column public.operator_run_events.outcome is 'session: done | skipped | auto (nothing to do); alert: act_now | deferred.';
comment on column public.operator_run_events.note is 'Why it was skipped or deferred, or what was seen.';
comment on column public.operator_run_events.spent_seconds is 'Time the session was open in the console, in seconds (sessions only).';
comment on column public.operator_run_events.command_id is 'The command that appended it (one event per command).';

create index operator_runs_changed_xid_idx on public.operator_runs (changed_xid);
create index operator_runs_started_idx on public.operator_runs (kind, started_at);
create index operator_run_events_run_idx on public.operator_run_events (run_id, at);

/** A finished run and every event are kept as written. */
create or replace function public.refuse_run_rewrite()
    returns trigger
    language plpgsql
    set search_path = ''
as
$$
begin
    if tg_table_name = 'operator_run_events' then
        raise exception 'run events are append-only' using errcode = '42501';
    end if;
    if tg_op = 'DELETE' or old.status = 'finished' then
        raise exception 'run % is finished: it is kept as written', old.id using errcode = '42501';
    end if;
    return new;
end
$$;

comment on function public.refuse_run_rewrite() is 'Trigger: a finished run and every run event are append-only; no update, no delete.';
revoke all on function public.refuse_run_rewrite() from public, anon, authenticated, service_role;

create trigger operator_runs_kept
    before update or delete on public.operator_runs
    for each row execute function public.refuse_run_rewrite();
create trigger operator_run_events_kept
    before update or delete on public.operator_run_events
    for each row execute function public.refuse_run_rewrite();

alter table public.operator_runs enable row level security;
alter table public.operator_run_events enable row level security;
revoke all on table public.operator_runs from public, anon, authenticated, service_role;
revoke all on table public.operator_run_events from public, anon, authenticated, service_role;
grant select on table public.operator_runs to authenticated;
grant select on table public.operator_run_events to authenticated;
grant select, insert, update on table public.operator_runs to service_role;
grant select, insert on table public.operator_run_events to service_role;

create policy "Operators read every run"
    on public.operator_runs for select
    to authenticated
    using ((select public.is_operator()));
create policy "Operators read every run event"
    on public.operator_run_events for select
    to authenticated
    using ((select public.is_operator()));
