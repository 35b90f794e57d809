// Trainer complaints (spec 2.5) from the cache, and the investigation of the
// business named (online only). Closing a complaint and the dossier's
// actions are sent at once and answer their verdict (queued when offline).
import { COMPLAINT_KIND, type ComplaintItem } from '../../../shared/api/complaints.ts';
import { closeComplaint } from '../../../shared/commands/complaints.ts';
import { replyToReviewer } from '../../../shared/commands/emails.ts';
import { reinstateReview } from '../../../shared/commands/reviews.ts';
import type { complaintsMethods } from '../../../shared/ipc/methods.ts';
import { freezesByBusiness } from './escalations.ts';
import { mustGet, oldestFirst, parseRows, withDecisions, type HandlerContext, type HandlersFor, type ListFilter } from './context.ts';

export function createComplaintsHandlers(ctx: HandlerContext) {
  const { store, desk, investigation } = ctx;
  return {
    complaints: (f?: ListFilter) => {
      const frozen = freezesByBusiness(ctx);
      return withDecisions(ctx, parseRows<ComplaintItem>(store.items('complaint', f?.status === 'all' ? undefined : 'pending')).sort(oldestFirst)).map((c) => ({
        ...c,
        minutes: COMPLAINT_KIND[c.kind].minutes,
        freeze: frozen.get(c.businessId) ?? null,
      }));
    },
    closeComplaint: (complaintId, resolution) => {
      const c = mustGet<ComplaintItem>(ctx, 'complaint', complaintId, 'complaint');
      return desk.send(closeComplaint, { complaintId, businessId: c.businessId, resolution }, c.version);
    },
    investigate: (query) => investigation.investigate(query),
    checkQueue: (councilId) => investigation.checkQueue(councilId),
    replyToReviewer: (reviewId, businessId, to, note) => desk.send(replyToReviewer, { reviewId, businessId, to, ...(note ? { note } : {}) }),
    // Not a cached decision (the review is decided, so the cache would refuse it): the server checks the version the dossier showed.
    reinstateReview: (reviewId, businessId, version, cause, note) =>
      desk.send(reinstateReview, { reviewId, businessId, cause, ...(note ? { note } : {}) }, version),
  } satisfies HandlersFor<typeof complaintsMethods>;
}
