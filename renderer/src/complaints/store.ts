// Complaints and investigations (spec 2.5, playbooks 2 and 4). The pending
// complaints come from the cache (closing one is a decision like any other:
// queued, offline too). The investigation is online only: a query (email,
// name, business id, payment id) gives the businesses it names and, for one,
// its dossier; each action is a command (queued, then sent at once when
// online so the dossier shows its effect) or the sweep.
import { createStore } from 'zustand/vanilla';
import type { Dossier, InvestigateAnswer, QueueCheckAnswer } from '../../../shared/api/investigation.ts';
import type { ReinstateCause } from '../../../shared/commands/reviews.ts';
import type { CommandOutcome, ComplaintView, ConsoleApi, Result } from '../../../shared/ipc/contract.ts';
import { valueOr, type NoticesStore } from '../ui/notices.ts';
import { sentWords } from '../ui/send-now.ts';

export type EmailTemplate = 'queue_position_reply' | 'search_help' | 'featured_activated';
export type { ReinstateCause };

export interface ComplaintsState {
  loaded: boolean;
  complaints: ComplaintView[];
  /** The complaint the investigation was opened from (its close form shows on the dossier). */
  current: ComplaintView | null;
  query: string;
  busy: boolean;
  answer: InvestigateAnswer | null;
  queueCheck: QueueCheckAnswer | null;
  /** Why the last online call failed (offline, refused), in main's words. */
  error: string | null;
  /** What the last action did, in words. */
  done: string | null;
  load(): Promise<void>;
  /** Opens the investigation of a complaint's business. */
  open(complaint: ComplaintView): Promise<void>;
  investigate(query: string): Promise<void>;
  recover(): Promise<void>;
  activate(paymentId: string): Promise<void>;
  email(template: EmailTemplate): Promise<void>;
  replyToReviewer(reviewId: string, to: string, note: string): Promise<void>;
  /** Approves a rejected review on appeal (the AI's false positive or an operator's mistake). */
  reinstate(review: { id: string; version: number }, cause: ReinstateCause, note: string): Promise<void>;
  flag(reason: string): Promise<void>;
  checkQueue(): Promise<void>;
  close(resolution: string): Promise<boolean>;
}

const EMAILED: Record<EmailTemplate, string> = {
  queue_position_reply: 'the queue position and its ETA',
  search_help: 'what to complete and what to search for',
  featured_activated: 'that the placement is active',
};

export function createComplaintsStore(api: ConsoleApi, notices: NoticesStore) {
  const dossier = (): Dossier | null => store.getState().answer?.dossier ?? null;
  /**
   * An action main sends at once: its verdict is shown from the one call's
   * answer; when it was applied, the dossier is read again to show its effect.
   */
  const act = async (call: Promise<Result<CommandOutcome>>, done: string) => {
    store.setState({ busy: true, error: null, done: null });
    const r = await call;
    store.setState({ busy: false, ...sentWords(r, done) });
    if (r.ok && r.value.status === 'applied') await refresh();
  };
  /** The dossier read again; what the action said stays on the status line. */
  const refresh = async () => {
    const d = dossier();
    if (!d) return;
    const { done, error } = store.getState();
    await store.getState().investigate(d.business.id);
    store.setState({ done, error: store.getState().error ?? error });
  };
  const store = createStore<ComplaintsState>()((set, get) => ({
    loaded: false,
    complaints: [],
    current: null,
    query: '',
    busy: false,
    answer: null,
    queueCheck: null,
    error: null,
    done: null,
    async load() {
      const r = await api.complaints({ status: 'pending' });
      set({ loaded: true, complaints: valueOr(notices, r) ?? get().complaints });
    },
    async open(complaint) {
      set({ current: complaint, done: null, queueCheck: null });
      await get().investigate(complaint.businessId);
    },
    async investigate(query) {
      set({ query, busy: true, error: null });
      const r = await api.investigate(query);
      if (!r.ok) {
        set({ busy: false, error: r.error.message });
        return;
      }
      const keep = r.value.dossier && get().current?.businessId === r.value.dossier.business.id;
      set({ busy: false, answer: r.value, ...(keep ? {} : { current: null }) });
    },
    async recover() {
      set({ busy: true, error: null, done: null });
      const r = await api.recoverMissedPayments();
      if (!r.ok) set({ busy: false, error: r.error.message });
      else {
        set({ done: `The sweep applied ${r.value.applied} missed Stripe event${r.value.applied === 1 ? '' : 's'}.` });
        await refresh();
      }
    },
    activate: (paymentId) => act(api.activateOrphan(paymentId), 'Placement activated; the trainer is emailed that it is active'),
    async email(template) {
      const d = dossier();
      if (d) await act(api.emailTrainer(d.business.id, template), `Emailed ${d.business.ownerEmail ?? 'the trainer'} ${EMAILED[template]}`);
    },
    async replyToReviewer(reviewId, to, note) {
      const d = dossier();
      if (d) await act(api.replyToReviewer(reviewId, d.business.id, to, note || undefined), `Replied to ${to} with the review's outcome`);
    },
    async reinstate(review, cause, note) {
      const d = dossier();
      if (d)
        await act(api.reinstateReview(review.id, d.business.id, review.version, cause, note || undefined), 'Approved the review on appeal: it is public again');
    },
    async flag(reason) {
      const d = dossier();
      if (d?.business.ownerId) await act(api.flagAccount(d.business.ownerId, reason), "Flagged the owner's account for review");
    },
    async checkQueue() {
      const d = dossier();
      if (!d) return;
      const r = await api.checkQueue(d.business.councilId);
      set(r.ok ? { queueCheck: r.value, error: null } : { error: r.error.message });
    },
    async close(resolution) {
      const c = get().current;
      if (!c) return false;
      const r = await api.closeComplaint(c.id, resolution);
      if (!r.ok || r.value.status === 'rejected') {
        set(sentWords(r, ''));
        return false;
      }
      set({ current: null, done: `Complaint closed: ${resolution}` });
      await get().load();
      return true;
    },
  }));
  return store;
}
export type ComplaintsStore = ReturnType<typeof createComplaintsStore>;
