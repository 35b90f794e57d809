// The operator's week (spec Parts 1–2): the Monday check and the Thursday
// batch's five sessions in the spec's order, each with its time budget; a run
// as the console caches it; what the server counts in Postgres when a
// Thursday run finishes; and the weekly log in the spec's words, written
// from those counts (never from the console's own guesses).
import { z } from 'zod';
import { plural } from '../words.ts';

export const SESSIONS = ['reviews', 'refunds', 'reconciliation', 'cron', 'complaints'] as const;
export type SessionId = (typeof SESSIONS)[number];
export const Session = z.enum(SESSIONS, 'must be one of reviews, refunds, reconciliation, cron, complaints');

export interface SessionDef {
  title: string;
  section: string;
  /** The spec's time budget, in minutes. */
  budget: [number, number];
  /** Works offline (decisions are queued), or needs the live system. */
  offline: boolean;
}

export const SESSION: Record<SessionId, SessionDef> = {
  reviews: { title: 'Manual review queue', section: '2.1', budget: [60, 120], offline: true },
  refunds: { title: 'Refund requests', section: '2.2', budget: [15, 30], offline: true },
  reconciliation: { title: 'Payment reconciliation', section: '2.3', budget: [15, 30], offline: false },
  cron: { title: 'Cron job health', section: '2.4', budget: [10, 15], offline: true },
  complaints: { title: 'Complaint investigation', section: '2.5', budget: [30, 60], offline: false },
};

const unit = (m: number) => (m >= 60 && m % 60 === 0 ? `${m / 60} h` : `${m} min`);
/** A budget as the spec writes it: "1–2 h", "15–30 min", "30 min–1 h". */
export function budgetWords([lo, hi]: [number, number]): string {
  const [a, b] = [unit(lo), unit(hi)];
  return a.slice(-2) === b.slice(-2) ? `${a.split(' ')[0]}–${b}` : `${a}–${b}`;
}

export const RUN_KINDS = ['monday', 'thursday'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

const str = z.string();
const maybe = <T extends z.ZodType>(t: T) => t.nullable();

export const RunEvent = z.object({
  at: str,
  kind: z.enum(['session', 'alert']),
  subject: str,
  outcome: z.enum(['done', 'skipped', 'auto', 'act_now', 'deferred']),
  note: maybe(str),
  spentSeconds: maybe(z.number()),
});
export type RunEvent = z.infer<typeof RunEvent>;

/** What Postgres says the operator applied in a Thursday run's window. */
export const RunCounts = z.object({
  reviewsApproved: z.number(),
  reviewsRejected: z.number(),
  refundsApproved: z.number(),
  refundsDenied: z.number(),
  /** The last reconciliation in the window: its name, run time and discrepancies; null when none ran. */
  reconciliation: maybe(z.object({ name: str, runAt: str, discrepancies: z.number(), found: z.number() })),
  /** The daily job's last run as the cron session saw it. */
  cron: maybe(z.object({ startedAt: str, status: str, attempt: z.number(), maxAttempts: z.number() })),
  complaintsClosed: z.array(z.object({ business: str, kind: str, resolution: str })),
  escalations: z.array(z.object({ team: str, subject: str })),
  incidents: z.array(z.object({ title: str })),
});
export type RunCounts = z.infer<typeof RunCounts>;

/** A run as the console caches it (pulled). */
export const RunItem = z.object({
  id: str,
  kind: z.enum(RUN_KINDS),
  status: z.enum(['open', 'finished']),
  startedAt: str,
  finishedAt: maybe(str),
  operatorName: maybe(str),
  events: z.array(RunEvent),
  counts: maybe(RunCounts),
  log: maybe(str),
  logSha256: maybe(str),
  version: z.number(),
  updatedAt: str,
});
export type RunItem = z.infer<typeof RunItem>;

const minutes = (s: number | null) => (s === null ? '-' : s === 0 ? '0 min' : s < 60 ? 'under 1 min' : `${Math.round(s / 60)} min`);

export interface LogInput {
  startedAt: string;
  finishedAt: string;
  /** Melbourne time in words, as the server prints it. */
  when: (iso: string) => string;
  counts: RunCounts;
  events: RunEvent[];
  /** The Monday decisions of the week (the Monday run's alert events) with the alert's message. */
  monday: { message: string; outcome: 'act_now' | 'deferred'; note: string | null }[];
}

/** The weekly log: one line per session in the spec's words, the time spent against the budget, what was skipped or deferred. */
export function weeklyLog(i: LogInput): string {
  const c = i.counts;
  const session = (id: SessionId) => i.events.filter((e) => e.kind === 'session' && e.subject === id).at(-1) ?? null;
  const spent = (id: SessionId) => {
    const e = session(id);
    const def = SESSION[id];
    const how = !e ? 'not reached' : e.outcome === 'skipped' ? `skipped: ${e.note ?? 'no reason'}` : e.outcome === 'auto' ? 'nothing to do' : 'done';
    return `  (${how}; ${minutes(e?.spentSeconds ?? null)} of ${budgetWords(def.budget)})`;
  };
  const rec = c.reconciliation;
  const lines = [
    `WEEKLY LOG: Thursday batch ${i.when(i.startedAt)} to ${i.when(i.finishedAt)}`,
    '',
    `Reviews: Approved ${plural(c.reviewsApproved, 'review')}, rejected ${c.reviewsRejected}`,
    spent('reviews'),
    `Refunds: Approved ${plural(c.refundsApproved, 'refund')}, denied ${c.refundsDenied}`,
    spent('refunds'),
    !rec
      ? 'Reconciliation: not run this week'
      : rec.discrepancies === 0
        ? `Reconciliation completed, amounts match (${rec.name}${rec.found ? `, after fixing ${plural(rec.found, 'discrepancy', 'discrepancies')} found earlier` : ''})`
        : `Reconciliation issue, ${i.when(rec.runAt)}: ${plural(rec.discrepancies, 'discrepancy', 'discrepancies')} open (${rec.name})`,
    spent('reconciliation'),
    c.cron
      ? `Cron: last run ${i.when(c.cron.startedAt)}, ${c.cron.status === 'success' ? 'succeeded' : c.cron.status} (attempt ${c.cron.attempt} of ${c.cron.maxAttempts})`
      : 'Cron: no run recorded',
    spent('cron'),
    `Complaints: closed ${c.complaintsClosed.length}`,
    ...c.complaintsClosed.map((x) => `  - ${x.business} (${x.kind}): ${x.resolution}`),
    spent('complaints'),
  ];
  if (c.escalations.length) lines.push(`Escalated: ${c.escalations.map((e) => `${e.subject} (to ${e.team})`).join('; ')}`);
  if (c.incidents.length) lines.push(`Incident reports finished: ${c.incidents.map((x) => x.title).join('; ')}`);
  if (i.monday.length) {
    lines.push('Monday check:');
    for (const m of i.monday)
      lines.push(`  - ${m.message}: ${m.outcome === 'act_now' ? 'acted on at once' : `deferred to Thursday${m.note ? ` (${m.note})` : ''}`}`);
  }
  const total = i.events.filter((e) => e.kind === 'session').reduce((s, e) => s + (e.spentSeconds ?? 0), 0);
  lines.push('', `Time spent: ${minutes(total)} (the spec budgets about 3 h 45 min a week)`);
  return `${lines.join('\n')}\n`;
}
