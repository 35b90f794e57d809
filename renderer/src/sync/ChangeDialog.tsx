// Change a waiting review decision: approve ↔ reject (with a reason).
import { useState } from 'react';
import type { OutboxEntry, RejectReason, ReviewDecision } from '../../../shared/ipc/contract.ts';
import { Dialog } from '../ui/Dialog.tsx';
import uiCss from '../ui/ui.module.css';
import css from './sync.module.css';

const REASONS: { value: RejectReason; label: string }[] = [
  { value: 'spam', label: 'Spam' },
  { value: 'profanity', label: 'Profanity' },
  { value: 'off_topic', label: 'Off topic' },
  { value: 'other', label: 'Other' },
];

export function ChangeDialog({ entry, busy, confirm, close }: { entry: OutboxEntry; busy: boolean; confirm(d: ReviewDecision): void; close(): void }) {
  const toReject = entry.reviewDecision?.kind === 'approve';
  const [reason, setReason] = useState<RejectReason>('spam');
  const [note, setNote] = useState('');
  return (
    <Dialog title={toReject ? 'Change to reject' : 'Change to approve'} onClose={close}>
      <p>{entry.label}</p>
      {toReject ? (
        <>
          <div className={css.field}>
            <label htmlFor="change-reason">Rejection reason</label>
            <select id="change-reason" value={reason} onChange={(e) => setReason(e.target.value as RejectReason)}>
              {REASONS.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          </div>
          <div className={css.field}>
            <label htmlFor="change-note">Note (optional)</label>
            <textarea id="change-note" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
        </>
      ) : (
        <p className="muted">The review will be published when this syncs.</p>
      )}
      <div className={uiCss.actions}>
        <button type="button" onClick={close}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => confirm(toReject ? { kind: 'reject', reason, ...(note.trim() ? { note: note.trim() } : {}) } : { kind: 'approve' })}
        >
          {toReject ? 'Reject instead' : 'Approve instead'}
        </button>
      </div>
    </Dialog>
  );
}
