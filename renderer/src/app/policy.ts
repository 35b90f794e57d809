// The server's thresholds as main last pulled them (the bulk-approval line,
// the AI budget's switch line, the refund window, the sync cadence): screens
// show and apply these, never copies of their own. Null until the first pull.
import { createStore } from 'zustand/vanilla';
import type { OperatorPolicy } from '../../../shared/api/operator.ts';
import type { ConsoleApi } from '../../../shared/ipc/contract.ts';
import { valueOr, type NoticesStore } from '../ui/notices.ts';

export interface PolicyState {
  policy: OperatorPolicy | null;
  load(): Promise<OperatorPolicy | null>;
  /** The policy, asked of main only when none is held yet. */
  current(): Promise<OperatorPolicy | null>;
}

export function createPolicyStore(api: ConsoleApi, notices: NoticesStore) {
  /** Callers arriving while a read is under way share it (the refresher and the reviews store ask at once). */
  let reading: Promise<OperatorPolicy | null> | null = null;
  return createStore<PolicyState>()((set, get) => ({
    policy: null,
    load() {
      reading ??= api
        .policy()
        .then((r) => {
          const policy = valueOr(notices, r) ?? get().policy;
          set({ policy });
          return policy;
        })
        .finally(() => {
          reading = null;
        });
      return reading;
    },
    current: async () => get().policy ?? (await get().load()),
  }));
}
export type PolicyStore = ReturnType<typeof createPolicyStore>;
