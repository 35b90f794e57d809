// The week's refund requests (spec 2.2), oldest purchase first as main sorts
// them. Eligibility, the window and the email each decision sends come from
// the server; this store never recomputes them. A decision is queued in main
// ("waiting to sync") and can be taken back until it is sent. The policy run
// (issue 21) decides every request it can at once: main previews what it
// would decide, and applies exactly the outcomes the operator read.
import { createStore } from 'zustand/vanilla';
import type { ConsoleApi, RefundDecision, RefundPolicyPreview, RefundView } from '../../../shared/ipc/contract.ts';
import { valueOr, type NoticesStore } from '../ui/notices.ts';

export interface RefundsState {
  loaded: boolean;
  refunds: RefundView[];
  /** The decision dialog: which request, which decision. */
  deciding: { refundId: string; kind: RefundDecision['kind'] } | null;
  /** The policy dialog: main's preview of what "Apply the refund policy" decides and leaves out. */
  policy: RefundPolicyPreview | null;
  busy: boolean;
  load(): Promise<void>;
  open(refundId: string, kind: RefundDecision['kind']): void;
  close(): void;
  /** Queues the open dialog's decision; true when main accepted it. */
  decide(note: string): Promise<boolean>;
  undo(commandId: string): Promise<void>;
  /** Asks main what the policy would decide now and opens its dialog (not when it would decide none). */
  openPolicy(): Promise<void>;
  closePolicy(): void;
  /** Queues the previewed outcomes in one call, all or nothing; true when main accepted them. Refused, the dialog shows main's preview anew. */
  applyPolicy(): Promise<boolean>;
}

/**
 * How many requests the policy run would decide, for the button: the pending
 * ones with no decision waiting here and no legal freeze (main answers the
 * same in its preview, which the dialog shows).
 */
export const policyCount = (refunds: RefundView[]) => refunds.filter((r) => r.status === 'pending' && !r.localDecision && !r.freeze).length;

export function createRefundsStore(api: ConsoleApi, notices: NoticesStore) {
  const store = createStore<RefundsState>()((set, get) => ({
    loaded: false,
    refunds: [],
    deciding: null,
    policy: null,
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
    async openPolicy() {
      if (get().busy) return;
      set({ busy: true });
      const preview = valueOr(notices, await api.previewRefundPolicy());
      set({ busy: false });
      if (!preview) return;
      if (preview.count === 0) {
        notices.getState().push('info', 'The refund policy has no request left to decide: each is decided here or frozen.');
        await get().load();
        return;
      }
      set({ policy: preview, deciding: null });
    },
    closePolicy: () => set({ policy: null }),
    async applyPolicy() {
      const preview = get().policy;
      if (!preview || get().busy) return false;
      set({ busy: true });
      const r = await api.applyRefundPolicy(preview.decide.map((o) => ({ id: o.refundId, outcome: o.outcome })));
      const ids = valueOr(notices, r);
      if (ids) {
        set({ busy: false, policy: null });
        await get().load();
        return true;
      }
      // Refused, nothing queued: the notice says what changed; the dialog shows what the policy would decide now.
      const fresh = await api.previewRefundPolicy();
      set({ busy: false, policy: fresh.ok && fresh.value.count > 0 ? fresh.value : null });
      await get().load();
      return false;
    },
  }));
  return store;
}
export type RefundsStore = ReturnType<typeof createRefundsStore>;
