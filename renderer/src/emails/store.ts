// The server's email outbox as last pulled: what trainers and reviewers were
// sent, and whether it left (queued, sent, or failed with the provider's
// error). Read-only here: emails are queued by the server with the change
// they report, or by an operator command.
import { createStore } from 'zustand/vanilla';
import type { EmailItem } from '../../../shared/api/operator.ts';
import type { ConsoleApi } from '../../../shared/ipc/contract.ts';
import { valueOr, type NoticesStore } from '../ui/notices.ts';

export type EmailFilter = 'all' | EmailItem['status'];

export interface EmailsState {
  loaded: boolean;
  emails: EmailItem[];
  filter: EmailFilter;
  load(): Promise<void>;
  setFilter(filter: EmailFilter): void;
}

/** How many emails are in each state. */
export function countByStatus(emails: EmailItem[]): Record<EmailItem['status'], number> {
  const counts = { queued: 0, sent: 0, failed: 0 };
  for (const e of emails) counts[e.status]++;
  return counts;
}

export function createEmailsStore(api: ConsoleApi, notices: NoticesStore) {
  const store = createStore<EmailsState>()((set, get) => ({
    loaded: false,
    emails: [],
    filter: 'all',
    async load() {
      const r = await api.emails();
      set({ loaded: true, emails: valueOr(notices, r) ?? get().emails });
    },
    setFilter: (filter) => set({ filter }),
  }));
  return store;
}
export type EmailsStore = ReturnType<typeof createEmailsStore>;
