/**
  * -------------------------------------------------------
  * Dog Trainers Directory: operations
  * -------------------------------------------------------
  * What the system records about itself so the operator can run it in
  * 4 hours a week: cron runs, alerts, incidents, outgoing email, AI triage
  * and provider health, and the operator's own commands. All written by the
  * server only; operators read everything here, nobody else reads anything.
 */

/**
  * -------------------------------------------------------
  * Section - Cron jobs
  * -------------------------------------------------------
  * One row per attempt of a scheduled (or manually started) job run.
 */
create table public.cron_jobs
(
    id           bigint generated always as identity primary key,
    job_name     text        not null
        constraint cron_jobs_job_name_format check (job_name ~ '^[a-z][a-z0-9-]*$'),
    run_id       uuid        not null,
    attempt      integer     not null default 1,
    max_attempts integer     not null default 5
        constraint cron_jobs_max_attempts_1_to_5 check (max_attempts between 1 and 5),
    trigger      text        not null default 'schedule'
        constraint cron_jobs_trigger_known check (trigger in ('schedule', 'manual')),
    triggered_by uuid,
    started_at   timestamptz not null default now(),
    finished_at  timestamptz,
    duration_ms  integer
        constraint cron_jobs_duration_non_negative check (duration_ms >= 0),
    status       text        not null default 'running'
        constraint cron_jobs_status_known check (status in ('running', 'success', 'failure')),
    error        text,
    result       jsonb,
    constraint cron_jobs_attempt_in_range check (attempt between 1 and max_attempts),
    -- Each attempt of a run is recorded once.
    constraint cron_jobs_run_attempt_unique unique (run_id, attempt),
    -- A finished attempt says when; a running one has not finished.
    constraint cron_jobs_finished_has_time check ((status = 'running') = (finished_at is null)),
    constraint cron_jobs_manual_has_operator check (trigger = 'schedule' or triggered_by is not null)
);

comment on table public.cron_jobs is 'Every attempt of every job run (e.g. featured-expiry-and-promotion). A run that fails all max_attempts raises a RED alert. Written only by the server.';
comment on column public.cron_jobs.id is 'Attempt row id.';
comment on column public.cron_jobs.job_name is 'Job name, e.g. featured-expiry-and-promotion.';
comment on column public.cron_jobs.run_id is 'Shared by all attempts of one run.';
comment on column public.cron_jobs.attempt is 'Attempt number within the run, 1..max_attempts.';
comment on column public.cron_jobs.max_attempts is 'Attempts allowed for the run (settings.cron_max_attempts when it started).';
comment on column public.cron_jobs.trigger is 'schedule (the 2 AM scheduler) | manual (operator pressed Run now).';
comment on column public.cron_jobs.triggered_by is 'auth.users.id of the operator for manual runs; null for scheduled ones.';
comment on column public.cron_jobs.started_at is 'When the attempt started.';
comment on column public.cron_jobs.finished_at is 'When the attempt finished; null while running.';
comment on column public.cron_jobs.duration_ms is 'How long the attempt took, in milliseconds.';
comment on column public.cron_jobs.status is 'running | success | failure.';
comment on column public.cron_jobs.error is 'Error message of a failed attempt.';
comment on column public.cron_jobs.result is 'What a successful attempt did, e.g. {"expired": 2, "promoted": 2}.';

-- Last run per job (cron health, staleness alerts) and the history screen.
create index cron_jobs_job_started_idx on public.cron_jobs (job_name, started_at desc);
create index cron_jobs_started_at_idx on public.cron_jobs (started_at);

alter table public.cron_jobs enable row level security;
revoke all on table public.cron_jobs from public, anon, authenticated, service_role;
grant select on table public.cron_jobs to authenticated;
grant all on table public.cron_jobs to service_role;

create policy "Operators read cron runs"
    on public.cron_jobs for select
    to authenticated
    using ((select public.is_operator()));

/**
  * -------------------------------------------------------
  * Section - Alerts
  * -------------------------------------------------------
  * Conditions the health checks found. An alert stays open until the
  * condition clears; at most one open alert per (kind, subject), so a check
  * that runs every 30 seconds updates the open alert instead of adding more.
 */
create table public.alerts
(
    id              uuid primary key default gen_random_uuid(),
    severity        text        not null
        constraint alerts_severity_known check (severity in ('RED', 'YELLOW')),
    kind            text        not null
        constraint alerts_kind_format check (kind ~ '^[a-z][a-z0-9_]*$'),
    subject         text        not null default '',
    message         text        not null,
    details         jsonb       not null default '{}'::jsonb
        constraint alerts_details_is_object check (jsonb_typeof(details) = 'object'),
    opened_at       timestamptz not null default now(),
    resolved_at     timestamptz,
    acknowledged_by uuid,
    acknowledged_at timestamptz,
    updated_at      timestamptz not null default now(),
    constraint alerts_acknowledged_together check ((acknowledged_by is null) = (acknowledged_at is null)),
    constraint alerts_resolved_after_opened check (resolved_at is null or resolved_at >= opened_at)
);

comment on table public.alerts is 'RED/YELLOW conditions found by the health checks (GREEN is the absence of open alerts). Written only by the server.';
comment on column public.alerts.id is 'Alert id.';
comment on column public.alerts.severity is 'RED (act now) | YELLOW (watch).';
comment on column public.alerts.kind is 'What is wrong: zai_down, webhook_failures, orphaned_charge, db_slow, cron_failed, queue_long, refund_rate, cron_stale, refund_abuse, ...';
comment on column public.alerts.subject is 'What it is about, e.g. a charge id, a council id, a job name; '''' when the kind has one subject.';
comment on column public.alerts.message is 'One line for the operator.';
comment on column public.alerts.details is 'Numbers behind the alert (counts, thresholds, ids) as a JSON object.';
comment on column public.alerts.opened_at is 'When the condition was first seen.';
comment on column public.alerts.resolved_at is 'When the condition cleared; null while open.';
comment on column public.alerts.acknowledged_by is 'auth.users.id of the operator who acknowledged it.';
comment on column public.alerts.acknowledged_at is 'When it was acknowledged.';
comment on column public.alerts.updated_at is 'When the row last changed (set by trigger).';

create trigger alerts_touch_updated_at
    before update on public.alerts
    for each row execute function public.touch_updated_at();

create unique index alerts_one_open_per_subject on public.alerts (kind, subject) where resolved_at is null;
create index alerts_open_idx on public.alerts (severity, opened_at) where resolved_at is null;
create index alerts_opened_at_idx on public.alerts (opened_at desc);
create index alerts_updated_at_idx on public.alerts (updated_at);

alter table public.alerts enable row level security;
revoke all on table public.alerts from public, anon, authenticated, service_role;
grant select on table public.alerts to authenticated;
grant all on table public.alerts to service_role;

create policy "Operators read alerts"
    on public.alerts for select
    to authenticated
    using ((select public.is_operator()));

/**
  * -------------------------------------------------------
  * Section - Incidents
  * -------------------------------------------------------
  * Incident reports the operator writes after a playbook (Z.AI down,
  * webhook failed, cron failed, queue dispute, refund rate).
 */
create table public.incidents
(
    id          uuid primary key default gen_random_uuid(),
    title       text        not null
        constraint incidents_title_not_blank check (btrim(title) <> ''),
    severity    text        not null
        constraint incidents_severity_known check (severity in ('RED', 'YELLOW')),
    kind        text        not null default 'other'
        constraint incidents_kind_format check (kind ~ '^[a-z][a-z0-9_]*$'),
    started_at  timestamptz not null,
    resolved_at timestamptz,
    root_cause  text,
    response    text,
    resolution  text,
    user_impact text,
    created_by  uuid,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint incidents_resolved_after_start check (resolved_at is null or resolved_at >= started_at)
);

comment on table public.incidents is 'Incident reports written by the operator. Written only by the server on an operator command.';
comment on column public.incidents.id is 'Incident id.';
comment on column public.incidents.title is 'Short title, e.g. "Z.AI down 30 min".';
comment on column public.incidents.severity is 'RED | YELLOW.';
comment on column public.incidents.kind is 'Playbook or alert kind, e.g. zai_down, webhook_failed, cron_failed, queue_dispute, refund_rate, other.';
comment on column public.incidents.started_at is 'When the incident started.';
comment on column public.incidents.resolved_at is 'When it was resolved; null while ongoing.';
comment on column public.incidents.root_cause is 'What caused it.';
comment on column public.incidents.response is 'What the operator did.';
comment on column public.incidents.resolution is 'How it ended.';
comment on column public.incidents.user_impact is 'What trainers or the public noticed.';
comment on column public.incidents.created_by is 'auth.users.id of the operator who wrote the report.';
comment on column public.incidents.created_at is 'When the report was written.';
comment on column public.incidents.updated_at is 'When the report last changed (set by trigger).';

create trigger incidents_touch_updated_at
    before update on public.incidents
    for each row execute function public.touch_updated_at();

create index incidents_started_at_idx on public.incidents (started_at desc);

alter table public.incidents enable row level security;
revoke all on table public.incidents from public, anon, authenticated, service_role;
grant select on table public.incidents to authenticated;
grant all on table public.incidents to service_role;

create policy "Operators read incidents"
    on public.incidents for select
    to authenticated
    using ((select public.is_operator()));

/**
  * -------------------------------------------------------
  * Section - Email outbox
  * -------------------------------------------------------
  * Emails are written here in the same transaction as the decision that
  * causes them, then sent by a worker: a crash never loses or doubles one.
 */
create table public.email_outbox
(
    id                  uuid primary key default gen_random_uuid(),
    to_email            text        not null
        constraint email_outbox_to_email_format check (to_email ~ '^[^@\s]+@[^@\s]+$'),
    template            text        not null
        constraint email_outbox_template_format check (template ~ '^[a-z][a-z0-9_.-]*$'),
    subject             text        not null,
    body_text           text        not null,
    payload             jsonb       not null default '{}'::jsonb
        constraint email_outbox_payload_is_object check (jsonb_typeof(payload) = 'object'),
    status              text        not null default 'queued'
        constraint email_outbox_status_known check (status in ('queued', 'sent', 'failed')),
    provider_message_id text,
    attempts            integer     not null default 0
        constraint email_outbox_attempts_non_negative check (attempts >= 0),
    last_error          text,
    created_at          timestamptz not null default now(),
    sent_at             timestamptz,
    dedupe_key          text unique,
    constraint email_outbox_sent_has_time check ((status = 'sent') = (sent_at is not null))
);

comment on table public.email_outbox is 'Outgoing emails (refund approved/denied, featured activated, operator messages), queued transactionally and sent by a worker. Written only by the server.';
comment on column public.email_outbox.id is 'Email id.';
comment on column public.email_outbox.to_email is 'Recipient address.';
comment on column public.email_outbox.template is 'Template name, e.g. refund_approved, refund_denied, featured_activated, operator_message.';
comment on column public.email_outbox.subject is 'Rendered subject line.';
comment on column public.email_outbox.body_text is 'Rendered plain-text body.';
comment on column public.email_outbox.payload is 'Values the template was rendered from, as a JSON object.';
comment on column public.email_outbox.status is 'queued | sent | failed (gave up after retries).';
comment on column public.email_outbox.provider_message_id is 'Id the email provider returned on send.';
comment on column public.email_outbox.attempts is 'Send attempts so far.';
comment on column public.email_outbox.last_error is 'Last send error.';
comment on column public.email_outbox.created_at is 'When the email was queued.';
comment on column public.email_outbox.sent_at is 'When the provider accepted it; set exactly when status = sent.';
comment on column public.email_outbox.dedupe_key is 'Optional key (e.g. refund_denied:<request id>) so the same email is queued at most once.';

create index email_outbox_queued_idx on public.email_outbox (created_at) where status = 'queued';
create index email_outbox_created_at_idx on public.email_outbox (created_at desc);

alter table public.email_outbox enable row level security;
revoke all on table public.email_outbox from public, anon, authenticated, service_role;
grant select on table public.email_outbox to authenticated;
grant all on table public.email_outbox to service_role;

create policy "Operators read the email outbox"
    on public.email_outbox for select
    to authenticated
    using ((select public.is_operator()));

/**
  * -------------------------------------------------------
  * Section - Triage logs
  * -------------------------------------------------------
  * One row per emergency triage call: which provider answered, how fast,
  * at what cost, and whether it fell back. Never the text the person typed.
 */
create table public.triage_logs
(
    id          bigint generated always as identity primary key,
    occurred_at timestamptz    not null default now(),
    provider    text           not null
        constraint triage_logs_provider_known check (provider in ('z_ai', 'secondary', 'deterministic')),
    category    text           not null
        constraint triage_logs_category_known check (category in ('medical', 'crisis', 'stray', 'normal')),
    latency_ms  integer        not null
        constraint triage_logs_latency_non_negative check (latency_ms >= 0),
    cost_cents  numeric(12, 4) not null default 0
        constraint triage_logs_cost_non_negative check (cost_cents >= 0),
    fell_back   boolean        not null default false,
    error       text,
    -- Deterministic rules are the fallback; they cannot fall back further.
    constraint triage_logs_fallback_has_error check (not fell_back or (provider <> 'deterministic' and error is not null))
);

comment on table public.triage_logs is 'Emergency triage calls: provider, category, latency, cost and fallbacks (no user text). Written only by the server.';
comment on column public.triage_logs.id is 'Call number.';
comment on column public.triage_logs.occurred_at is 'When the call was made.';
comment on column public.triage_logs.provider is 'Provider asked first (AI_MODE at the time): z_ai | secondary | deterministic.';
comment on column public.triage_logs.category is 'Answer returned: medical | crisis | stray | normal.';
comment on column public.triage_logs.latency_ms is 'Total time to answer, in milliseconds, fallback included.';
comment on column public.triage_logs.cost_cents is 'Provider cost of the call, in (fractional) cents; 0 for deterministic.';
comment on column public.triage_logs.fell_back is 'True when the provider failed or timed out and deterministic rules answered instead.';
comment on column public.triage_logs.error is 'Why the provider failed, when it did.';

create index triage_logs_occurred_at_idx on public.triage_logs (occurred_at);
create index triage_logs_provider_idx on public.triage_logs (provider, occurred_at desc);

alter table public.triage_logs enable row level security;
revoke all on table public.triage_logs from public, anon, authenticated, service_role;
grant select on table public.triage_logs to authenticated;
grant all on table public.triage_logs to service_role;

create policy "Operators read triage logs"
    on public.triage_logs for select
    to authenticated
    using ((select public.is_operator()));

/**
  * -------------------------------------------------------
  * Section - AI provider health
  * -------------------------------------------------------
  * Results of health probes of the AI providers; "Z.AI failing > 30 min"
  * is read from here and from triage_logs.
 */
create table public.ai_provider_health
(
    id         bigint generated always as identity primary key,
    provider   text        not null
        constraint ai_provider_health_provider_known check (provider in ('z_ai', 'secondary', 'deterministic')),
    checked_at timestamptz not null default now(),
    ok         boolean     not null,
    latency_ms integer
        constraint ai_provider_health_latency_non_negative check (latency_ms >= 0),
    error      text,
    constraint ai_provider_health_failure_has_error check (ok or error is not null)
);

comment on table public.ai_provider_health is 'Health probes of AI providers (ok, latency, error). Written only by the server.';
comment on column public.ai_provider_health.id is 'Probe number.';
comment on column public.ai_provider_health.provider is 'z_ai | secondary | deterministic.';
comment on column public.ai_provider_health.checked_at is 'When the probe ran.';
comment on column public.ai_provider_health.ok is 'True when the provider answered correctly in time.';
comment on column public.ai_provider_health.latency_ms is 'Probe round trip, in milliseconds; null when it timed out.';
comment on column public.ai_provider_health.error is 'Why the probe failed; required when ok is false.';

create index ai_provider_health_provider_checked_idx on public.ai_provider_health (provider, checked_at desc);

alter table public.ai_provider_health enable row level security;
revoke all on table public.ai_provider_health from public, anon, authenticated, service_role;
grant select on table public.ai_provider_health to authenticated;
grant all on table public.ai_provider_health to service_role;

create policy "Operators read AI provider health"
    on public.ai_provider_health for select
    to authenticated
    using ((select public.is_operator()));

/**
  * -------------------------------------------------------
  * Section - Operator commands
  * -------------------------------------------------------
  * Every command the operator app pushed, keyed by the id the app gave it,
  * with the verdict stored. A replayed command gets this stored verdict
  * back (`duplicate`) and changes nothing.
 */
create table public.operator_commands
(
    id           uuid primary key,
    operator_id  uuid        not null,
    type         text        not null
        constraint operator_commands_type_format check (type ~ '^[a-z][a-z0-9_.]*$'),
    payload      jsonb       not null default '{}'::jsonb,
    base_version integer,
    decided_at   timestamptz not null,
    received_at  timestamptz not null default now(),
    status       text        not null
        constraint operator_commands_status_known check (status in ('applied', 'rejected')),
    result       jsonb       not null
);

comment on table public.operator_commands is 'Commands pushed by the operator app and the verdict given to each, for exactly-once application. Written only by the server.';
comment on column public.operator_commands.id is 'Command id generated by the app (uuid); the idempotency key.';
comment on column public.operator_commands.operator_id is 'auth.users.id of the operator who issued it.';
comment on column public.operator_commands.type is 'Command type, e.g. review.approve, review.reject, refund.approve, refund.deny, flag.set.';
comment on column public.operator_commands.payload is 'Command arguments as sent.';
comment on column public.operator_commands.base_version is 'Version of the item the operator saw when deciding; null for commands on unversioned things.';
comment on column public.operator_commands.decided_at is 'When the operator decided, on the app''s clock (informational; never used for policy).';
comment on column public.operator_commands.received_at is 'When the server received it.';
comment on column public.operator_commands.status is 'applied | rejected: the verdict.';
comment on column public.operator_commands.result is 'The verdict returned to the app (reason, stale details, ids created), replayed on duplicates.';

create index operator_commands_operator_received_idx on public.operator_commands (operator_id, received_at desc);
create index operator_commands_received_at_idx on public.operator_commands (received_at);

alter table public.operator_commands enable row level security;
revoke all on table public.operator_commands from public, anon, authenticated, service_role;
grant select on table public.operator_commands to authenticated;
grant all on table public.operator_commands to service_role;

create policy "Operators read operator commands"
    on public.operator_commands for select
    to authenticated
    using ((select public.is_operator()));
