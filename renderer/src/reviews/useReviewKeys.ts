// The queue's keys: j/k move, a approves, s/p/o/n reject for one reason each
// (Spam, Profanity, Off-topic, Other), r opens the reject dialog (a note, or
// a reason picked there), x selects, ? shows the keys, Esc closes a dialog.
// They do nothing while a dialog is open or the operator types in a field.
import { useHotkeys } from 'react-hotkeys-hook';
import { REJECT_REASONS, reasonOfKey } from './describe.ts';
import type { ReviewsStore } from './store.ts';

export function useReviewKeys(store: ReviewsStore) {
  const get = () => store.getState();
  const free = { enabled: () => get().dialog === null };
  const act = (fn: () => void) => (e: KeyboardEvent) => {
    e.preventDefault();
    fn();
  };
  useHotkeys(
    'j',
    act(() => get().move(1)),
    free,
  );
  useHotkeys(
    'k',
    act(() => get().move(-1)),
    free,
  );
  useHotkeys(
    'a',
    act(() => void get().approve()),
    free,
  );
  useHotkeys(
    REJECT_REASONS.map((r) => r.key),
    (e, hotkey) => {
      const reason = reasonOfKey(hotkey.hotkey);
      if (!reason) return;
      e.preventDefault();
      void get().rejectAs(reason);
    },
    free,
  );
  useHotkeys(
    'r',
    act(() => get().openReject()),
    free,
  );
  useHotkeys(
    'x',
    act(() => get().toggleSelect()),
    free,
  );
  useHotkeys(
    '?',
    act(() => get().openKeys()),
    { ...free, useKey: true, ignoreModifiers: true },
  );
  useHotkeys('escape', () => get().closeDialog(), { enableOnFormTags: true });
}
