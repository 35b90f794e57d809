/**
  * Dog Trainers Directory: incident playbook runs (spec Part 4, issue 19)
  *
  * An incident report used to be one free-form row the operator typed after
  * the fact. A report is now the record of a playbook run: opened once per
  * incident from its signal (an alert, a complaint, or by name from the
  * command palette; opening the playbook again resumes its open draft), its
  * steps recorded done or skipped as they happen (append-only, with the
  * verdict of the command each step's action sent), its fields corrected as
  * a draft (versioned like every decision) and finally made final: rendered
  * as the spec's text file and as a PDF, both archived here with their
  * SHA-256 (also in the audit entry). A final report is append-only: no
  * update, no delete, for anyone.
 */

/**
  * -------------------------------------------------------
  * Section - Incidents as playbook runs
  * -------------------------------------------------------
 */
alter table public.incidents
    add column playbook           text
        constraint incidents_playbook_known check (playbook in ('zai_down', 'webhook_failed', 'cron_failed', 'queue_dispute', 'refund_rate')),
    add column signal_kind        text
        constraint incidents_signal_kind_known check (signal_kind in ('alert', 'complaint', 'palette')),
    add column signal_id          uuid,
    -- Every report written before playbook runs was written whole: final.
    add column status             text        not null default 'final'
        constraint incidents_status_known check (status in ('draft', 'final')),
    add column version            integer     not null default 1,
    add column detection          text,
    add column cost_impact        text,
    add column finalized_at       timestamptz,
    add column finalized_by       uuid,
    add column report_name        text
        constraint incidents_report_name_format check (report_name ~ '^incident_\d{4}-\d{2}-\d{2}_[a-z0-9-]+$'),
    add column report_text        text,
    add column report_text_sha256 text
        constraint incidents_report_text_sha256_hex check (report_text_sha256 ~ '^[0-9a-f]{64}$'),
    add column report_pdf         bytea,
    add column report_pdf_sha256  text
        constraint incidents_report_pdf_sha256_hex check (report_pdf_sha256 ~ '^[0-9a-f]{64}$'),
    -- A run says where it came from: an alert or complaint by id, the palette by none.
    add constraint incidents_run_has_signal check (
        (playbook is null and signal_kind is null and signal_id is null)
        or (playbook is not null and signal_kind is not null and (signal_kind = 'palette') = (signal_id is null))),
    -- A draft has no files and no finishing; a finished run has both (reports written whole before runs have no files).
    add constraint incidents_final_says_when check (
        (status = 'draft' and finalized_at is null and finalized_by is null and report_name is null)
        or (status = 'final' and (playbook is null or finalized_at is not null))),
    add constraint incidents_files_together check (
        (report_name is null and report_text is null and report_text_sha256 is null and report_pdf is null and report_pdf_sha256 is null)
        or (report_name is not null and report_text is not null and report_text_sha256 is not null and report_pdf is not null
            and report_pdf_sha256 is not null));

-- New rows are drafts unless written whole (incident.write says final).
alter table public.incidents alter column status set default 'draft';

comment on column public.incidents.playbook is 'The spec''s playbook the report is the run of: zai_down | webhook_failed | cron_failed | queue_dispute | refund_rate; null for reports written without one.';
comment on column public.incidents.signal_kind is 'Where the run was opened from: alert | complaint | palette (by name); null for reports without a playbook.';
comment on column public.incidents.signal_id is 'The alerts.id or complaints.id the run was opened from; null for the palette and for reports without a playbook.';
comment on column public.incidents.status is 'draft (the run is open; the operator corrects the report) | final (finished: append-only). Reports written before runs are final.';
comment on column public.incidents.version is 'Bumped by trigger on every update; incident.update and incident.finish carry it as baseVersion.';
comment on column public.incidents.detection is 'How the incident was detected, e.g. "Dashboard alert: Z.AI failing for 34 minutes".';
comment on column public.incidents.cost_impact is 'What it cost or saved, in words, e.g. "-$0.30 (saved 300 Z.AI calls × $0.001)".';
comment on column public.incidents.finalized_at is 'When the operator finished the report (it became final); null for drafts and for reports written before runs.';
comment on column public.incidents.finalized_by is 'auth.users.id of the operator who finished the report.';
comment on column public.incidents.report_name is 'File name of the archived report without extension, e.g. incident_2025-12-25_zai-down (Melbourne date of the start); null until final.';
comment on column public.incidents.report_text is 'The report as the spec''s text file (UTF-8), archived when it became final.';
comment on column public.incidents.report_text_sha256 is 'SHA-256 of report_text (UTF-8), also in the finishing command''s audit entry.';
comment on column public.incidents.report_pdf is 'The report as a one-page PDF, archived when it became final.';
comment on column public.incidents.report_pdf_sha256 is 'SHA-256 of report_pdf, also in the finishing command''s audit entry.';

-- At most one open run per playbook: opening the playbook again resumes it.
create unique index incidents_one_draft_per_playbook on public.incidents (playbook) where status = 'draft';

create trigger incidents_bump_version
    before update on public.incidents
    for each row execute function public.bump_version();

/** A final report is the record: nobody rewrites or removes it (the service role included). */
create or replace function public.refuse_final_incident_change()
    returns trigger
    language plpgsql
    set search_path = ''
as
$$
begin
    if old.status = 'final' then
        raise exception 'incident report % is final and append-only: % refused', old.id, tg_op using errcode = '42501';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end
$$;

comment on function public.refuse_final_incident_change() is 'Trigger: refuses UPDATE and DELETE of a final incident report (drafts stay editable).';
revoke all on function public.refuse_final_incident_change() from public, anon, authenticated, service_role;

create trigger incidents_final_append_only
    before update or delete on public.incidents
    for each row execute function public.refuse_final_incident_change();

/**
  * -------------------------------------------------------
  * Section - Playbook steps
  * -------------------------------------------------------
  * Each step of a run recorded done or skipped, in the order it happened.
  * Nothing is deleted: a step recorded again adds a row and the latest wins.
  * A step done by an action keeps that command's id and its verdict as it
  * was when the step was recorded, so the timeline reads "Switch the AI mode
  * to deterministic: applied".
 */
create table public.incident_steps
(
    id             bigint generated always as identity primary key,
    incident_id    uuid        not null references public.incidents (id),
    step           text        not null
        constraint incident_steps_step_format check (step ~ '^[a-z]+$'),
    outcome        text        not null
        constraint incident_steps_outcome_known check (outcome in ('done', 'skipped')),
    note           text
        constraint incident_steps_note_length check (char_length(note) <= 1000),
    command_id     uuid,
    command_type   text,
    command_label  text,
    command_status text
        constraint incident_steps_command_status_known check (command_status in ('applied', 'rejected')),
    command_reason text,
    operator_id    uuid        not null,
    at             timestamptz not null default now(),
    -- A skipped step says why.
    constraint incident_steps_skip_has_reason check (outcome = 'done' or btrim(coalesce(note, '')) <> ''),
    -- A verdict belongs to a command.
    constraint incident_steps_verdict_has_command check (command_status is null or command_id is not null)
);

comment on table public.incident_steps is 'Each step of a playbook run recorded done or skipped (spec Part 4), with the verdict of the command its action sent. Append-only. Written only by the server on the incident.step command.';
comment on column public.incident_steps.id is 'Record number (the order the records arrived).';
comment on column public.incident_steps.incident_id is 'The run (incidents.id) the step belongs to.';
comment on column public.incident_steps.step is 'The step id of the playbook, e.g. confirm, switch, test (shared/api/playbooks.ts PLAYBOOK).';
comment on column public.incident_steps.outcome is 'done | skipped.';
comment on column public.incident_steps.note is 'What was seen (done) or why it was skipped (required then), at most 1000 characters.';
comment on column public.incident_steps.command_id is 'operator_commands.id of the command the step''s action sent, if any.';
comment on column public.incident_steps.command_type is 'That command''s type, e.g. ai.set_mode, when the server had it when the step was recorded.';
comment on column public.incident_steps.command_label is 'That command''s words, e.g. "Switch the AI mode to deterministic", when the server had it.';
comment on column public.incident_steps.command_status is 'That command''s verdict when the step was recorded: applied | rejected; null when it had not arrived yet.';
comment on column public.incident_steps.command_reason is 'Why that command was rejected, when it was.';
comment on column public.incident_steps.operator_id is 'auth.users.id of the operator who recorded the step.';
comment on column public.incident_steps.at is 'When the server recorded the step.';

create index incident_steps_incident_idx on public.incident_steps (incident_id, id);

/** Nobody rewrites or removes a recorded step (the service role included). */
create or replace function public.refuse_incident_step_change()
    returns trigger
    language plpgsql
    set search_path = ''
as
$$
begin
    raise exception 'playbook steps are append-only (record the step again instead): % refused', tg_op using errcode = '42501';
end
$$;

comment on function public.refuse_incident_step_change() is 'Trigger: refuses UPDATE, DELETE and TRUNCATE on incident_steps (append-only).';
revoke all on function public.refuse_incident_step_change() from public, anon, authenticated, service_role;

create trigger incident_steps_append_only before update or delete on public.incident_steps
    for each row execute function public.refuse_incident_step_change();
create trigger incident_steps_no_truncate before truncate on public.incident_steps
    for each statement execute function public.refuse_incident_step_change();

alter table public.incident_steps enable row level security;
revoke all on table public.incident_steps from public, anon, authenticated, service_role;
grant select on table public.incident_steps to authenticated;
grant select, insert on table public.incident_steps to service_role;

create policy "Operators read playbook steps"
    on public.incident_steps for select
    to authenticated
    using ((select public.is_operator()));
