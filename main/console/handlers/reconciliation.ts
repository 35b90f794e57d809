// Payment reconciliation (spec 2.3) and its two fixes: online only, since
// each compares with Stripe on the server.
import { markPaymentFailed } from '../../../shared/commands/payments.ts';
import type { reconciliationMethods } from '../../../shared/ipc/methods.ts';
import type { HandlerContext, HandlersFor } from './context.ts';

export function createReconciliationHandlers(ctx: HandlerContext) {
  const { reconciliation, engine } = ctx;
  return {
    runReconciliation: () => reconciliation.run(),
    reconciliationReports: () => reconciliation.reports(),
    reconciliationReport: (id, format) => reconciliation.file(id, format),
    recoverMissedPayments: async () => {
      const r = await reconciliation.recover();
      void engine.syncOnce().catch(() => undefined); // the recovered purchase and its audit entries into the cache
      return r;
    },
    markPaymentFailed: (paymentId) => ctx.desk.online(markPaymentFailed, { paymentId }),
  } satisfies HandlersFor<typeof reconciliationMethods>;
}
