import { useStore } from 'zustand';
import type { NoticesStore } from './notices.ts';
import css from './ui.module.css';

export function Notices({ store }: { store: NoticesStore }) {
  const { notices, dismiss } = useStore(store);
  return (
    <div className={css.notices} aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} role={n.tone === 'error' ? 'alert' : 'status'} className={n.tone === 'error' ? css.noticeError : css.noticeInfo}>
          <span>{n.message}</span>
          <button type="button" className={css.linkButton} onClick={() => dismiss(n.id)} aria-label="Dismiss message">
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
