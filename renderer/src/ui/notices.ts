// Errors in one place: every store sends a failed call's message here, shown
// as main wrote it; successes the operator should see ("Queued 40 approvals")
// too.
import { createStore } from 'zustand/vanilla';
import type { ConsoleFailure, Result } from '../../../shared/ipc/result.ts';

export interface Notice {
  id: number;
  tone: 'error' | 'info';
  message: string;
  kind?: ConsoleFailure['kind'];
}

export interface NoticesState {
  notices: Notice[];
  push(tone: Notice['tone'], message: string, kind?: ConsoleFailure['kind']): void;
  dismiss(id: number): void;
}

/** How long a success stays: long enough to read a file name and its SHA-256; errors stay until dismissed. */
export const INFO_NOTICE_MS = 15_000;

export const createNoticesStore = (opts: { infoMs?: number } = {}) => {
  let next = 1;
  return createStore<NoticesState>()((set, get) => ({
    notices: [],
    push: (tone, message, kind) => {
      const id = next++;
      set((s) => ({ notices: [...s.notices.slice(-4), { id, tone, message, kind }] }));
      // A success left on screen piles up with the next ones and covers the work (the playbooks' exports did).
      if (tone === 'info') setTimeout(() => get().dismiss(id), opts.infoMs ?? INFO_NOTICE_MS);
    },
    dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  }));
};
export type NoticesStore = ReturnType<typeof createNoticesStore>;

/** The value of a Result, or null after telling the operator why not. */
export function valueOr<T>(notices: NoticesStore, result: Result<T>): T | null {
  if (result.ok) return result.value;
  notices.getState().push('error', result.error.message, result.error.kind);
  return null;
}
