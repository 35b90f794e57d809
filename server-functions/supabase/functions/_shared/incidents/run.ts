// A playbook run as the console reads it: the report as saved, each step's
// state (its latest record wins; every record is kept), the timeline built
// from what happened (the signal opened, the run opened, each step and its
// action's verdict, recovery seen, the signal cleared, the report finished)
// and the report pre-filled from that timeline for the operator to correct.
import type { ISql, TransactionSql } from 'postgres';
import { PLAYBOOK, type PlaybookKind, type PlaybookRun, type ReportFields, type StepState, type TimelineEvent } from '../../../../../shared/api/playbooks.ts';
import { declarationOf } from '../../../../../shared/commands/index.ts';
import type { Sql } from '../db.ts';
import { melbourneTime } from './report.ts';
import { PLAYBOOK_WORDS, type RunFacts } from './words.ts';

type Db = ISql;

interface RunRow {
  id: string;
  playbook: PlaybookKind;
  status: 'draft' | 'final';
  version: number;
  signal_kind: 'alert' | 'complaint' | 'palette';
  signal_id: string | null;
  title: string;
  started_at: Date;
  resolved_at: Date | null;
  root_cause: string | null;
  detection: string | null;
  response: string | null;
  resolution: string | null;
  user_impact: string | null;
  cost_impact: string | null;
  created_at: Date;
  opened_by: string | null;
  finalized_at: Date | null;
  finalized_by: string | null;
  report_name: string | null;
  report_text_sha256: string | null;
  report_pdf_sha256: string | null;
}

interface StepRow {
  step: string;
  outcome: 'done' | 'skipped';
  note: string | null;
  at: Date;
  command_id: string | null;
  /** The command's words and verdict: as stored with the step, else as the server has it now. */
  label: string | null;
  verdict: 'applied' | 'rejected' | null;
  reason: string | null;
}

/** The signal as the run tells it: when it opened and cleared, and its words. */
interface Signal {
  openedAt: Date | null;
  clearedAt: Date | null;
  /** When the incident started: the alert opened, or for Z.AI when its calls started failing. */
  startsAt: Date;
  opened: string | null;
  cleared: string;
  detection: string;
  /** A complaint's run: the alerts of the playbook's kinds about the same council, business or payment (the queue dispute's
   * RED queue_out_of_order), opened and resolved in the timeline too; they end the incident when the complaint is still open. */
  related: { severity: string; message: string; openedAt: Date; resolvedAt: Date | null }[];
  /** The error the alert recorded (the daily job's last error), for the root cause. */
  error: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const NO_CACHE = { review: () => null, refund: () => null };

/** A command's words as the console shows them ("Switch the AI mode to deterministic"), from its declaration. */
export function commandLabel(type: string, payload: unknown): string {
  const d = declarationOf(type);
  if (!d) return type;
  try {
    return d.words.label(payload as never, NO_CACHE);
  } catch {
    return type;
  }
}

async function readSignal(db: Db, run: RunRow): Promise<Signal> {
  if (run.signal_kind === 'alert' && run.signal_id) {
    const [a] = await db<{ kind: string; severity: string; message: string; details: Record<string, unknown>; opened_at: Date; resolved_at: Date | null }[]>`
      select kind, severity, message, details, opened_at, resolved_at from public.alerts where id = ${run.signal_id}`;
    if (a) {
      const since = run.playbook === 'zai_down' && typeof a.details.failing_since === 'string' ? new Date(a.details.failing_since) : null;
      const startsAt = since && !Number.isNaN(since.getTime()) && since < a.opened_at ? since : a.opened_at;
      return {
        openedAt: a.opened_at,
        clearedAt: a.resolved_at,
        startsAt,
        opened: `${a.severity} alert opened: ${a.message}${startsAt < a.opened_at ? ` (Z.AI failing since ${melbourneTime(startsAt)})` : ''}`,
        cleared: 'Alert resolved: the condition is no longer seen',
        detection: `Dashboard alert: ${a.message}`,
        related: [],
        error: typeof a.details.error === 'string' ? a.details.error : null,
      };
    }
  }
  if (run.signal_kind === 'complaint' && run.signal_id) {
    const [c] = await db<{ message: string; created_at: Date; closed_at: Date | null; resolution: string | null; business: string; subjects: string[] }[]>`
      select c.message, c.created_at, c.closed_at, c.resolution, b.name as business,
             array_remove(array[b.council_id, b.id::text, c.payment_id::text], null) as subjects
      from public.complaints c join public.businesses b on b.id = c.business_id where c.id = ${run.signal_id}`;
    if (c) {
      const said = `Trainer complaint from ${c.business}: "${c.message}"`;
      // The alert the same fault raised (the queue-integrity check's RED for the complainant's council), unless it was
      // already resolved before the complaint came: the operator resolves it on the Alerts screen, and the report says so.
      const related = await db<Signal['related']>`
        select severity, message, opened_at as "openedAt", resolved_at as "resolvedAt" from public.alerts
        where kind in ${db(PLAYBOOK[run.playbook].alerts as string[])} and subject in ${db(c.subjects)}
          and (resolved_at is null or resolved_at >= ${c.created_at})
        order by opened_at`;
      return {
        openedAt: c.created_at,
        clearedAt: c.closed_at,
        startsAt: c.created_at,
        opened: said,
        cleared: `Complaint closed: ${c.resolution ?? 'answered'}`,
        detection: said,
        related,
        error: null,
      };
    }
  }
  return {
    openedAt: null,
    clearedAt: null,
    startsAt: run.started_at,
    opened: null,
    cleared: '',
    detection: 'Opened by the operator from the command palette',
    related: [],
    error: null,
  };
}

/** Z.AI's recovery (its first good answer after it started failing) and the triage calls answered without it meanwhile. */
async function zaiFacts(db: Db, since: Date, until: Date): Promise<{ recovery: { at: Date; latency_ms: number | null } | null; callsAvoided: number }> {
  const [[recovery], [calls]] = await Promise.all([
    db<{ at: Date; latency_ms: number | null }[]>`
      select checked_at as at, latency_ms from public.ai_provider_health
      where provider = 'z_ai' and ok and checked_at > ${since} order by checked_at limit 1`,
    db<{ n: number }[]>`
      select count(*)::int as n from public.triage_logs
      where occurred_at >= ${since} and occurred_at <= ${until} and (provider <> 'z_ai' or fell_back)`,
  ]);
  return { recovery: recovery ?? null, callsAvoided: calls?.n ?? 0 };
}

function stepStates(kind: PlaybookKind, records: StepRow[]): StepState[] {
  return PLAYBOOK[kind].steps.map((s) => {
    const last = records.filter((r) => r.step === s.id).at(-1);
    return last ? { id: s.id, status: last.outcome, at: iso(last.at), reason: last.note } : { id: s.id, status: 'todo' as const, at: null, reason: null };
  });
}

const verdictWords = (r: StepRow) =>
  `${r.label ?? 'an action'} — ${r.verdict ?? 'not received yet'}${r.verdict === 'rejected' && r.reason ? ` (${r.reason})` : ''}`;

/** "- Switch the AI mode: done, Switch the AI mode to deterministic — applied" for each recorded step, in the spec's order. */
function responseWords(kind: PlaybookKind, records: StepRow[]): string {
  const lines = PLAYBOOK[kind].steps.flatMap((s) => {
    const mine = records.filter((r) => r.step === s.id);
    const last = mine.at(-1);
    if (!last) return [];
    if (last.outcome === 'skipped') return [`- ${s.title}: skipped (${last.note})`];
    const actions = mine.filter((r) => r.command_id).map(verdictWords);
    return [`- ${s.title}: done${actions.length ? `, ${actions.join('; ')}` : ''}${last.note ? ` (${last.note})` : ''}`];
  });
  return lines.length ? lines.join('\n') : 'No steps recorded yet';
}

/** Events by time; things at the same moment keep the order they happened in. */
export const byTime = (events: TimelineEvent[]) =>
  events
    .map((e, i) => [e, i] as const)
    .sort(([a, i], [b, j]) => Date.parse(a.at) - Date.parse(b.at) || i - j)
    .map(([e]) => e);

const clip = (s: string) => (s.length > 4000 ? `${s.slice(0, 3999)}…` : s);

/** Whether a playbook run has this id: what a live check needs to know, without reading the whole run and its timeline. */
export async function runExists(sql: Sql, incidentId: string): Promise<boolean> {
  const [row] = await sql`select 1 from public.incidents where id = ${incidentId} and playbook is not null`;
  return row !== undefined;
}

export async function readRun(sql: Sql | TransactionSql, incidentId: string, now: Date): Promise<PlaybookRun | null> {
  const db = sql as Db;
  const [run] = await db<RunRow[]>`
    select i.id, i.playbook, i.status, i.version, i.signal_kind, i.signal_id, i.title, i.started_at, i.resolved_at, i.root_cause,
           i.detection, i.response, i.resolution, i.user_impact, i.cost_impact, i.created_at, i.finalized_at,
           coalesce(op.display_name, op.email) as opened_by, coalesce(fin.display_name, fin.email) as finalized_by,
           i.report_name, i.report_text_sha256, i.report_pdf_sha256
    from public.incidents i
    left join public.profiles op on op.id = i.created_by
    left join public.profiles fin on fin.id = i.finalized_by
    where i.id = ${incidentId} and i.playbook is not null`;
  if (!run) return null;
  const def = PLAYBOOK[run.playbook];
  const [signal, records] = await Promise.all([
    readSignal(db, run),
    db<(Omit<StepRow, 'label'> & { command_label: string | null; type: string | null; payload: unknown })[]>`
      select s.step, s.outcome, s.note, s.at, s.command_id, s.command_label, oc.type, oc.payload,
             coalesce(s.command_status, oc.status) as verdict, coalesce(s.command_reason, oc.result ->> 'reason') as reason
      from public.incident_steps s
      left join public.operator_commands oc on oc.id = s.command_id
      where s.incident_id = ${incidentId}
      order by s.id`.then((rows) =>
      // A command that arrived after its step has no stored words: its declaration's words now.
      rows.map((r): StepRow => ({ ...r, label: r.command_label ?? (r.type ? commandLabel(r.type, r.payload) : null) })),
    ),
  ]);
  const until = signal.clearedAt ?? now;
  const zai = run.playbook === 'zai_down' ? await zaiFacts(db, signal.startsAt, until) : { recovery: null, callsAvoided: 0 };

  const events: TimelineEvent[] = [];
  const add = (at: Date | null, kind: TimelineEvent['kind'], text: string, step: string | null = null) => {
    if (at) events.push({ at: at.toISOString(), kind, step, text });
  };
  add(signal.openedAt, 'alert_opened', signal.opened ?? '');
  for (const a of signal.related) {
    add(a.openedAt, 'alert_opened', `${a.severity} alert opened: ${a.message}`);
    add(a.resolvedAt, 'alert_resolved', `${a.severity} alert resolved`);
  }
  add(run.created_at, 'opened', `Playbook ${def.section} "${def.title}" opened${run.opened_by ? ` by ${run.opened_by}` : ''}`);
  for (const r of records) {
    // Finishing records the report step with its own command; "Report finished by …" below says it once.
    if (r.step === 'report' && run.finalized_at) continue;
    const n = def.steps.findIndex((s) => s.id === r.step);
    const title = def.steps[n]?.title ?? r.step;
    // The action is told just before the step it did (its own clock is the push's, not the step's).
    if (r.command_id) add(r.at, 'action', verdictWords(r), r.step);
    add(r.at, 'step', `Step ${n + 1} "${title}" ${r.outcome}${r.note ? `: ${r.note}` : ''}`, r.step);
  }
  if (zai.recovery) add(zai.recovery.at, 'recovery', `Z.AI answered well again${zai.recovery.latency_ms === null ? '' : ` (${zai.recovery.latency_ms} ms)`}`);
  add(signal.clearedAt, 'alert_resolved', signal.cleared);
  add(run.finalized_at, 'final', `Report finished${run.finalized_by ? ` by ${run.finalized_by}` : ''}`);
  const timeline = byTime(events);

  const words = PLAYBOOK_WORDS[run.playbook];
  // The complaint closed ends it; while it is open, its related alerts all resolved do (the fault is dealt with).
  const relatedCleared =
    signal.related.length && signal.related.every((a) => a.resolvedAt) ? new Date(Math.max(...signal.related.map((a) => a.resolvedAt!.getTime()))) : null;
  const cleared = signal.clearedAt ?? relatedCleared;
  const resolvedAt = cleared && cleared >= signal.startsAt ? cleared : null;
  const facts: RunFacts = {
    recoveredAt: iso(zai.recovery?.at ?? null),
    resolvedAt: iso(resolvedAt),
    callsAvoided: zai.callsAvoided,
    signalError: signal.error,
  };
  const suggested: ReportFields = {
    title: run.title,
    startedAt: signal.startsAt.toISOString(),
    resolvedAt: iso(resolvedAt),
    rootCause: words.rootCause(facts),
    detection: clip(signal.detection),
    response: clip(responseWords(run.playbook, records)),
    resolution: words.resolution(facts),
    userImpact: words.userImpact,
    costImpact: words.costImpact(facts),
  };

  return {
    incidentId: run.id,
    playbook: run.playbook,
    status: run.status,
    version: run.version,
    signal: { kind: run.signal_kind, id: run.signal_id },
    openedAt: run.created_at.toISOString(),
    steps: stepStates(run.playbook, records),
    timeline,
    report: {
      title: run.title,
      startedAt: run.started_at.toISOString(),
      resolvedAt: iso(run.resolved_at),
      rootCause: run.root_cause,
      detection: run.detection,
      response: run.response,
      resolution: run.resolution,
      userImpact: run.user_impact,
      costImpact: run.cost_impact,
    },
    suggested,
    files: run.report_name
      ? { textName: `${run.report_name}.txt`, textSha256: run.report_text_sha256!, pdfName: `${run.report_name}.pdf`, pdfSha256: run.report_pdf_sha256! }
      : null,
  };
}
