// Playbook 5's analysis on the Refunds screen: read from the server on
// demand (online only), and the playbook's action on a repeat refunder,
// flagging the account, queued and sent at once so the analysis shows it.
import { createStore } from 'zustand/vanilla';
import type { RefundPattern } from '../../../shared/api/refund-pattern.ts';
import type { ConsoleApi } from '../../../shared/ipc/contract.ts';
import { sentWords } from '../ui/send-now.ts';

export interface RefundPatternState {
  busy: boolean;
  pattern: RefundPattern | null;
  error: string | null;
  done: string | null;
  analyze(): Promise<void>;
  flag(trainer: RefundPattern['trainers'][number]): Promise<void>;
}

export function createRefundPatternStore(api: ConsoleApi) {
  const store = createStore<RefundPatternState>()((set, get) => ({
    busy: false,
    pattern: null,
    error: null,
    done: null,
    async analyze() {
      set({ busy: true, error: null });
      const r = await api.refundPattern();
      set(r.ok ? { busy: false, pattern: r.value } : { busy: false, error: r.error.message });
    },
    async flag(t) {
      const days = get().pattern?.days ?? 7;
      const reason = `${t.refunds} refunds of ${t.purchases} purchases in ${days} days, possible abuse (refund pattern)`;
      set({ busy: true, error: null, done: null });
      const r = await api.flagAccount(t.ownerId, reason);
      set({ busy: false, ...sentWords(r, `Flagged ${t.ownerName ?? t.email ?? 'the trainer'}'s account for review`) });
      // Applied: the analysis again, to show the account flagged (what it said stays).
      if (r.ok && r.value.status === 'applied') {
        const { done } = get();
        await get().analyze();
        set({ done });
      }
    },
  }));
  return store;
}
export type RefundPatternStore = ReturnType<typeof createRefundPatternStore>;
