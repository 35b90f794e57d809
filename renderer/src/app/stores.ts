// Every domain's store, made from one API (the preload's, the bridge's, or a
// test's fake).
import type { ConsoleApi } from '../../../shared/ipc/contract.ts';
import { createAlertsStore } from '../alerts/store.ts';
import { createComplaintsStore } from '../complaints/store.ts';
import { createCronStore } from '../cron/store.ts';
import { createDashboardStore } from '../dashboard/store.ts';
import { createEmailsStore } from '../emails/store.ts';
import { createMetricsStore } from '../metrics/store.ts';
import { createReconciliationStore } from '../reconciliation/store.ts';
import { createRefundPatternStore } from '../refunds/pattern.ts';
import { createRefundsStore } from '../refunds/store.ts';
import { createSessionStore } from '../session/store.ts';
import { createSettingsStore } from '../settings/store.ts';
import { createSyncStore } from '../sync/store.ts';
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
    refunds: createRefundsStore(api, notices),
    refundPattern: createRefundPatternStore(api),
    alerts: createAlertsStore(api, notices),
    emails: createEmailsStore(api, notices),
    reconciliation: createReconciliationStore(api),
    complaints: createComplaintsStore(api, notices),
    metrics: createMetricsStore(api),
    sync: createSyncStore(api, notices),
    settings: createSettingsStore(api, notices),
  };
}
export type Stores = ReturnType<typeof createStores>;
