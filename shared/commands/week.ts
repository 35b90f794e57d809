// The operator's week as runs (spec Parts 1–2): a run started (queued: an
// offline start is one run, at the time it was started), its events
// recorded as they happen (queued: a session done, skipped with a reason or
// completing itself; a RED alert acted on or deferred to Thursday), and a
// Thursday run finished by the server (online: the weekly log is written
// from what Postgres says was applied).
import { z } from 'zod';
import { RUN_KINDS } from '../api/week.ts';
import { humanText } from '../api/text.ts';
import { online, queued } from './define.ts';

const runId = z.uuid('must be a uuid');

export const startRun = queued({
  type: 'week.start',
  payload: z.object({ runId, kind: z.enum(RUN_KINDS, 'must be monday or thursday') }).strict(),
  versioned: false,
  cache: { subject: () => null, applied: () => [], tally: 'other' },
  words: {
    label: (p) => (p.kind === 'monday' ? 'Start the Monday check' : 'Start the Thursday batch'),
    short: () => 'started',
    activity: 'started a weekly run',
  },
});

const SESSION_OUTCOMES = ['done', 'skipped', 'auto'] as const;
const ALERT_OUTCOMES = ['act_now', 'deferred'] as const;

export const recordRunEvent = queued({
  type: 'week.record',
  payload: z
    .discriminatedUnion('kind', [
      z
        .object({
          runId,
          kind: z.literal('session'),
          subject: z.enum(['reviews', 'refunds', 'reconciliation', 'cron', 'complaints'], 'must be a session of the Thursday batch'),
          outcome: z.enum(SESSION_OUTCOMES, 'must be done, skipped or auto'),
          note: humanText(0, 1000).optional(),
          spentSeconds: z.number().int().min(0, 'must be 0 or more').max(86_400, 'must be at most a day'),
        })
        .strict(),
      z
        .object({
          runId,
          kind: z.literal('alert'),
          subject: z.uuid('must be the alert id'),
          outcome: z.enum(ALERT_OUTCOMES, 'must be act_now or deferred'),
          note: humanText(0, 1000).optional(),
        })
        .strict(),
    ])
    .refine((p) => p.outcome !== 'skipped' || (p.note ?? '').trim().length >= 3, { message: 'a skipped session needs a reason', path: ['note'] }),
  versioned: false,
  cache: { subject: () => null, applied: () => [], tally: 'other' },
  words: {
    label: (p) =>
      p.kind === 'alert'
        ? p.outcome === 'deferred'
          ? 'Defer a RED alert to Thursday'
          : 'Act on a RED alert now'
        : `${p.outcome === 'skipped' ? 'Skip' : 'Finish'} the ${p.subject} session`,
    short: (p) => p.outcome.replace('_', ' '),
    activity: 'recorded a step of the weekly run',
  },
});

export const finishRun = online({
  type: 'week.finish',
  payload: z.object({ runId }).strict(),
  versioned: false,
  doing: 'Finishing the weekly run',
  words: {
    label: () => 'Finish the Thursday batch and write the weekly log',
    short: () => 'finished',
    activity: 'finished the Thursday batch (weekly log)',
  },
});
