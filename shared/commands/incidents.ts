// Incident reports (spec 4): written by the operator, archived by the server.
import { z } from 'zod';
import { humanText } from '../api/text.ts';
import { queued } from './define.ts';

const note = humanText(0, 2000);

export const writeIncident = queued({
  type: 'incident.write',
  payload: z
    .object({
      incidentId: z.uuid('must be a uuid'),
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
