// Every domain's store, made from one API (the preload's, the bridge's, or a
// test's fake), and the one refresher that keeps them current: which screen
// shows which stores, and which kinds of change each store reads.
import type { ConsoleApi } from '../../../shared/ipc/contract.ts';
import { createAlertsStore } from '../alerts/store.ts';
import { createComplaintsStore } from '../complaints/store.ts';
import { createCronStore } from '../cron/store.ts';
import { createDashboardStore } from '../dashboard/store.ts';
import { createEmailsStore } from '../emails/store.ts';
import { createEscalationsStore } from '../escalations/store.ts';
import { createMetricsStore } from '../metrics/store.ts';
import { createPlaybooksStore } from '../playbooks/store.ts';
import { createReconciliationStore } from '../reconciliation/store.ts';
import { createRefundPatternStore } from '../refunds/pattern.ts';
import { createRefundsStore } from '../refunds/store.ts';
import { createSessionStore } from '../session/store.ts';
import { createSettingsStore } from '../settings/store.ts';
import { createSyncStore } from '../sync/store.ts';
import { createReviewsStore } from '../reviews/store.ts';
import { createNoticesStore } from '../ui/notices.ts';
import { createWeekStore } from '../week/store.ts';
import { createNavStore } from './nav.ts';
import { createPolicyStore } from './policy.ts';
import { createRefresher, type Refreshable } from './refresh.ts';

export function createStores(api: ConsoleApi) {
  // With the API, a notice about queued decisions follows them out of the outbox (its words change at the sync that sends them).
  const notices = createNoticesStore({ api });
  const nav = createNavStore();
  const policy = createPolicyStore(api, notices);
  const stores = {
    api,
    notices,
    nav,
    policy,
    session: createSessionStore(api),
    dashboard: createDashboardStore(api, notices),
    cron: createCronStore(api, notices),
    reviews: createReviewsStore(api, notices, policy),
    refunds: createRefundsStore(api, notices),
    refundPattern: createRefundPatternStore(api),
    alerts: createAlertsStore(api, notices),
    emails: createEmailsStore(api, notices),
    reconciliation: createReconciliationStore(api),
    complaints: createComplaintsStore(api, notices),
    metrics: createMetricsStore(api),
    sync: createSyncStore(api, notices),
    settings: createSettingsStore(api, notices),
    playbooks: createPlaybooksStore(api),
    escalations: createEscalationsStore(api, notices),
    week: createWeekStore(api, notices, nav),
  };
  const loads = (store: { getState(): { load(): Promise<unknown> } }, kinds: Refreshable['kinds'], local = false): Refreshable => ({
    kinds,
    local,
    reload: () => store.getState().load(),
  });
  // A refused decision leaves the outbox without its item changing on the server: the verdicts say so.
  // The policy is read where a screen shows it (the reviews' bulk line, the metrics' AI budget line), not on every
  // screen: the dashboard's first paint waits on nothing but its own five calls.
  const policyShown: Refreshable = { kinds: ['policy'], reload: () => policy.getState().load() };
  // The week's run shows on every screen while it is open (its panel), and moves with the work of its sessions.
  const weekShown: Refreshable = {
    kinds: ['reviews', 'refunds', 'complaints', 'cronRuns', 'runs', 'alerts', 'escalations', 'outbox', 'verdicts'],
    // Without an open run the panel shows nothing: only the first load (is a run open?) and the run's own page read it.
    reload: (changed) =>
      changed === null || stores.week.getState().view?.run || nav.getState().screen === 'week' ? stores.week.getState().load() : Promise.resolve(),
  };
  const mondayShown = loads(stores.week, ['alerts', 'runs']);
  const refresh = createRefresher(api, nav, {
    everywhere: [weekShown],
    screens: {
      dashboard: [
        { kinds: 'every', local: true, reload: (changed) => (changed ? stores.dashboard.getState().refresh(changed) : stores.dashboard.getState().load()) },
        // The Monday check's choices beside each RED alert.
        mondayShown,
      ],
      week: [mondayShown],
      // The review's business may be under a legal freeze: the detail says so.
      reviews: [loads(stores.reviews, ['reviews', 'verdicts'], true), policyShown, loads(stores.escalations, ['escalations'])],
      metrics: [policyShown],
      refunds: [loads(stores.refunds, ['refunds', 'escalations', 'verdicts'], true)],
      complaints: [loads(stores.complaints, ['complaints', 'escalations', 'verdicts'], true)],
      cron: [loads(stores.cron, ['cronRuns'])],
      alerts: [loads(stores.alerts, ['alerts', 'activity', 'accounts', 'incidents', 'verdicts'], true)],
      emails: [loads(stores.emails, ['emails'])],
      sync: [loads(stores.sync, ['outbox', 'verdicts'], true)],
      settings: [loads(stores.settings, ['flags', 'metrics'])],
      escalations: [loads(stores.escalations, ['escalations', 'verdicts'], true)],
      // The dossier shows the freeze of its business.
      investigate: [loads(stores.escalations, ['escalations'])],
      // The run's steps, its timeline and its alert move with the incidents and alerts a sync brings; a step recorded
      // offline lands as an audit entry (activity), not as a change of the incident row, so that reloads it too.
      playbook: [loads(stores.playbooks, ['incidents', 'alerts', 'activity'])],
    },
  });
  return { ...stores, refresh };
}
export type Stores = ReturnType<typeof createStores>;
