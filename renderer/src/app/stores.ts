// Every domain's store, made from one API (the preload's, the bridge's, or a
// test's fake).
import type { ConsoleApi } from '../../../shared/ipc/contract.ts';
import { createCronStore } from '../cron/store.ts';
import { createDashboardStore } from '../dashboard/store.ts';
import { createSessionStore } from '../session/store.ts';
import { createReviewsStore } from '../reviews/store.ts';
import { createNoticesStore } from '../ui/notices.ts';
import { createNavStore } from './nav.ts';

export function createStores(api: ConsoleApi) {
  const notices = createNoticesStore();
  return {
    api,
    notices,
    nav: createNavStore(),
    session: createSessionStore(api),
    dashboard: createDashboardStore(api, notices),
    cron: createCronStore(api, notices),
    reviews: createReviewsStore(api, notices),
  };
}
export type Stores = ReturnType<typeof createStores>;
