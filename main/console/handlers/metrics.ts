// The Monday check's overview from the cache, the pull's metrics snapshot and
// policy (the server's thresholds), and spec 3.2's full metrics from the
// server (offline: the last one kept).
import { COMPLAINT_KIND, type ComplaintItem } from '../../../shared/api/complaints.ts';
import type { MetricsReport } from '../../../shared/api/metrics.ts';
import type { AlertItem } from '../../../shared/api/operator.ts';
import type { metricsMethods } from '../../../shared/ipc/methods.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import { parseRows, type HandlerContext, type HandlersFor } from './context.ts';
import { escalationViews } from './escalations.ts';

export function createMetricsHandlers(ctx: HandlerContext) {
  const { store, desk } = ctx;
  return {
    overview: () => {
      const open = parseRows<AlertItem>(store.items('alert', 'open'));
      const local = desk.decisions();
      const count = (kind: string) => {
        const ids = store.ids(kind, 'pending');
        return { pending: ids.length, waiting: ids.filter((i) => local.has(i)).length };
      };
      const reviews = count('review');
      const refunds = count('refund');
      const complaints = count('complaint');
      const complaintMinutes = parseRows<ComplaintItem>(store.items('complaint', 'pending'))
        .filter((c) => !local.has(c.id))
        .reduce((m, c) => m + COMPLAINT_KIND[c.kind].minutes, 0);
      const openRed = open.filter((a) => a.severity === 'RED').length;
      const openYellow = open.length - openRed;
      return {
        level: openRed ? ('RED' as const) : openYellow ? ('YELLOW' as const) : ('GREEN' as const),
        openRed,
        openYellow,
        pendingReviews: reviews.pending,
        reviewsWaitingToSync: reviews.waiting,
        pendingRefunds: refunds.pending,
        refundsWaitingToSync: refunds.waiting,
        pendingComplaints: complaints.pending,
        complaintsWaitingToSync: complaints.waiting,
        complaintMinutes,
        overdueEscalations: escalationViews(ctx)
          .filter((e) => e.overdue)
          .sort((a, b) => (a.dueAt < b.dueAt ? -1 : 1)),
        asOf: store.meta('last_pull_server_time'),
      };
    },
    metrics: () => {
      const m = store.meta('metrics');
      return m ? JSON.parse(m) : null;
    },
    policy: () => store.policy(),
    metricsReport: async () => {
      try {
        const report = await ctx.investigation.metrics();
        store.setMeta('metrics_report', JSON.stringify(report));
        return { report, stale: false, note: null };
      } catch (err) {
        const kept = store.meta('metrics_report');
        if (!kept || !(err instanceof ConsoleError) || err.kind !== 'offline') throw err;
        const report = JSON.parse(kept) as MetricsReport;
        return { report, stale: true, note: 'You are offline: this is the last snapshot kept here, as of the time above.' };
      }
    },
  } satisfies HandlersFor<typeof metricsMethods>;
}
