/**
  * Dog Trainers Directory: payment reconciliation reports (spec 2.3)
  *
  * The operator used to sum payment_audit by hand, compare it with the Stripe
  * Dashboard by eye and keep screenshots for the tax office. The server now
  * compares the last 7 days with Stripe (the operator's "Run reconciliation",
  * and a daily scheduled run) and archives every run here: the totals, each
  * discrepancy with its class and fix, and the report as CSV and PDF with
  * their SHA-256 (also written to the audit log). Append-only and kept seven
  * years (the ATO's retention): no update, no delete, for anyone.
 */
create table public.reconciliation_reports
(
    id                 uuid primary key default gen_random_uuid(),
    name               text        not null unique
        constraint reconciliation_reports_name_format check (name ~ '^Payment_Reconciliation_\d{4}-\d{2}-\d{2}(_\d+)?$'),
    window_start       timestamptz not null,
    window_end         timestamptz not null,
    run_at             timestamptz not null default now(),
    trigger            text        not null
        constraint reconciliation_reports_trigger_known check (trigger in ('schedule', 'manual')),
    run_by             uuid,
    our_total_cents    bigint      not null,
    stripe_total_cents bigint      not null,
    our_count          integer     not null,
    stripe_count       integer     not null,
    matched            integer     not null,
    discrepancies      jsonb       not null default '[]'::jsonb
        constraint reconciliation_reports_discrepancies_is_array check (jsonb_typeof(discrepancies) = 'array'),
    csv                text        not null,
    csv_sha256         text        not null
        constraint reconciliation_reports_csv_sha256_hex check (csv_sha256 ~ '^[0-9a-f]{64}$'),
    pdf                bytea       not null,
    pdf_sha256         text        not null
        constraint reconciliation_reports_pdf_sha256_hex check (pdf_sha256 ~ '^[0-9a-f]{64}$'),
    keep_until         date        not null generated always as (((run_at at time zone 'UTC') + interval '7 years')::date) stored,
    constraint reconciliation_reports_window_order check (window_start < window_end)
);

comment on table public.reconciliation_reports is 'Every payment reconciliation run (spec 2.3): totals, discrepancies and the archived report. Append-only, kept 7 years. Written only by the server.';
comment on column public.reconciliation_reports.id is 'Report id.';
comment on column public.reconciliation_reports.name is 'File name of the report, e.g. Payment_Reconciliation_2025-12-25 (Melbourne date; _2, _3 for later runs that day).';
comment on column public.reconciliation_reports.window_start is 'Start of the compared window (7 days before the run).';
comment on column public.reconciliation_reports.window_end is 'End of the compared window (the run time).';
comment on column public.reconciliation_reports.run_at is 'When the run compared the two sides.';
comment on column public.reconciliation_reports.trigger is 'schedule (the daily run) or manual (the operator).';
comment on column public.reconciliation_reports.run_by is 'auth.users.id of the operator who ran it; null for the schedule.';
comment on column public.reconciliation_reports.our_total_cents is 'Sum of our succeeded (not refunded) payments in the window, in cents.';
comment on column public.reconciliation_reports.stripe_total_cents is 'Sum of Stripe''s succeeded, unrefunded charges in the window, in cents.';
comment on column public.reconciliation_reports.our_count is 'How many succeeded payments we recorded in the window.';
comment on column public.reconciliation_reports.stripe_count is 'How many succeeded, unrefunded charges Stripe lists in the window.';
comment on column public.reconciliation_reports.matched is 'Charges found on both sides with the same amount, currency and refund state.';
comment on column public.reconciliation_reports.discrepancies is 'Each discrepancy: class, meaning, the fix offered, ids, and both sides'' amount and status.';
comment on column public.reconciliation_reports.csv is 'The report as CSV.';
comment on column public.reconciliation_reports.csv_sha256 is 'SHA-256 of the CSV (UTF-8), also in the run''s audit entry.';
comment on column public.reconciliation_reports.pdf is 'The report as PDF.';
comment on column public.reconciliation_reports.pdf_sha256 is 'SHA-256 of the PDF, also in the run''s audit entry.';
comment on column public.reconciliation_reports.keep_until is 'Seven years after the run: the retention the tax office asks for.';

create index reconciliation_reports_run_at_idx on public.reconciliation_reports (run_at desc);

/** Nobody rewrites or removes an archived report (the service role included). */
create or replace function public.refuse_report_change()
    returns trigger
    language plpgsql
    set search_path = ''
as
$$
begin
    raise exception 'reconciliation reports are append-only: % refused', tg_op using errcode = '42501';
end
$$;

comment on function public.refuse_report_change() is 'Trigger: refuses UPDATE and DELETE on reconciliation_reports (append-only archive).';
revoke all on function public.refuse_report_change() from public, anon, authenticated, service_role;

create trigger reconciliation_reports_append_only before update or delete on public.reconciliation_reports
    for each row execute function public.refuse_report_change();
create trigger reconciliation_reports_no_truncate before truncate on public.reconciliation_reports
    for each statement execute function public.refuse_report_change();

alter table public.reconciliation_reports enable row level security;
revoke all on table public.reconciliation_reports from public, anon, authenticated, service_role;
grant select, insert on table public.reconciliation_reports to service_role;
