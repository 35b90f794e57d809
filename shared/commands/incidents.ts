// Incident reports (spec Part 4) as playbook runs: a run is opened once per
// incident from its signal (opening it again resumes the open one), its steps
// are recorded done or skipped (nothing is deleted), its report is a draft
// the operator corrects (versioned) and then finishes (final: append-only,
// archived as text and PDF with their SHA-256 in the audit entry).
import { z } from 'zod';
import { PlaybookKind, PlaybookSignal, ReportFields } from '../api/playbooks.ts';
import { humanText } from '../api/text.ts';
import { online, queued } from './define.ts';

const incidentId = z.uuid('must be a uuid');

/** Opens the run (the draft report) for a playbook; the open draft of that playbook is resumed instead when there is one. Online: its evidence is read live. */
export const openPlaybook = online({
  type: 'incident.open',
  payload: z.object({ incidentId, playbook: PlaybookKind, signal: PlaybookSignal }).strict(),
  versioned: false,
  doing: 'Opening the playbook',
  words: {
    label: (p) => `Open the ${p.playbook} playbook`,
    short: () => 'open playbook',
    activity: 'opened a playbook',
  },
});

/** A step recorded done (with the command that did it, whose verdict the timeline shows) or skipped with a reason. Works offline. */
export const recordStep = queued({
  type: 'incident.step',
  payload: z
    .object({
      incidentId,
      step: z.string().regex(/^[a-z]+$/, 'must be a step id like switch'),
      outcome: z.enum(['done', 'skipped'], 'must be done or skipped'),
      /** Why it was skipped (required then), or what was seen. */
      note: humanText(0, 1000).optional(),
      /** The command the step's action sent, if any: the timeline shows its verdict. */
      commandId: z.uuid('must be a uuid').optional(),
    })
    .strict()
    .refine((p) => p.outcome !== 'skipped' || (p.note ?? '').trim().length > 0, { message: 'a skipped step needs a reason', path: ['note'] }),
  versioned: false,
  cache: {
    subject: () => null,
    applied: () => [],
    tally: 'other',
  },
  words: {
    label: (p) => (p.outcome === 'skipped' ? `Skip playbook step "${p.step}"` : `Playbook step "${p.step}" done`),
    short: (p) => (p.outcome === 'skipped' ? 'step skipped' : 'step done'),
    activity: 'recorded a playbook step',
  },
});

/** The draft report corrected, at the version the operator saw. Works offline; a final report refuses it. */
export const updateIncident = queued({
  type: 'incident.update',
  payload: z.object({ incidentId, fields: ReportFields }).strict(),
  versioned: true,
  cache: {
    subject: (p) => ({ kind: 'incident', id: p.incidentId }),
    applied: () => [],
    tally: 'other',
  },
  words: {
    label: (p) => `Save the incident report "${p.fields.title}"`,
    short: () => 'report saved',
    activity: 'saved an incident report draft',
  },
});

/** The report finished: its fields written, made final, rendered as text and PDF and archived. Online: the server renders the files. */
export const finishIncident = online({
  type: 'incident.finish',
  payload: z.object({ incidentId, fields: ReportFields }).strict(),
  versioned: true,
  doing: 'Finishing the incident report',
  words: {
    label: (p) => `Finish the incident report "${p.fields.title}"`,
    short: () => 'report final',
    activity: 'finished an incident report',
  },
});

/** Kept for reports written without a playbook (older consoles queued it): a free-form report, created final. */
const note = humanText(0, 2000);
export const writeIncident = queued({
  type: 'incident.write',
  payload: z
    .object({
      incidentId,
      title: humanText(3, 200),
      severity: z.enum(['RED', 'YELLOW']),
      kind: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a lower-case kind like zai_down'),
      startedAt: z.iso.datetime({ offset: true }),
      resolvedAt: z.iso.datetime({ offset: true }).optional(),
      rootCause: note.optional(),
      response: note.optional(),
      resolution: note.optional(),
      userImpact: note.optional(),
    })
    .strict(),
  versioned: false,
  cache: {
    subject: (p) => ({ kind: 'incident', id: p.incidentId }),
    applied: () => [],
    tally: 'other',
  },
  words: {
    label: (p) => `Write incident report "${p.title}"`,
    short: () => 'write report',
    activity: 'wrote an incident report',
  },
});
