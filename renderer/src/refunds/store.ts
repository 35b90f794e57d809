// The week's refund requests (spec 2.2), oldest purchase first as main sorts
// them. Eligibility, the window and the email each decision sends come from
// the server; this store never recomputes them. A decision is queued in main
// ("waiting to sync") and can be taken back until it is sent.
import { createStore } from 'zustand/vanilla';
import type { ConsoleApi, RefundDecision, RefundView } from '../../../shared/ipc/contract.ts';
import { valueOr, type NoticesStore } from '../ui/notices.ts';

export interface RefundsState {
  loaded: boolean;
  refunds: RefundView[];
  /** The decision dialog: which request, which decision. */
  deciding: { refundId: string; kind: RefundDecision['kind'] } | null;
  busy: boolean;
  load(): Promise<void>;
  open(refundId: string, kind: RefundDecision['kind']): void;
  close(): void;
  /** Queues the open dialog's decision; true when main accepted it. */
  decide(note: string): Promise<boolean>;
  undo(commandId: string): Promise<void>;
}

export function createRefundsStore(api: ConsoleApi, notices: NoticesStore) {
  const store = createStore<RefundsState>()((set, get) => ({
    loaded: false,
    refunds: [],
    deciding: null,
    busy: false,
    async load() {
      const r = await api.refunds({ status: 'pending' });
      set({ loaded: true, refunds: valueOr(notices, r) ?? get().refunds });
    },
    open: (refundId, kind) => set({ deciding: { refundId, kind } }),
    close: () => set({ deciding: null }),
    async decide(note) {
      const d = get().deciding;
      if (!d) return false;
      set({ busy: true });
      const trimmed = note.trim();
      const r = await api.decideRefund(d.refundId, { kind: d.kind, ...(trimmed ? { note: trimmed } : {}) });
      const queued = valueOr(notices, r) !== null;
      set({ busy: false, ...(queued ? { deciding: null } : {}) });
      await get().load();
      return queued;
    },
    async undo(commandId) {
      valueOr(notices, await api.cancelCommand(commandId));
      await get().load();
    },
  }));
  return store;
}
export type RefundsStore = ReturnType<typeof createRefundsStore>;
