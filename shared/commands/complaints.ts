// A trainer's complaint closed with what was done (spec 2.5's log line:
// "Featured placement investigation, trainer updated").
import { z } from 'zod';
import { humanText } from '../api/text.ts';
import { queued } from './define.ts';

export const closeComplaint = queued({
  type: 'complaint.close',
  payload: z
    .object({
      complaintId: z.uuid('must be a uuid'),
      businessId: z.uuid('must be a uuid'),
      resolution: humanText(3, 2000, 'must say what was done (3+ characters)'),
    })
    .strict(),
  versioned: true,
  cache: {
    subject: (p) => ({ kind: 'complaint', id: p.complaintId }),
    applied: (p) => [{ kind: 'complaint', id: p.complaintId, status: 'closed', fields: { resolution: p.resolution } }],
    tally: 'other',
  },
  words: {
    label: (p) => `Close a complaint (${p.resolution.slice(0, 60)})`,
    short: () => 'closed',
    activity: 'closed a complaint',
  },
});
