// What the operator applied in a Thursday run's window, read from Postgres
// (spec Part 2's log lines come from these, never from the console): reviews
// moderated and refunds decided by the operator, the last reconciliation
// (and how many discrepancies runs earlier in the window had found), the
// daily job's last run, complaints closed with their log lines, escalations
// sent and incident reports finished.
import type { TransactionSql } from 'postgres';
import type { RunCounts } from '../../../../../shared/api/week.ts';
import { DAILY_JOB } from '../../../../../shared/jobs/schedule.ts';

export async function readRunCounts(tx: TransactionSql, operatorId: string, since: Date): Promise<RunCounts> {
  const [r] = await tx<{ approved: number; rejected: number }[]>`
    select count(*) filter (where status = 'approved')::int as approved, count(*) filter (where status = 'rejected')::int as rejected
    from public.reviews where moderated_by = ${operatorId} and moderated_at >= ${since}`;
  const [f] = await tx<{ approved: number; denied: number }[]>`
    select count(*) filter (where status = 'approved')::int as approved, count(*) filter (where status = 'denied')::int as denied
    from public.refund_requests where decided_by = ${operatorId} and decided_at >= ${since}`;
  const reports = await tx<{ name: string; run_at: Date; discrepancies: number }[]>`
    select name, run_at, jsonb_array_length(discrepancies)::int as discrepancies
    from public.reconciliation_reports where run_at >= ${since} order by run_at`;
  const last = reports.at(-1);
  const [cron] = await tx<{ started_at: Date; status: string; attempt: number; max_attempts: number }[]>`
    select started_at, status, attempt, max_attempts from public.cron_jobs
    where job_name = ${DAILY_JOB} and status <> 'running' order by started_at desc limit 1`;
  const complaints = await tx<{ business: string; kind: string; resolution: string }[]>`
    select b.name as business, c.kind, c.resolution from public.complaints c join public.businesses b on b.id = c.business_id
    where c.closed_by = ${operatorId} and c.closed_at >= ${since} order by c.closed_at`;
  const escalations = await tx<{ team: string; subject: string }[]>`
    select team, subject from public.escalations where opened_by = ${operatorId} and opened_at >= ${since} order by opened_at`;
  const incidents = await tx<{ title: string }[]>`
    select title from public.incidents where finalized_by = ${operatorId} and finalized_at >= ${since} order by finalized_at`;
  return {
    reviewsApproved: r!.approved,
    reviewsRejected: r!.rejected,
    refundsApproved: f!.approved,
    refundsDenied: f!.denied,
    reconciliation: last
      ? {
          name: last.name,
          runAt: last.run_at.toISOString(),
          discrepancies: last.discrepancies,
          // What the runs before the last one found: fixed when the last one matches.
          found: Math.max(0, ...reports.slice(0, -1).map((x) => x.discrepancies)),
        }
      : null,
    cron: cron ? { startedAt: cron.started_at.toISOString(), status: cron.status, attempt: cron.attempt, maxAttempts: cron.max_attempts } : null,
    complaintsClosed: complaints,
    escalations,
    incidents,
  };
}
