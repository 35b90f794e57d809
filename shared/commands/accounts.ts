// Flagging a trainer's account for review (blocks featured purchases).
import { z } from 'zod';
import { humanText } from '../api/text.ts';
import { queued } from './define.ts';

export const flagAccount = queued({
  type: 'account.flag',
  payload: z.object({ profileId: z.uuid('must be a uuid'), reason: humanText(3, 500, 'must say why (3+ characters)') }).strict(),
  versioned: false,
  frozenBy: (p) => ({ profileId: p.profileId }),
  cache: {
    subject: (p) => ({ kind: 'account', id: p.profileId }),
    // Flagged accounts come with the next pull.
    applied: () => [],
    tally: 'other',
  },
  words: {
    label: () => 'Flag an account for review',
    short: () => 'flag',
    activity: 'flagged an account for review',
  },
});
