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

export const createNoticesStore = () => {
  let next = 1;
  return createStore<NoticesState>()((set) => ({
    notices: [],
    push: (tone, message, kind) => set((s) => ({ notices: [...s.notices.slice(-4), { id: next++, tone, message, kind }] })),
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
