// Refund decisions (spec 2.2): the policy decides, the operator confirms.
import { z } from 'zod';
import { humanText } from '../api/text.ts';
import { formatAud } from '../money.ts';
import { queued } from './define.ts';

const uuid = z.uuid('must be a uuid');
const payload = z.object({ refundRequestId: uuid, businessId: uuid, note: humanText(0, 2000).optional() }).strict();

export const approveRefund = queued({
  type: 'refund.approve',
  payload,
  versioned: true,
  frozenBy: (p) => ({ businessId: p.businessId }),
  cache: {
    subject: (p) => ({ kind: 'refund', id: p.refundRequestId }),
    applied: (p) => [{ kind: 'refund', id: p.refundRequestId, status: 'approved', fields: { decisionNote: p.note ?? null } }],
    tally: 'refundApprovals',
  },
  words: {
    label: (p, cached) => {
      const f = cached.refund(p.refundRequestId);
      return `Approve refund for ${f?.businessName ?? 'a request'}${f ? ` (${formatAud(f.amountCents)})` : ''}`;
    },
    short: () => 'approved',
    activity: 'approved a refund',
  },
});

export const denyRefund = queued({
  type: 'refund.deny',
  payload,
  versioned: true,
  frozenBy: (p) => ({ businessId: p.businessId }),
  cache: {
    subject: (p) => ({ kind: 'refund', id: p.refundRequestId }),
    applied: (p) => [{ kind: 'refund', id: p.refundRequestId, status: 'denied', fields: { decisionNote: p.note ?? null } }],
    tally: 'refundDenials',
  },
  words: {
    label: (p, cached) => `Deny refund for ${cached.refund(p.refundRequestId)?.businessName ?? 'a request'}`,
    short: () => 'denied',
    activity: 'denied a refund',
  },
});
