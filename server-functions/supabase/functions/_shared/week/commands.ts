// The week's runs as commands (spec Parts 1–2). A run is started once (its
// id from the console; one open Thursday batch per operator), its events
// are appended (each touches the run, so the next pull brings it again) and
// a Thursday run is finished here: the counts read from Postgres for its
// window, the weekly log written from them in the spec's words, kept with
// its SHA-256 (also in the audit entry) and never changed again.
import { type RunEvent, weeklyLog } from '../../../../../shared/api/week.ts';
import { finishRun, recordRunEvent, startRun } from '../../../../../shared/commands/week.ts';
import { melbourneTime, sha256 } from '../incidents/report.ts';
import type { Handler, Handlers } from '../operator/command.ts';
import { Refusal, when } from '../operator/versioned.ts';
import { readRunCounts } from './counts.ts';

interface Run {
  id: string;
  kind: 'monday' | 'thursday';
  operator_id: string;
  started_at: Date;
  status: 'open' | 'finished';
  finished_at: Date | null;
}

const runStart: Handler<typeof startRun.type> = async (ctx, c) => {
  const { runId, kind } = c.payload;
  // One start per operator at a time: two consoles starting at once would both find no open batch and both insert.
  await ctx.tx`select pg_advisory_xact_lock(hashtextextended(${`operator-run-start:${ctx.operatorId}`}, 0))`;
  const [taken] = await ctx.tx<Run[]>`select * from public.operator_runs where id = ${runId}`;
  if (taken) throw new Refusal({ kind: 'refused', reason: `this run was already started (${when(taken.started_at)})` });
  if (kind === 'thursday') {
    const [open] = await ctx.tx<Run[]>`
      select * from public.operator_runs where operator_id = ${ctx.operatorId} and kind = 'thursday' and status = 'open' for update`;
    if (open) throw new Refusal({ kind: 'refused', reason: `a Thursday batch is already open (started ${when(open.started_at)}): resume it` });
  }
  // Never later than the server's time: a console clock running fast would leave what is applied next out of the run's window.
  const startedAt = new Date(Math.min(Date.parse(c.decidedAt ?? ctx.now.toISOString()), ctx.now.getTime()));
  await ctx.tx`insert into public.operator_runs (id, kind, operator_id, started_at) values (${runId}, ${kind}, ${ctx.operatorId}, ${startedAt})`;
  return { subjectType: 'operator_run', subjectId: runId, before: null, after: { kind, started_at: startedAt.toISOString() } };
};

/** The open run, this operator's. */
async function openRun(ctx: Parameters<Handler<typeof startRun.type>>[0], runId: string): Promise<Run> {
  const [run] = await ctx.tx<Run[]>`select * from public.operator_runs where id = ${runId} for update`;
  if (!run) throw new Refusal({ kind: 'not_found', reason: `run ${runId} does not exist (was it started?)` });
  if (run.operator_id !== ctx.operatorId) throw new Refusal({ kind: 'refused', reason: 'this run is another operator’s' });
  if (run.status === 'finished') throw new Refusal({ kind: 'refused', reason: `this run was finished ${when(run.finished_at)}` });
  return run;
}

const runRecord: Handler<typeof recordRunEvent.type> = async (ctx, c) => {
  const p = c.payload;
  await openRun(ctx, p.runId);
  const spent = p.kind === 'session' ? p.spentSeconds : null;
  // An alert id as Postgres writes a uuid (the payload accepts capitals), so it fits the column and joins the alert.
  const subject = p.kind === 'alert' ? p.subject.toLowerCase() : p.subject;
  await ctx.tx`
    insert into public.operator_run_events (run_id, at, kind, subject, outcome, note, spent_seconds, command_id)
    values (${p.runId}, ${new Date(c.decidedAt ?? ctx.now)}, ${p.kind}, ${subject}, ${p.outcome}, ${p.note?.trim() || null}, ${spent}, ${c.id})`;
  await ctx.tx`update public.operator_runs set updated_at = now() where id = ${p.runId}`;
  return {
    subjectType: 'operator_run',
    subjectId: p.runId,
    before: null,
    after: { kind: p.kind, subject, outcome: p.outcome, spent_seconds: spent },
  };
};

const runFinish: Handler<typeof finishRun.type> = async (ctx, c) => {
  const run = await openRun(ctx, c.payload.runId);
  if (run.kind === 'monday') {
    await ctx.tx`update public.operator_runs set status = 'finished', finished_at = ${ctx.now} where id = ${run.id}`;
    return { subjectType: 'operator_run', subjectId: run.id, before: { status: 'open' }, after: { status: 'finished' } };
  }
  const counts = await readRunCounts(ctx.tx, ctx.operatorId, run.started_at);
  const events = await ctx.tx<RunEvent[]>`
    select at, kind, subject, outcome, note, spent_seconds as "spentSeconds" from public.operator_run_events where run_id = ${run.id} order by at, id`;
  // The week's Monday decisions: the Monday checks of the 7 days before the batch started.
  const monday = await ctx.tx<{ message: string; outcome: 'act_now' | 'deferred'; note: string | null }[]>`
    select coalesce(a.message, 'an alert no longer recorded') as message, e.outcome, e.note
    from public.operator_run_events e
    join public.operator_runs r on r.id = e.run_id
    left join public.alerts a on a.id::text = e.subject
    where r.kind = 'monday' and r.operator_id = ${ctx.operatorId} and e.kind = 'alert'
      and r.started_at between ${run.started_at}::timestamptz - interval '7 days' and ${run.started_at}
    order by e.at`;
  const log = weeklyLog({
    startedAt: run.started_at.toISOString(),
    finishedAt: ctx.now.toISOString(),
    when: melbourneTime,
    counts,
    events: events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
    monday,
  });
  const logSha256 = await sha256(new TextEncoder().encode(log));
  await ctx.tx`
    update public.operator_runs set status = 'finished', finished_at = ${ctx.now}, counts = ${ctx.tx.json(counts as never)}, log = ${log}, log_sha256 = ${logSha256}
    where id = ${run.id}`;
  return {
    subjectType: 'operator_run',
    subjectId: run.id,
    before: { status: 'open' },
    after: { status: 'finished', log_sha256: logSha256 },
    details: { log, logSha256, counts },
  };
};

export const weekHandlers: Handlers<(typeof startRun | typeof recordRunEvent | typeof finishRun)['type']> = {
  [startRun.type]: runStart,
  [recordRunEvent.type]: runRecord,
  [finishRun.type]: runFinish,
};
