// What an escalation carries (spec Part 7: "attach evidence", "provide data:
// queries, exports"): the evidence read from the source the operator
// escalates from, as text. A complaint brings its business's dossier (the
// facts, Stripe's view of each charge, the findings); a playbook run its
// findings read now, its steps, timeline and report; an alert its row; a
// reconciliation report its totals, discrepancies and the CSV itself.
import type { TransactionSql } from 'postgres';
import type { EscalationSource } from '../../../../../shared/api/escalations.ts';
import type { Dossier } from '../../../../../shared/api/investigation.ts';
import { PLAYBOOK } from '../../../../../shared/api/playbooks.ts';
import { formatAud } from '../../../../../shared/money.ts';
import type { Sql } from '../db.ts';
import { melbourneTime } from '../incidents/report.ts';
import { readRun } from '../incidents/run.ts';
import { readDossier } from '../investigate/dossier.ts';
import type { RouteDeps } from '../operator/routes.ts';
import { readFacts } from '../playbooks/routes.ts';

type Db = Sql | TransactionSql;
export interface SourceBusiness {
  found: boolean;
  businessId: string | null;
  businessName: string | null;
}

const t = (at: string | Date | null | undefined) => (at ? melbourneTime(at) : '-');

/** The business the source is about (the freeze's subject), read by the server: never taken from the console. */
export async function sourceBusiness(db: Db, s: EscalationSource): Promise<SourceBusiness> {
  const [row] = await (s.kind === 'complaint'
    ? db<{ id: string | null }[]>`select c.business_id as id from public.complaints c where c.id = ${s.id}`
    : s.kind === 'business'
      ? db<{ id: string | null }[]>`select b.id from public.businesses b where b.id = ${s.id}`
      : s.kind === 'playbook'
        ? db<{ id: string | null }[]>`
          select coalesce(c.business_id, case when a.details ->> 'business_id' ~ '^[0-9a-f-]{36}$' then (a.details ->> 'business_id')::uuid end) as id
          from public.incidents i
          left join public.complaints c on i.signal_kind = 'complaint' and c.id = i.signal_id
          left join public.alerts a on i.signal_kind = 'alert' and a.id = i.signal_id
          where i.id = ${s.id} and i.playbook is not null`
        : s.kind === 'alert'
          ? db<{ id: string | null }[]>`
            select case when a.details ->> 'business_id' ~ '^[0-9a-f-]{36}$' then (a.details ->> 'business_id')::uuid end as id
            from public.alerts a where a.id = ${s.id}`
          : db<{ id: string | null }[]>`select null::uuid as id from public.reconciliation_reports r where r.id = ${s.id}`);
  if (!row) return { found: false, businessId: null, businessName: null };
  if (!row.id) return { found: true, businessId: null, businessName: null };
  const [b] = await db<{ name: string }[]>`select name from public.businesses where id = ${row.id}`;
  return { found: true, businessId: b ? row.id : null, businessName: b?.name ?? null };
}

function dossierText(d: Dossier, complaint: { kind: string; message: string; created_at: Date } | null): string {
  const b = d.business;
  const out = [
    ...(complaint ? [`COMPLAINT (${complaint.kind}, filed ${t(complaint.created_at)})`, complaint.message, ''] : []),
    `BUSINESS: ${b.name} (${b.id}), ${b.councilName}; status ${b.status}${b.deleted ? ', deleted' : ''}`,
    `Owner: ${b.ownerName ?? '-'} <${b.ownerEmail ?? 'no email'}>; account ${b.accountStatus ?? '-'}${b.flaggedReason ? ` (${b.flaggedReason})` : ''}`,
    `Featured: ${d.featured ? `${t(d.featured.from)} to ${t(d.featured.until)} (payment ${d.featured.paymentId})` : 'no active placement'}`,
    `Queue: ${
      !d.queue
        ? 'not waiting'
        : d.queue.position === 0
          ? `a slot is free for the purchase paid ${t(d.queue.paidAt)} (not yet activated)`
          : `position ${d.queue.position} of ${d.queue.waitingInCouncil} waiting (paid ${t(d.queue.paidAt)}, ETA ${t(d.queue.eta)})`
    }`,
    '',
    'PAYMENTS (ours, and what Stripe says now)',
    ...(d.payments.length === 0 ? ['none'] : []),
    ...d.payments.map(
      (p) =>
        `- ${p.id}: ${formatAud(p.amountCents)} ${p.status}, paid ${t(p.paidAt)}, ${p.standing}; charge ${p.chargeId ?? '-'}; ` +
        `Stripe: ${p.stripe ? `${p.stripe.status} ${formatAud(p.stripe.amountCents)}${p.stripe.refunded ? ' refunded' : ''}` : (p.stripeError ?? 'not asked')}`,
    ),
    ...d.unrecorded.map((u) => `- charge ${u.chargeId} in Stripe, not recorded here: ${formatAud(u.amountCents)} ${u.status}, ${t(u.createdAt)}`),
    '',
    'REFUND REQUESTS',
    ...(d.refunds.length === 0 ? ['none'] : []),
    ...d.refunds.map(
      (r) =>
        `- ${r.id}: ${r.status}, requested ${t(r.requestedAt)}${r.reason ? ` ("${r.reason}")` : ''}${r.decidedAt ? `, decided ${t(r.decidedAt)} by ${r.decidedByName ?? '-'}` : ''}`,
    ),
    '',
    `SEARCH: ${d.search.visible ? 'shown' : `hidden (${d.search.reason ?? 'no reason recorded'})`}`,
    '',
    'FINDINGS',
    ...(d.findings.length === 0 ? ['none'] : d.findings.map((f) => `- ${f.severity === 'problem' ? 'PROBLEM' : 'info'}: ${f.text}`)),
  ];
  return out.join('\n');
}

/** The evidence of a source as the operator escalates it, with the business it is about; null when the source does not exist. */
export async function readEvidence(deps: RouteDeps, s: EscalationSource): Promise<(SourceBusiness & { subject: string; evidence: string }) | null> {
  const now = deps.now();
  const business = await sourceBusiness(deps.sql, s);
  if (!business.found) return null;
  const read = `(read ${t(now)})`;
  if (s.kind === 'complaint') {
    const [c] = await deps.sql<{ kind: string; message: string; created_at: Date; business_id: string }[]>`
      select kind, message, created_at, business_id from public.complaints where id = ${s.id}`;
    const d = await readDossier(deps.sql, deps.stripe, c!.business_id, now);
    const evidence = d ? `DOSSIER ${read}\n${dossierText(d, c!)}` : `COMPLAINT\n${c!.message}\n(the business's dossier could not be read)`;
    return { ...business, subject: `Complaint about ${business.businessName ?? 'a business'} (${c!.kind})`, evidence };
  }
  if (s.kind === 'business') {
    const d = await readDossier(deps.sql, deps.stripe, s.id, now);
    return {
      ...business,
      subject: `About ${business.businessName}`,
      evidence: d ? `DOSSIER ${read}\n${dossierText(d, null)}` : '(the dossier could not be read)',
    };
  }
  if (s.kind === 'playbook') {
    const run = await readRun(deps.sql, s.id, now);
    if (!run) return null;
    const def = PLAYBOOK[run.playbook];
    const report = run.report;
    const evidence = [
      `PLAYBOOK RUN: ${def.section} ${def.title} (${def.severity}), opened ${t(run.openedAt)}, ${run.status}`,
      '',
      `FINDINGS ${read}`,
      JSON.stringify(await readFacts(deps, run, now), null, 2),
      '',
      'STEPS',
      ...run.steps.map((st) => `- ${st.id}: ${st.status}${st.at ? ` at ${t(st.at)}` : ''}${st.reason ? ` (${st.reason})` : ''}`),
      '',
      'TIMELINE',
      ...run.timeline.map((e) => `- ${t(e.at)}: ${e.text}`),
      '',
      `REPORT (${run.status === 'final' ? 'final' : 'draft'})`,
      `Title: ${report.title}`,
      ...(['rootCause', 'detection', 'response', 'resolution', 'userImpact', 'costImpact'] as const).map(
        (k) => `${k}: ${report[k] ?? run.suggested[k] ?? '-'}`,
      ),
    ].join('\n');
    // The run's title usually names its playbook already ("High refund rate, 4 Dec"): not twice.
    const subject = report.title.startsWith(def.title) ? report.title : `${def.title}: ${report.title}`;
    return { ...business, subject, evidence };
  }
  if (s.kind === 'alert') {
    const [a] = await deps.sql<
      { severity: string; kind: string; subject: string; message: string; details: unknown; opened_at: Date; resolved_at: Date | null }[]
    >`
      select severity, kind, subject, message, details, opened_at, resolved_at from public.alerts where id = ${s.id}`;
    const evidence = [
      `ALERT ${read}: ${a!.severity} ${a!.kind} (${a!.subject})`,
      a!.message,
      `Opened ${t(a!.opened_at)}; ${a!.resolved_at ? `resolved ${t(a!.resolved_at)}` : 'still open'}`,
      '',
      'DETAILS',
      JSON.stringify(a!.details, null, 2),
    ].join('\n');
    return { ...business, subject: `${a!.severity} alert: ${a!.message}`.slice(0, 200), evidence };
  }
  const [r] = await deps.sql<
    {
      name: string;
      window_start: Date;
      window_end: Date;
      our_total_cents: string;
      stripe_total_cents: string;
      our_count: number;
      stripe_count: number;
      matched: number;
      discrepancies: unknown[];
      csv: string;
      csv_sha256: string;
    }[]
  >`select name, window_start, window_end, our_total_cents, stripe_total_cents, our_count, stripe_count, matched, discrepancies, csv, csv_sha256
    from public.reconciliation_reports where id = ${s.id}`;
  const evidence = [
    `RECONCILIATION REPORT ${r!.name}: ${t(r!.window_start)} to ${t(r!.window_end)}`,
    `Ours: ${r!.our_count} charges, ${formatAud(Number(r!.our_total_cents))}; Stripe: ${r!.stripe_count} charges, ${formatAud(Number(r!.stripe_total_cents))}; matched ${r!.matched}`,
    `Discrepancies: ${r!.discrepancies.length}`,
    '',
    `THE REPORT'S CSV (SHA-256 ${r!.csv_sha256})`,
    r!.csv.trimEnd(),
  ].join('\n');
  return { ...business, subject: `Reconciliation ${r!.name}: ${r!.discrepancies.length} discrepancies`, evidence };
}
