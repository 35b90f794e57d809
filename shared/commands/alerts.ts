// An alert resolved by the operator, with what was done.
import { z } from 'zod';
import { humanText } from '../api/text.ts';
import { queued } from './define.ts';

export const resolveAlert = queued({
  type: 'alert.resolve',
  payload: z.object({ alertId: z.uuid('must be a uuid'), note: humanText(0, 2000).optional() }).strict(),
  versioned: false,
  cache: {
    subject: (p) => ({ kind: 'alert', id: p.alertId }),
    // The alert stays open here, marked "resolved here", until a pull says the server resolved it.
    applied: () => [],
    tally: 'other',
  },
  words: {
    label: () => 'Resolve an alert',
    short: () => 'resolved',
    activity: 'resolved an alert',
  },
});
