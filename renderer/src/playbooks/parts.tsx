// The pieces every playbook's steps are made of: a step (named by its title,
// its state in words, "Skip…" while it is to do), an action previewed in a
// dialog before it is sent, and the skip dialog that asks why. Props only.
import { createContext, useContext, useId, useState, type ReactNode } from 'react';
import type { PlaybookRun, StepState } from '../../../shared/api/playbooks.ts';
import { Badge } from '../ui/Badge.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { Time } from '../ui/Time.tsx';
import uiCss from '../ui/ui.module.css';
import css from './playbooks.module.css';
import type { PlaybooksState, WaitingStep } from './store.ts';

/** What a playbook's step panels are given: the store's state and actions, the run's facts, and whether the run is final (nothing to do). */
export interface PanelProps<F> {
  s: PlaybooksState;
  facts: F;
  run: PlaybookRun;
  locked: boolean;
}

/** Whether the step being drawn is still to do: its "Mark as …" shows only then (pressing it again would record the step twice). */
const StepOpen = createContext(true);

export function StepItem(p: {
  title: string;
  state: StepState | undefined;
  waiting: WaitingStep | undefined;
  locked: boolean;
  skip(): void;
  children: ReactNode;
}) {
  const id = useId();
  const status = p.state?.status ?? 'todo';
  return (
    <li aria-labelledby={id} className={css.step}>
      <div className={css.stepHead}>
        <h3 id={id}>{p.title}</h3>
        <StepStatus state={p.state} waiting={p.waiting} />
      </div>
      <StepOpen.Provider value={status === 'todo' && !p.waiting}>{p.children}</StepOpen.Provider>
      {status === 'todo' && !p.waiting && !p.locked ? (
        <div className={css.actions}>
          <button type="button" onClick={p.skip}>
            Skip…
          </button>
        </div>
      ) : null}
    </li>
  );
}

function StepStatus({ state, waiting }: { state: StepState | undefined; waiting: WaitingStep | undefined }) {
  if (waiting) {
    return <Badge tone="NEUTRAL">{waiting.outcome === 'done' ? 'Done here: waiting to sync' : `Skipped here: ${waiting.note ?? ''} (waiting to sync)`}</Badge>;
  }
  if (!state || state.status === 'todo') return <Badge tone="YELLOW">To do</Badge>;
  if (state.status === 'skipped') return <Badge tone="NEUTRAL">{`Skipped: ${state.reason ?? 'no reason recorded'}`}</Badge>;
  return (
    <span>
      <Badge tone="GREEN">Done</Badge>{' '}
      {state.at ? (
        <span className="muted">
          <Time at={state.at} />
        </span>
      ) : null}
    </span>
  );
}

/** A risky action: the button opens a dialog that says what it will do, and only its confirm sends it. */
export function PreviewButton(p: { label: string; title: string; text: string; confirm: string; disabled?: boolean; primary?: boolean; onConfirm(): void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={p.primary ? 'primary' : undefined} disabled={p.disabled} onClick={() => setOpen(true)}>
        {p.label}
      </button>
      {open ? (
        <Dialog title={p.title} onClose={() => setOpen(false)}>
          <p>{p.text}</p>
          <div className={uiCss.actions}>
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => {
                setOpen(false);
                p.onConfirm();
              }}
            >
              {p.confirm}
            </button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}

/** Nothing is deleted: a skipped step keeps the reason, which is required. */
export function SkipDialog({ title, busy, skip, close }: { title: string; busy: boolean; skip(reason: string): void; close(): void }) {
  const [reason, setReason] = useState('');
  const id = useId();
  return (
    <Dialog title={`Skip “${title}”`} onClose={close}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim()) skip(reason);
        }}
      >
        <label htmlFor={id}>Why is this step skipped? (kept in the timeline)</label>
        {/* Full width under its label, as the steps' own text boxes (unstyled, it sat beside the label, a few words wide). */}
        <textarea id={id} className={css.message} required maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} />
        <div className={uiCss.actions}>
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !reason.trim()}>
            Skip the step
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** "Mark as …": a step whose action is reading or telling, recorded done. */
export function MarkDone({ label, disabled, onClick }: { label: string; disabled: boolean; onClick(): void }) {
  if (!useContext(StepOpen)) return null;
  return (
    <button type="button" disabled={disabled} onClick={onClick}>
      {label}
    </button>
  );
}
