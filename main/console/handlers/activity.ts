// The activity log (the audit entries the pull brought), newest first, with a text filter.
import type { ActivityItem } from '../../../shared/api/operator.ts';
import type { activityMethods } from '../../../shared/ipc/methods.ts';
import { parseRows, type HandlerContext, type HandlersFor } from './context.ts';

export function createActivityHandlers(ctx: HandlerContext) {
  return {
    activity: (f?: { search?: string }) => {
      const needle = f?.search?.trim().toLowerCase();
      return parseRows<ActivityItem>(ctx.store.items('activity'))
        .filter(
          (a) =>
            !needle || `${a.action} ${a.actorKind} ${a.subjectType ?? ''} ${a.subjectId ?? ''} ${JSON.stringify(a.details)}`.toLowerCase().includes(needle),
        )
        .sort((a, b) => b.id - a.id);
    },
  } satisfies HandlersFor<typeof activityMethods>;
}
