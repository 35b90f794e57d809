// A modal dialog: focus moves in, Escape closes, and it is labelled by its heading.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import css from './ui.module.css';

export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>('textarea, select, input, button');
    first?.focus();
  }, []);
  return (
    // A click on the backdrop closes, as Esc does from the keyboard (the dialog's own handler); the backdrop itself is not a control.
    // biome-ignore lint/a11y/noStaticElementInteractions: see above
    <div className={css.dialogBackdrop} onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={id}
        className={css.dialog}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <h2 id={id}>{title}</h2>
        {children}
      </div>
    </div>
  );
}
