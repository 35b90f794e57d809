// Escalations (spec Part 7): sent once with the packet the operator read
// (online: the server routes it, stores the packet and emails the team),
// then answered and closed as the team replies (queued, versioned: they
// work offline like any decision). Closing a legal one lifts its freeze.
import { z } from 'zod';
import { EscalationSource, Situation } from '../api/escalations.ts';
import { humanText } from '../api/text.ts';
import { online, queued } from './define.ts';

const escalationId = z.uuid('must be a uuid');

/** Sends the escalation: the server routes it by its situation, composes and stores the packet (note + evidence), and emails the team. */
export const openEscalation = online({
  type: 'escalation.open',
  payload: z
    .object({
      escalationId,
      situation: Situation,
      source: EscalationSource,
      subject: humanText(3, 200),
      /** What the operator asks of the team. */
      note: humanText(0, 4000),
      /** The evidence the draft read, as the operator saw it in the packet. */
      evidence: humanText(1, 300_000, 'must not be empty'),
    })
    .strict(),
  versioned: false,
  doing: 'Sending the escalation',
  words: {
    label: (p) => `Escalate "${p.subject}"`,
    short: () => 'escalated',
    activity: 'escalated to a team',
  },
});

/** The team's answer, recorded by the operator at the version they saw. */
export const answerEscalation = queued({
  type: 'escalation.answer',
  payload: z.object({ escalationId, answer: humanText(3, 4000) }).strict(),
  versioned: true,
  cache: { subject: (p) => ({ kind: 'escalation', id: p.escalationId }), applied: () => [], tally: 'other' },
  words: {
    label: () => 'Record the answer to an escalation',
    short: () => 'answered',
    activity: "recorded an escalation's answer",
  },
});

/** Closed with how it ended; a legal escalation's freeze lifts. */
export const closeEscalation = queued({
  type: 'escalation.close',
  payload: z.object({ escalationId, note: humanText(3, 2000, 'must say how it ended (3+ characters)') }).strict(),
  versioned: true,
  cache: { subject: (p) => ({ kind: 'escalation', id: p.escalationId }), applied: () => [], tally: 'other' },
  words: {
    label: () => 'Close an escalation',
    short: () => 'closed',
    activity: 'closed an escalation',
  },
});
