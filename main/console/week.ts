// The operator's week as one guided run (spec Parts 1–2), kept here so it
// survives closing the app: which session the Thursday batch is at, the time
// spent in each, and which Monday decisions were taken. Every step is also a
// queued command (week.start, week.record), so the server has the run and the
// weekly log is written there from what Postgres says was applied.
//
// The run settles itself on every read: a session with nothing left
// completes itself (auto when there was nothing to do when the run reached
// it, done when the operator cleared it), and a session that needs a
// connection waits while the console is offline while the run goes on with
// the next one that works offline.
import { randomUUID } from 'node:crypto';
import type { AlertItem, CronRunItem } from '../../shared/api/operator.ts';
import type { ReportMeta } from '../../shared/api/reconciliation.ts';
import { type RunItem, SESSION, SESSIONS, type SessionId, budgetWords } from '../../shared/api/week.ts';
import { recordRunEvent, startRun } from '../../shared/commands/week.ts';
import { DAILY_JOB, nextMelbourneRun } from '../../shared/jobs/schedule.ts';
import type { CarriedItem, SessionView, WeekView } from '../../shared/ipc/views.ts';
import { plural } from '../../shared/words.ts';
import { freezesByBusiness } from './handlers/escalations.ts';
import { type HandlerContext, parseRows } from './handlers/context.ts';

/** The run as this console keeps it between launches. */
interface LocalRun {
  runId: string;
  startedAt: string;
  /** Sessions recorded (done, skipped or auto), in order, with what was said. */
  recorded: { id: SessionId; outcome: 'done' | 'skipped' | 'auto'; note: string | null }[];
  current: SessionId | null;
  /** What was left when the run reached the current session (0: it had nothing to do). */
  leftAtArrival: number | null;
  spentMs: Partial<Record<SessionId, number>>;
  lastSeenAt: number;
}

interface LocalMonday {
  runId: string;
  startedAt: string;
  decisions: Record<string, 'act_now' | 'deferred'>;
}

const RUN_KEY = 'week_run';
const MONDAY_KEY = 'week_monday';
/** Time with the run on screen counts; a gap longer than this (the app closed, the laptop asleep) counts as this much. */
const MAX_GAP_MS = 2 * 60_000;
/** A Monday check belongs to the week it was made in. */
const WEEK_MS = 7 * 24 * 3600_000;
const melbourne = new Intl.DateTimeFormat('en-AU', {
  timeZone: 'Australia/Melbourne',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});

export function createWeek(ctx: HandlerContext) {
  const { store, desk, clock } = ctx;
  const read = <T>(key: string): T | null => {
    const v = store.meta(key);
    return v ? (JSON.parse(v) as T) : null;
  };
  const write = (key: string, v: unknown) => store.setMeta(key, v === null ? '' : JSON.stringify(v));
  /** False once this read could not reach the server (the engine only learns it at its next sync). */
  let reached = true;
  const online = () => reached && ctx.engine.status().online !== false;

  /** What is left in a session now, and in words; null when it cannot be known offline. */
  async function leftIn(id: SessionId): Promise<{ left: number | null; words: string }> {
    const local = desk.decisions();
    const undecided = (kind: string) => store.ids(kind, 'pending').filter((i) => !local.has(i));
    switch (id) {
      case 'reviews': {
        const n = undecided('review').length;
        return { left: n, words: n ? `${plural(n, 'review')} to decide` : 'every review decided' };
      }
      case 'refunds': {
        const frozen = freezesByBusiness(ctx);
        const items = parseRows<{ id: string; businessId: string }>(store.items('refund', 'pending')).filter((r) => !local.has(r.id));
        const held = items.filter((r) => frozen.has(r.businessId)).length;
        const n = items.length - held;
        return {
          left: n,
          words: `${n ? `${plural(n, 'request')} to decide` : 'every request decided'}${held ? ` (${held} frozen by a legal escalation, left out)` : ''}`,
        };
      }
      case 'complaints': {
        const n = undecided('complaint').length;
        return { left: n, words: n ? `${plural(n, 'complaint')} to investigate and close` : 'every complaint closed' };
      }
      case 'cron': {
        const runs = parseRows<CronRunItem>(store.items('cron_run')).filter((r) => r.jobName === DAILY_JOB && r.status !== 'running');
        const last = runs.sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1))[0];
        const onSchedule = last && last.status === 'success' && clock() - Date.parse(last.startedAt) < 26 * 3600_000;
        const next = melbourne.format(nextMelbourneRun(new Date(clock())));
        return onSchedule
          ? { left: 0, words: `the daily job succeeded on schedule (attempt ${last.attempt} of ${last.maxAttempts}); next run ${next}` }
          : {
              left: 1,
              words: last
                ? `the daily job's last run ${last.status === 'success' ? 'is more than a day old' : 'failed'}: check it`
                : 'no run of the daily job recorded: check it',
            };
      }
      case 'reconciliation': {
        if (!online()) return { left: null, words: 'needs a connection' };
        let reports: ReportMeta[];
        try {
          reports = await ctx.reconciliation.reports();
        } catch {
          reached = false;
          return { left: null, words: 'needs a connection' };
        }
        const week = reports.filter((r) => clock() - Date.parse(r.runAt) < WEEK_MS).sort((a, b) => (a.runAt < b.runAt ? 1 : -1));
        const last = week[0];
        if (!last) return { left: 1, words: 'no reconciliation this week: run it' };
        return last.discrepancies === 0
          ? { left: 0, words: `${last.name} matched: amounts match` }
          : { left: last.discrepancies, words: `${last.name}: ${plural(last.discrepancies, 'discrepancy', 'discrepancies')} to fix` };
      }
    }
  }

  const record = (run: LocalRun, id: SessionId, outcome: 'done' | 'skipped' | 'auto', note: string | null) => {
    desk.queue(recordRunEvent, {
      runId: run.runId,
      kind: 'session',
      subject: id,
      outcome,
      ...(note ? { note } : {}),
      spentSeconds: Math.round((run.spentMs[id] ?? 0) / 1000),
    });
    run.recorded.push({ id, outcome, note });
    run.current = null;
  };

  /** The time since the last look counts for the current session (a long gap as MAX_GAP_MS). */
  const tick = (run: LocalRun) => {
    const now = clock();
    if (run.current) run.spentMs[run.current] = (run.spentMs[run.current] ?? 0) + Math.min(Math.max(0, now - run.lastSeenAt), MAX_GAP_MS);
    run.lastSeenAt = now;
  };

  /** Moves the run on: completes sessions with nothing left, picks the next one (one that works offline while offline). */
  async function settle(run: LocalRun): Promise<Map<SessionId, { left: number | null; words: string }>> {
    const left = new Map<SessionId, { left: number | null; words: string }>();
    for (;;) {
      const todo = SESSIONS.filter((s) => !run.recorded.some((r) => r.id === s));
      if (run.current === null || !todo.includes(run.current)) {
        const next = online() ? todo[0] : todo.find((s) => SESSION[s].offline);
        run.current = next ?? null;
        run.leftAtArrival = null;
      } else if (!online() && !SESSION[run.current].offline) {
        // Went offline in a session that needs the connection: it waits; the run goes on where it can.
        run.current = todo.find((s) => SESSION[s].offline) ?? null;
        run.leftAtArrival = null;
      }
      // What is left is read from the cache; reconciliation asks the server, so only once the run is there.
      for (const s of todo) if (!left.has(s) && (SESSION[s].offline || s === run.current)) left.set(s, await leftIn(s));
      if (!run.current) return left;
      const now = left.get(run.current)!;
      // The server could not be reached for it: it waits, and the run goes on with a session that works offline.
      if (now.left === null && !SESSION[run.current].offline) {
        const other = todo.find((s) => SESSION[s].offline);
        if (!other) return left;
        run.current = other;
        run.leftAtArrival = null;
        continue;
      }
      if (run.leftAtArrival === null) run.leftAtArrival = now.left;
      if (now.left !== 0) return left;
      record(run, run.current, run.leftAtArrival === 0 ? 'auto' : 'done', now.words);
    }
  }

  function carried(run: LocalRun): CarriedItem[] {
    const runs = parseRows<RunItem>(store.items('run'));
    const started = Date.parse(run.startedAt);
    const out: CarriedItem[] = [];
    const openAlerts = new Map(parseRows<AlertItem>(store.items('alert', 'open')).map((a) => [a.id, a]));
    for (const m of runs.filter((r) => r.kind === 'monday' && Math.abs(started - Date.parse(r.startedAt)) < WEEK_MS)) {
      for (const e of m.events.filter((x) => x.kind === 'alert' && x.outcome === 'deferred')) {
        const a = openAlerts.get(e.subject);
        if (a) out.push({ kind: 'alert', id: a.id, text: `Deferred on Monday: ${a.message}${e.note ? ` (${e.note})` : ''}` });
      }
    }
    const before = runs
      .filter((r) => r.kind === 'thursday' && r.status === 'finished' && r.id !== run.runId)
      .sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1))[0];
    for (const e of before?.events.filter((x) => x.kind === 'session' && x.outcome === 'skipped') ?? []) {
      out.push({
        kind: 'session',
        id: e.subject,
        text: `Skipped last week: ${SESSION[e.subject as SessionId]?.title ?? e.subject} (${e.note ?? 'no reason'})`,
      });
    }
    if (before) {
      for (const c of parseRows<{ id: string; businessName: string; createdAt: string }>(store.items('complaint', 'pending'))) {
        if (c.createdAt < before.startedAt) out.push({ kind: 'complaint', id: c.id, text: `Complaint from ${c.businessName} still open since last week` });
      }
    }
    return out;
  }

  async function view(): Promise<WeekView> {
    reached = true;
    const local = read<LocalRun>(RUN_KEY);
    let run: WeekView['run'] = null;
    if (local) {
      tick(local);
      const left = await settle(local);
      write(RUN_KEY, local);
      const sessions: SessionView[] = SESSIONS.map((id) => {
        const rec = local.recorded.find((r) => r.id === id);
        const l = left.get(id);
        const waiting = !rec && !SESSION[id].offline && !online();
        return {
          id,
          title: SESSION[id].title,
          section: SESSION[id].section,
          budget: budgetWords(SESSION[id].budget),
          status: rec ? rec.outcome : id === local.current ? 'current' : waiting ? 'waiting' : 'todo',
          left: rec ? 0 : (l?.left ?? null),
          leftWords: rec ? (rec.note ?? '') : waiting ? 'waits for a connection' : (l?.words ?? 'read when the run gets there'),
          spentMs: local.spentMs[id] ?? 0,
          note: rec?.note ?? null,
        };
      });
      run = {
        id: local.runId,
        startedAt: local.startedAt,
        current: local.current,
        sessions,
        carried: carried(local),
        complete: local.recorded.length === SESSIONS.length,
      };
    }
    const finished = parseRows<RunItem>(store.items('run'))
      .filter((r) => r.kind === 'thursday' && r.status === 'finished' && r.log && r.finishedAt)
      .sort((a, b) => (a.finishedAt! < b.finishedAt! ? 1 : -1))[0];
    return {
      run,
      lastLog: finished
        ? { runId: finished.id, startedAt: finished.startedAt, finishedAt: finished.finishedAt!, log: finished.log!, logSha256: finished.logSha256! }
        : null,
      monday: mondayView(),
      online: online(),
    };
  }

  function mondayView(): WeekView['monday'] {
    const m = currentMonday();
    const red = parseRows<AlertItem>(store.items('alert', 'open')).filter((a) => a.severity === 'RED');
    return { alerts: red.map((a) => ({ id: a.id, message: a.message, openedAt: a.openedAt, decision: m?.decisions[a.id] ?? null })) };
  }

  /** This week's Monday check, when one was started in the last 7 days. */
  function currentMonday(): LocalMonday | null {
    const m = read<LocalMonday>(MONDAY_KEY);
    return m && clock() - Date.parse(m.startedAt) < WEEK_MS ? m : null;
  }

  return {
    view,
    async start(): Promise<WeekView> {
      const existing = read<LocalRun>(RUN_KEY);
      if (existing) return view(); // resumed, never a second run
      const runId = randomUUID();
      desk.queue(startRun, { runId, kind: 'thursday' });
      const now = clock();
      write(RUN_KEY, {
        runId,
        startedAt: new Date(now).toISOString(),
        recorded: [],
        current: null,
        leftAtArrival: null,
        spentMs: {},
        lastSeenAt: now,
      } satisfies LocalRun);
      return view();
    },
    /** The current session done, or skipped with a reason; the run moves on. */
    async finishSession(outcome: 'done' | 'skipped', note: string | null): Promise<WeekView> {
      const run = read<LocalRun>(RUN_KEY);
      if (!run?.current) return view();
      tick(run);
      record(run, run.current, outcome, note);
      write(RUN_KEY, run);
      return view();
    },
    /** The run is over here once the server has written its log. */
    forget: () => write(RUN_KEY, null),
    runId: () => read<LocalRun>(RUN_KEY)?.runId ?? null,
    /** A RED alert decided on Monday: acted on now, or deferred to Thursday (it reappears at the start of the batch). */
    decideAlert(alertId: string, decision: 'act_now' | 'deferred', note: string | null): WeekView['monday'] {
      let m = currentMonday();
      if (!m) {
        m = { runId: randomUUID(), startedAt: new Date(clock()).toISOString(), decisions: {} };
        desk.queue(startRun, { runId: m.runId, kind: 'monday' });
      }
      desk.queue(recordRunEvent, { runId: m.runId, kind: 'alert', subject: alertId, outcome: decision, ...(note ? { note } : {}) });
      m.decisions[alertId] = decision;
      write(MONDAY_KEY, m);
      return mondayView();
    },
  };
}

export type Week = ReturnType<typeof createWeek>;
