// "Approve all at ≥ <the server's line>" says first how many it would
// publish, as main counts them, and shows a few of them.
import type { BulkApprovePreview } from '../../../shared/ipc/contract.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { confidenceText, firstLine } from './describe.ts';
import ui from '../ui/ui.module.css';
import css from './reviews.module.css';

export interface BulkApproveDialogProps {
  preview: BulkApprovePreview;
  busy: boolean;
  confirm(): void;
  close(): void;
}

export function BulkApproveDialog({ preview, busy, confirm, close }: BulkApproveDialogProps) {
  const at = preview.minConfidence.toFixed(2);
  return (
    <Dialog title={`Approve ${preview.count} reviews at ≥ ${at}?`} onClose={close}>
      <p>Each is published to its trainer's profile once it syncs. Until then each stays marked “waiting to sync” and can be undone one by one.</p>
      <h3>{preview.sample.length < preview.count ? `A sample of ${preview.sample.length}` : 'The reviews'}</h3>
      <ul className={css.sample}>
        {preview.sample.map((r) => (
          <li key={r.id}>
            <strong>{r.businessName}</strong> <span className="muted">· AI {confidenceText(r.aiConfidence)}</span>
            <p>{firstLine(r.body, 120)}</p>
          </li>
        ))}
      </ul>
      <div className={ui.actions}>
        <button type="button" onClick={close}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={confirm} disabled={busy}>
          Approve {preview.count}
        </button>
      </div>
    </Dialog>
  );
}
