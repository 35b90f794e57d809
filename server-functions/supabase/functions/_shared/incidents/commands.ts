// Incident reports as playbook runs (spec Part 4): opened once per incident
// from its signal (opening the playbook again resumes its draft), each step
// recorded done or skipped (append-only, with the verdict of the command its
// action sent), the draft corrected at the version the operator saw, and
// finished: made final, rendered as the spec's text file and a PDF, archived
// with their SHA-256 (in the audit entry too). A final report is append-only
// (the database refuses its change too). incident.write keeps writing whole,
// final reports without a playbook, and never overwrites one.
import type { TransactionSql } from 'postgres';
import type { Command } from '../../../../../shared/api/operator.ts';
import { PLAYBOOK, type PlaybookKind, type PlaybookSignal, type ReportFields, stepIds } from '../../../../../shared/api/playbooks.ts';
import { finishIncident, openPlaybook, recordStep, updateIncident, writeIncident } from '../../../../../shared/commands/incidents.ts';
import type { Applied, CommandContext, Handler, Handlers } from '../operator/command.ts';
import { Refusal, when } from '../operator/versioned.ts';
import { reportName, reportPdf, reportText, sha256 } from './report.ts';
import { byTime, commandLabel, readRun } from './run.ts';

const clipTitle = (s: string) => (s.length > 200 ? `${s.slice(0, 199)}…` : s);

/** "Z.AI down, 3 Dec 2026, 2:32 pm": short, as the reports list and the file show it (the alert's own words go to Detection). */
const titleAt = (title: string, at: Date) =>
  `${title}, ${at.toLocaleString('en-AU', { timeZone: 'Australia/Melbourne', day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit' })}`;

/**
 * What a new run takes from its signal: its title, severity and when it started. The severity is the alert's
 * (a queue out of payment order is RED, though a queue question is YELLOW). Refuses a signal that is absent or opens another playbook.
 */
async function fromSignal(
  tx: TransactionSql,
  playbook: PlaybookKind,
  signal: PlaybookSignal,
  now: Date,
): Promise<{ title: string; severity: 'RED' | 'YELLOW'; startedAt: Date }> {
  const def = PLAYBOOK[playbook];
  if (signal.kind === 'alert') {
    const [a] = await tx<{ kind: string; severity: 'RED' | 'YELLOW'; opened_at: Date }[]>`
      select kind, severity, opened_at from public.alerts where id = ${signal.id}`;
    if (!a) throw new Refusal({ kind: 'not_found', reason: `alert ${signal.id} does not exist` });
    if (!def.alerts.includes(a.kind)) {
      throw new Refusal({
        kind: 'refused',
        reason: `alert ${signal.id} is a ${a.kind} alert; the "${def.title}" playbook opens from ${def.alerts.join(' or ')} alerts`,
      });
    }
    return { title: titleAt(def.title, a.opened_at), severity: a.severity, startedAt: a.opened_at };
  }
  if (signal.kind === 'complaint') {
    const [c] = await tx<{ kind: string; created_at: Date; business: string }[]>`
      select c.kind, c.created_at, b.name as business from public.complaints c join public.businesses b on b.id = c.business_id where c.id = ${signal.id}`;
    if (!c) throw new Refusal({ kind: 'not_found', reason: `complaint ${signal.id} does not exist` });
    if (c.kind !== def.complaint) {
      const from = def.complaint ? `${def.complaint} complaints` : 'no complaint (only its alert or by name)';
      throw new Refusal({ kind: 'refused', reason: `complaint ${signal.id} is a ${c.kind} complaint; the "${def.title}" playbook opens from ${from}` });
    }
    return { title: clipTitle(`${def.title}: complaint from ${c.business}`), severity: def.severity, startedAt: c.created_at };
  }
  return { title: titleAt(def.title, now), severity: def.severity, startedAt: now };
}

const open: Handler<typeof openPlaybook.type> = async (ctx, c) => {
  const { incidentId, playbook, signal } = c.payload;
  // Two consoles opening the same playbook at once meet here: the second resumes the first's run.
  await ctx.tx`select pg_advisory_xact_lock(hashtextextended(${`incident-run:${playbook}`}, 0))`;
  const [draft] = await ctx.tx<{ id: string }[]>`select id from public.incidents where playbook = ${playbook} and status = 'draft'`;
  if (draft) {
    return { subjectType: 'incident', subjectId: draft.id, before: null, after: { playbook, resumed: true }, details: { incidentId: draft.id, resumed: true } };
  }
  const [taken] = await ctx.tx<{ status: string }[]>`select status from public.incidents where id = ${incidentId}`;
  if (taken) throw new Refusal({ kind: 'refused', reason: `incident ${incidentId} already exists (${taken.status}); open the playbook with a new id` });
  const { title, severity, startedAt } = await fromSignal(ctx.tx, playbook, signal, ctx.now);
  await ctx.tx`
    insert into public.incidents (id, title, severity, kind, started_at, playbook, signal_kind, signal_id, status, created_by, created_at)
    values (${incidentId}, ${title}, ${severity}, ${playbook}, ${startedAt}, ${playbook}, ${signal.kind}, ${signal.id},
            'draft', ${ctx.operatorId}, ${ctx.now})`;
  return {
    subjectType: 'incident',
    subjectId: incidentId,
    before: null,
    after: { playbook, signal, title, status: 'draft', resumed: false },
    details: { incidentId, resumed: false },
  };
};

interface RunLock {
  id: string;
  playbook: PlaybookKind | null;
  status: 'draft' | 'final';
  version: number;
  finalized_at: Date | null;
  finalized_by_name: string | null;
}

/** The run locked for a change: it must exist, be a playbook run and (for a versioned change) be at the version the operator saw, and still a draft. */
async function lockDraft(tx: TransactionSql, id: string, baseVersion: number | null | 'unversioned'): Promise<RunLock & { playbook: PlaybookKind }> {
  const [row] = await tx<RunLock[]>`
    select i.id, i.playbook, i.status, i.version, i.finalized_at, coalesce(p.display_name, p.email) as finalized_by_name
    from public.incidents i left join public.profiles p on p.id = i.finalized_by
    where i.id = ${id} for update of i`;
  if (!row) throw new Refusal({ kind: 'not_found', reason: `incident ${id} does not exist` });
  if (!row.playbook) throw new Refusal({ kind: 'refused', reason: `incident ${id} was written without a playbook; it has no run to change` });
  if (baseVersion !== 'unversioned' && baseVersion !== row.version) {
    throw new Refusal({
      kind: 'stale',
      reason:
        row.status === 'final'
          ? `incident report ${id} was already finished by ${row.finalized_by_name ?? 'another operator'} at ${when(row.finalized_at)} (you saw version ${baseVersion}, it is now ${row.version})`
          : `incident report ${id} changed since you saw it (you saw version ${baseVersion}, it is now ${row.version}); look again and save`,
      current: { status: row.status, version: row.version },
      decidedBy: { id: null, name: row.finalized_by_name, at: row.finalized_at ? row.finalized_at.toISOString() : null },
    });
  }
  if (row.status === 'final') throw new Refusal({ kind: 'refused', reason: `incident report ${id} is final and append-only; it can no longer change` });
  return row as RunLock & { playbook: PlaybookKind };
}

const step: Handler<typeof recordStep.type> = async (ctx, c) => {
  const { incidentId, step: stepId, outcome, note, commandId } = c.payload;
  const run = await lockDraft(ctx.tx, incidentId, 'unversioned');
  const valid = stepIds(run.playbook);
  if (!valid.includes(stepId)) {
    throw new Refusal({
      kind: 'invalid',
      reason: `step "${stepId}" is not a step of the "${PLAYBOOK[run.playbook].title}" playbook; its steps are ${valid.join(', ')}`,
    });
  }
  const [cmd] = commandId
    ? await ctx.tx<{ type: string; payload: unknown; status: 'applied' | 'rejected'; reason: string | null }[]>`
        select type, payload, status, result ->> 'reason' as reason from public.operator_commands where id = ${commandId}`
    : [];
  const label = cmd ? commandLabel(cmd.type, cmd.payload) : null;
  const text = note?.trim() || null;
  await ctx.tx`
    insert into public.incident_steps (incident_id, step, outcome, note, command_id, command_type, command_label, command_status, command_reason, operator_id, at)
    values (${incidentId}, ${stepId}, ${outcome}, ${text}, ${commandId ?? null}, ${cmd?.type ?? null}, ${label}, ${cmd?.status ?? null},
            ${cmd?.status === 'rejected' ? cmd.reason : null}, ${ctx.operatorId}, ${ctx.now})`;
  return {
    subjectType: 'incident',
    subjectId: incidentId,
    before: null,
    after: { step: stepId, outcome, note: text, commandId: commandId ?? null, action: label, verdict: cmd?.status ?? null },
  };
};

/** A report's start must come before its end: said here with the field, not as a database error. */
function checkFields(f: ReportFields) {
  if (f.resolvedAt && Date.parse(f.resolvedAt) < Date.parse(f.startedAt)) {
    throw new Refusal({ kind: 'invalid', reason: 'fields.resolvedAt must not be before fields.startedAt' });
  }
}

/** The report's fields written in one update (one version bump), with whatever else the change sets. */
async function writeFields(tx: TransactionSql, id: string, f: ReportFields, also = tx``) {
  await tx`
    update public.incidents set title = ${f.title}, started_at = ${f.startedAt}, resolved_at = ${f.resolvedAt}, root_cause = ${f.rootCause},
      detection = ${f.detection}, response = ${f.response}, resolution = ${f.resolution}, user_impact = ${f.userImpact}, cost_impact = ${f.costImpact}
      ${also}
    where id = ${id}`;
}

const update: Handler<typeof updateIncident.type> = async (ctx, c) => {
  const { incidentId, fields } = c.payload;
  const run = await lockDraft(ctx.tx, incidentId, c.baseVersion);
  checkFields(fields);
  await writeFields(ctx.tx, incidentId, fields);
  return {
    subjectType: 'incident',
    subjectId: incidentId,
    before: { status: run.status, version: run.version },
    after: { status: 'draft', version: run.version + 1, title: fields.title },
    details: { incidentId, version: run.version + 1 },
  };
};

async function finish(ctx: CommandContext, c: Command<typeof finishIncident.type>): Promise<Applied> {
  const { incidentId, fields } = c.payload;
  const run = await lockDraft(ctx.tx, incidentId, c.baseVersion);
  checkFields(fields);
  const [me] = await ctx.tx<{ name: string | null }[]>`select coalesce(display_name, email) as name from public.profiles where id = ${ctx.operatorId}`;
  const finishedBy = me?.name ?? 'the operator';
  // Finishing is the last step's action: recorded done with this command, which is being applied now.
  if (stepIds(run.playbook).includes('report')) {
    await ctx.tx`
      insert into public.incident_steps (incident_id, step, outcome, command_id, command_type, command_label, command_status, operator_id, at)
      values (${incidentId}, 'report', 'done', ${c.id}, ${c.type}, ${commandLabel(c.type, c.payload)}, 'applied', ${ctx.operatorId}, ${ctx.now})`;
  }
  const before = await readRun(ctx.tx, incidentId, ctx.now);
  const finishedAt = ctx.now.toISOString();
  const timeline = byTime([...before!.timeline, { at: finishedAt, kind: 'final', step: null, text: `Report finished by ${finishedBy}` }]);
  const input = { incidentId, playbook: run.playbook, fields, timeline, finishedAt, finishedBy };
  const name = reportName(run.playbook, fields.startedAt);
  const text = reportText(input);
  const pdf = await reportPdf(input, name);
  const [textSha256, pdfSha256] = await Promise.all([sha256(new TextEncoder().encode(text)), sha256(pdf)]);
  await writeFields(
    ctx.tx,
    incidentId,
    fields,
    ctx.tx`, status = 'final', finalized_at = ${ctx.now}, finalized_by = ${ctx.operatorId},
      report_name = ${name}, report_text = ${text}, report_text_sha256 = ${textSha256}, report_pdf = ${pdf}, report_pdf_sha256 = ${pdfSha256}`,
  );
  return {
    subjectType: 'incident',
    subjectId: incidentId,
    before: { status: run.status, version: run.version },
    after: { status: 'final', title: fields.title, name, text_sha256: textSha256, pdf_sha256: pdfSha256 },
    details: { incidentId, textName: `${name}.txt`, textSha256, pdfName: `${name}.pdf`, pdfSha256 },
  };
}

const incidentWrite: Handler<typeof writeIncident.type> = async (ctx, c) => {
  const p = c.payload;
  const [before] = await ctx.tx<
    { status: string; playbook: string | null }[]
  >`select status, playbook from public.incidents where id = ${p.incidentId} for update`;
  if (before) {
    throw new Refusal({
      kind: 'refused',
      reason:
        before.status === 'final'
          ? `incident report ${p.incidentId} is final and append-only; write a new report instead`
          : `incident ${p.incidentId} is a playbook run in draft; save it with its report form and finish it there`,
      current: { status: before.status },
    });
  }
  if (p.resolvedAt && Date.parse(p.resolvedAt) < Date.parse(p.startedAt)) {
    throw new Refusal({ kind: 'invalid', reason: 'resolvedAt must not be before startedAt' });
  }
  await ctx.tx`
    insert into public.incidents (id, title, severity, kind, started_at, resolved_at, root_cause, response, resolution, user_impact,
                                  status, finalized_at, finalized_by, created_by)
    values (${p.incidentId}, ${p.title}, ${p.severity}, ${p.kind}, ${p.startedAt}, ${p.resolvedAt ?? null}, ${p.rootCause ?? null},
            ${p.response ?? null}, ${p.resolution ?? null}, ${p.userImpact ?? null}, 'final', ${ctx.now}, ${ctx.operatorId}, ${ctx.operatorId})`;
  return {
    subjectType: 'incident',
    subjectId: p.incidentId,
    before: null,
    after: { title: p.title, severity: p.severity, resolvedAt: p.resolvedAt ?? null, status: 'final' },
  };
};

export const incidentHandlers: Handlers<
  typeof writeIncident.type | typeof openPlaybook.type | typeof recordStep.type | typeof updateIncident.type | typeof finishIncident.type
> = {
  [writeIncident.type]: incidentWrite,
  [openPlaybook.type]: open,
  [recordStep.type]: step,
  [updateIncident.type]: update,
  [finishIncident.type]: finish,
};
