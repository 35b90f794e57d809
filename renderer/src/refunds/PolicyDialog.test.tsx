// The policy dialog as the operator reads it: each outcome with the email it
// sends, as text (the server's and the trainer's words are never markup),
// what it leaves out and why, and one confirm naming how many it decides.
import * as React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RefundPolicyPreview } from '../../../shared/ipc/contract.ts';

// Vitest compiles JSX the classic way (React.createElement; the app's build uses the automatic runtime): React is given
// globally before the component is loaded.
(globalThis as { React?: typeof React }).React = React;
const { PolicyDialog } = await import('./PolicyDialog.tsx');

const preview: RefundPolicyPreview = {
  count: 2,
  approvals: 1,
  denials: 1,
  approvedCents: 2200,
  decide: [
    {
      refundId: 'r1',
      businessId: 'b1',
      businessName: 'Sit Stay',
      amountCents: 2200,
      outcome: 'approve',
      policy: 'Requested 24 h 0 min 0 s after purchase, inside the 72 h refund window: the policy is to refund it, so it can only be approved.',
      email: { template: 'refund_approved', subject: 'Your refund is on its way', body: 'Hi Jo,\n<img src=x onerror=alert(1)>' },
    },
    {
      refundId: 'r2',
      businessId: 'b2',
      businessName: 'Good Dog',
      amountCents: 4900,
      outcome: 'deny',
      policy: 'Requested 72 h 0 min 1 s after purchase; the refund window is 72 h, so it can only be denied.',
      email: null,
    },
  ],
  leftOut: [
    {
      refundId: 'r3',
      businessId: 'b3',
      businessName: 'Paws & Co',
      amountCents: 3300,
      outcome: 'approve',
      policy: '…',
      email: null,
      why: 'frozen',
      reason: 'Frozen by the legal escalation "Trainer disputes the refund": refund decisions for Paws & Co wait for legal guidance.',
      freeze: { escalationId: 'e1', subject: 'Trainer disputes the refund', businessName: 'Paws & Co', openedAt: '2026-11-26T00:00:00Z' },
      localDecision: null,
    },
  ],
};

const html = renderToStaticMarkup(React.createElement(PolicyDialog, { preview, busy: false, confirm: () => undefined, close: () => undefined }));

describe('PolicyDialog', () => {
  it('lists each outcome with its policy sentence and the email as text, never markup', () => {
    expect(html).toContain('Apply the refund policy to 2 requests');
    expect(html).toContain('Sit Stay');
    expect(html).toContain('Approve');
    expect(html).toContain('Deny');
    expect(html).toContain('inside the 72 h refund window');
    expect(html).toContain('Your refund is on its way');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
    expect(html).toContain('refund-denied email');
  });

  it('lists the frozen one as left out, with the escalation that freezes it', () => {
    expect(html).toContain('Left out (1)');
    expect(html).toContain('Frozen by the legal escalation &quot;Trainer disputes the refund&quot;');
  });

  it('confirms in one button naming how many it decides, its accessible name its visible text', () => {
    expect(html).toMatch(/<button type="button" class="primary">Decide 2 by the policy<\/button>/);
    expect(html).not.toMatch(/aria-label="[^"]*"[^>]*>Decide/);
  });
});
