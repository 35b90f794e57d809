// Resolve one alert with an optional note (kept on the alert by the server).
import { useState } from 'react';
import type { AlertView } from '../../../shared/ipc/contract.ts';
import { Badge } from '../ui/Badge.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import uiCss from '../ui/ui.module.css';
import css from './alerts.module.css';

export function ResolveDialog({ alert, busy, confirm, close }: { alert: AlertView; busy: boolean; confirm(note: string): void; close(): void }) {
  const [note, setNote] = useState('');
  return (
    <Dialog title="Resolve alert" onClose={close}>
      <p>
        <Badge tone={alert.severity}>{alert.severity}</Badge> {alert.message}
      </p>
      <p className="muted">Queued like any decision: the alert closes on the server at the next sync.</p>
      <div className={css.note}>
        <label htmlFor="resolve-note">Resolution note (optional)</label>
        <textarea id="resolve-note" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <div className={uiCss.actions}>
        <button type="button" onClick={close}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={busy} onClick={() => confirm(note)}>
          Resolve alert
        </button>
      </div>
    </Dialog>
  );
}
