// What the status line says of an action sent at once (on a live view: the
// dossier, the refund pattern). Main sends it within the call and answers
// its verdict: applied, refused (the server's words), or queued because the
// console is offline. Nothing here works it out again.
import type { CommandOutcome, Result } from '../../../shared/ipc/contract.ts';

export function sentWords(r: Result<CommandOutcome>, done: string): { done: string | null; error: string | null } {
  if (!r.ok) return { done: null, error: r.error.message };
  switch (r.value.status) {
    case 'applied':
      return { done, error: null };
    case 'queued':
      return { done: `${done}: queued, sent when you are back online`, error: null };
    case 'rejected':
      return { done: null, error: `Refused: ${r.value.reason ?? 'the server refused it'}` };
  }
}
