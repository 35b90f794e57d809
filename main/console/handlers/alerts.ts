// Open alerts (RED first) and resolving one, queued like any decision.
import type { AlertItem } from '../../../shared/api/operator.ts';
import { resolveAlert } from '../../../shared/commands/alerts.ts';
import type { alertsMethods } from '../../../shared/ipc/methods.ts';
import { mustGet, parseRows, withDecisions, type HandlerContext, type HandlersFor } from './context.ts';

export const redFirst = (a: AlertItem, b: AlertItem) => (a.severity === b.severity ? (a.openedAt < b.openedAt ? -1 : 1) : a.severity === 'RED' ? -1 : 1);

export function createAlertsHandlers(ctx: HandlerContext) {
  const { store, desk } = ctx;
  return {
    alerts: () => withDecisions(ctx, parseRows<AlertItem>(store.items('alert', 'open')).sort(redFirst)),
    resolveAlert: (alertId, note) => {
      mustGet<AlertItem>(ctx, 'alert', alertId, 'alert');
      return desk.queue(resolveAlert, { alertId, ...(note ? { note } : {}) });
    },
  } satisfies HandlersFor<typeof alertsMethods>;
}
