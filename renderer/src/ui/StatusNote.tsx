import css from './ui.module.css';

/**
 * A screen's one-line answer to the last thing the operator did (an error in
 * main's words, or what an action did). The live region is always there, so
 * a screen reader hears each new text; empty, it takes no room.
 */
export function StatusNote({ text, live = true }: { text: string | null | undefined; live?: boolean }) {
  if (!live) return text ? <p className={css.statusNote}>{text}</p> : null;
  return (
    <p role="status" className={text ? css.statusNote : 'visually-hidden'}>
      {text ?? ''}
    </p>
  );
}
