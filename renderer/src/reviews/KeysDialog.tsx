// "?": the screen's keys.
import { Dialog } from '../ui/Dialog.tsx';
import ui from '../ui/ui.module.css';
import { REJECT_REASONS } from './describe.ts';
import css from './reviews.module.css';

export const REVIEW_KEYS: [string, string][] = [
  ['j', 'Next review'],
  ['k', 'Previous review'],
  ['a', 'Approve the review at the cursor'],
  ...REJECT_REASONS.map(({ key, label }): [string, string] => [key, `Reject as ${label}: the selected reviews, or the one at the cursor`]),
  ['r', 'Reject with a note (or pick the reason): the selected reviews, or the one at the cursor'],
  ['x', 'Select or unselect the review at the cursor'],
  ['?', 'Show these keys'],
  ['Esc', 'Close a dialog'],
];

export function KeysDialog({ close }: { close(): void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={close}>
      <dl className={css.keys}>
        {REVIEW_KEYS.map(([key, what]) => (
          <div key={key} style={{ display: 'contents' }}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p className="muted">Keys do nothing while you type in a field.</p>
      <div className={ui.actions}>
        <button type="button" onClick={close}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
