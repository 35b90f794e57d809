// A queued command the operator wants to see take effect at once (an action
// on a live view: the dossier, the refund pattern): sync now, then say what
// became of it: sent, refused (the server's verdict, in its words), or still
// queued because the console is offline.
import type { ConsoleApi, Result } from '../../../shared/ipc/contract.ts';

export type SendOutcome = { kind: 'sent' } | { kind: 'queued' } | { kind: 'refused'; reason: string } | { kind: 'failed'; error: string };

export async function sendNow(api: ConsoleApi, queued: Result<string>): Promise<SendOutcome> {
  if (!queued.ok) return { kind: 'failed', error: queued.error.message };
  await api.syncNow();
  const [verdicts, outbox] = await Promise.all([api.verdicts(), api.outbox()]);
  const refused = verdicts.ok ? verdicts.value.find((v) => v.commandId === queued.value) : undefined;
  if (refused) return { kind: 'refused', reason: refused.reason };
  return outbox.ok && !outbox.value.some((e) => e.commandId === queued.value) ? { kind: 'sent' } : { kind: 'queued' };
}

/** What the status line says after `sendNow`. */
export function sentWords(outcome: SendOutcome, done: string): { done: string | null; error: string | null } {
  switch (outcome.kind) {
    case 'sent':
      return { done, error: null };
    case 'queued':
      return { done: `${done}: queued, sent when you are back online`, error: null };
    case 'refused':
      return { done: null, error: `Refused: ${outcome.reason}` };
    case 'failed':
      return { done: null, error: outcome.error };
  }
}
