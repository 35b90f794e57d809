// Reject with a reason (spec 2.1: Spam, Profanity, Off-topic, Other) and an
// optional note for the audit trail; for one review or several selected.
import { useState, type FormEvent } from 'react';
import type { RejectReason } from '../../../shared/ipc/contract.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { REJECT_REASONS } from './describe.ts';
import ui from '../ui/ui.module.css';
import css from './reviews.module.css';

export interface RejectDialogProps {
  count: number;
  /** The one review's business, when it is one. */
  businessName: string | null;
  busy: boolean;
  reject(reason: RejectReason, note: string): void;
  close(): void;
}

export function RejectDialog({ count, businessName, busy, reject, close }: RejectDialogProps) {
  const [reason, setReason] = useState<RejectReason | null>(null);
  const [note, setNote] = useState('');
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (reason && !busy) reject(reason, note);
  };
  const title = count === 1 ? `Reject the review of ${businessName ?? 'this business'}` : `Reject ${count} selected reviews`;
  return (
    <Dialog title={title} onClose={close}>
      <form onSubmit={submit}>
        <fieldset className={css.reasons}>
          <legend>Reason</legend>
          {REJECT_REASONS.map((r) => (
            <label key={r.value}>
              <input type="radio" name="reason" value={r.value} checked={reason === r.value} onChange={() => setReason(r.value)} />
              {r.label}
            </label>
          ))}
        </fieldset>
        <label className={css.note}>
          Note (optional)
          <textarea
            value={note}
            maxLength={1000}
            onChange={(e) => setNote(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                submit();
              }
            }}
          />
        </label>
        <p className="muted">Kept in the audit trail; the reviewer is not told. Enter confirms, Shift+Enter starts a new line.</p>
        <div className={ui.actions}>
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={!reason || busy}>
            Reject
          </button>
        </div>
      </form>
    </Dialog>
  );
}
