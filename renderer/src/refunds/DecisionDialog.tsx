// Approve or deny one request, after reading the email the trainer will get.
// The server renders that email for the decision its policy allows (approve
// when eligible, deny when not); for the other decision it has no preview.
import { useState } from 'react';
import type { RefundDecision, RefundView } from '../../../shared/ipc/contract.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { formatAud } from '../ui/format.ts';
import { Time } from '../ui/Time.tsx';
import uiCss from '../ui/ui.module.css';
import css from './refunds.module.css';

export interface DecisionDialogProps {
  refund: RefundView;
  kind: RefundDecision['kind'];
  busy: boolean;
  confirm(note: string): void;
  close(): void;
}

export function DecisionDialog({ refund, kind, busy, confirm, close }: DecisionDialogProps) {
  const [note, setNote] = useState('');
  const verb = kind === 'approve' ? 'Approve' : 'Deny';
  const previewed = refund.email && (kind === 'approve') === refund.eligible ? refund.email : null;
  return (
    <Dialog title={`${verb} refund: ${refund.businessName}`} onClose={close}>
      <p>
        {formatAud(refund.amountCents)} paid <Time at={refund.paidAt} />.{' '}
        {kind === 'approve' ? 'The server refunds it through Stripe when this syncs.' : 'The request is closed when this syncs.'}
      </p>
      <h3>The email that will be sent</h3>
      {previewed ? (
        <section className={css.email} aria-label="Email preview">
          <p>
            <span className="muted">To:</span> {refund.ownerEmail ?? 'the business owner'}
          </p>
          <p>
            <span className="muted">Subject:</span> <strong>{previewed.subject}</strong>
          </p>
          <p className={css.body}>{previewed.body}</p>
        </section>
      ) : (
        <p className="muted">The server sends its refund-denied email when it applies this decision; it has no preview for denying an eligible request.</p>
      )}
      <div className={css.note}>
        <label htmlFor="refund-note">Note (optional, kept with the decision)</label>
        <textarea id="refund-note" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <div className={uiCss.actions}>
        <button type="button" onClick={close}>
          Cancel
        </button>
        <button type="button" className={kind === 'approve' ? 'primary' : 'danger'} disabled={busy} onClick={() => confirm(note)}>
          {verb} refund
        </button>
      </div>
    </Dialog>
  );
}
