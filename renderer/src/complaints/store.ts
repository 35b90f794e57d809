// Complaints and investigations (spec 2.5, playbooks 2 and 4). The pending
// complaints come from the cache (closing one is a decision like any other:
// queued, offline too). The investigation is online only: a query (email,
// name, business id, payment id) gives the businesses it names and, for one,
// its dossier; each action is a command (queued, then sent at once when
// online so the dossier shows its effect) or the sweep. "Do what the findings
// say" takes the findings' steps in order, the dossier read again after each;
// the steps taken for the complaint pre-fill its log line.
import { createStore } from 'zustand/vanilla';
import { REINSTATE_CAUSE } from '../../../shared/api/operator.ts';
import type { Dossier, InvestigateAnswer, QueueCheckAnswer } from '../../../shared/api/investigation.ts';
import type { ReinstateCause } from '../../../shared/commands/reviews.ts';
import type { CommandOutcome, ComplaintView, ConsoleApi, Result } from '../../../shared/ipc/contract.ts';
import { valueOr, type NoticesStore } from '../ui/notices.ts';
import { sentWords } from '../ui/send-now.ts';
import { activationOf, EMAILED, type EmailTemplate, logLineOf, nothingToActivate, planOf, stepWords, type Taken, taken } from './plan.ts';

export type { EmailTemplate, ReinstateCause };

export type StepState = 'waiting' | 'running' | 'done' | 'skipped' | 'failed';
/** A "Do what the findings say" run: its steps as listed before the click, each with how it went. */
export interface PlanRun {
  businessId: string;
  steps: { words: string; state: StepState; note: string | null }[];
  finished: boolean;
}

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
  /** The steps taken on this business for the current complaint (by the plan or one by one), in order. */
  taken: Taken[];
  takenFor: string | null;
  /** The close form's log line: written from the steps taken until the operator edits it. */
  logLine: string;
  logLineEdited: boolean;
  /** The last "Do what the findings say" run on this business. */
  run: PlanRun | null;
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
  /** The findings' steps still to take on the dossier shown (an email or a check taken already is not offered again). */
  plan(): ReturnType<typeof planOf>;
  /** Takes the plan's steps in order, the dossier read again after each; stops at the first refusal or error, saying which step. */
  doFindings(): Promise<void>;
  setLogLine(text: string): void;
  close(resolution: string): Promise<boolean>;
}

/** A step's verdict: taken (applied, or queued offline), or why not, in words that follow "step N …: ". */
type Verdict = { ok: true; queued: boolean } | { ok: false; reason: string };
const fresh = { taken: [], takenFor: null, run: null, logLine: '', logLineEdited: false } satisfies Partial<ComplaintsState>;

export function createComplaintsStore(api: ConsoleApi, notices: NoticesStore) {
  const dossier = (): Dossier | null => store.getState().answer?.dossier ?? null;
  /** A step taken on a business, for its log line (kept as the operator wrote it once edited). */
  const record = (businessId: string, t: Taken) => {
    const s = store.getState();
    const steps = s.takenFor === businessId ? [...s.taken, t] : [t];
    store.setState({ taken: steps, takenFor: businessId, ...(s.logLineEdited ? {} : { logLine: logLineOf(steps) }) });
  };
  /** A command main sends at once: its verdict shown from the one call's answer; recorded when taken. */
  const send = async (call: Promise<Result<CommandOutcome>>, done: string, t: Taken): Promise<Verdict> => {
    const businessId = dossier()?.business.id;
    const r = await call;
    store.setState(sentWords(r, done));
    if (!r.ok) return { ok: false, reason: r.error.message };
    if (r.value.status === 'rejected') return { ok: false, reason: `refused: ${r.value.reason ?? 'the server refused it'}` };
    const queued = r.value.status === 'queued';
    if (businessId) record(businessId, queued ? { ...t, phrase: `${t.phrase} (queued, sent when back online)` } : t);
    return { ok: true, queued };
  };
  /**
   * An action main sends at once: its verdict is shown from the one call's
   * answer; when it was applied, the dossier is read again to show its effect.
   */
  const act = async (call: Promise<Result<CommandOutcome>>, done: string, t: Taken) => {
    store.setState({ busy: true, error: null, done: null });
    const v = await send(call, done, t);
    store.setState({ busy: false });
    if (v.ok && !v.queued) await refresh();
  };
  /** The dossier read again; what the action said stays on the status line. */
  const refresh = async () => {
    const d = dossier();
    if (!d) return;
    const { done, error } = store.getState();
    await store.getState().investigate(d.business.id);
    store.setState({ done, error: store.getState().error ?? error });
  };

  // The steps, as the buttons and the plan both take them.
  const recoverStep = async (): Promise<Verdict> => {
    const d = dossier();
    const r = await api.recoverMissedPayments();
    if (!r.ok) {
      store.setState({ error: r.error.message, done: null });
      return { ok: false, reason: r.error.message };
    }
    store.setState({ done: `The sweep applied ${r.value.applied} missed Stripe event${r.value.applied === 1 ? '' : 's'}.` });
    if (d) record(d.business.id, taken.recover(r.value.applied, d));
    return { ok: true, queued: false };
  };
  const activateStep = (paymentId: string) =>
    send(api.activateOrphan(paymentId), 'Placement activated; the trainer is emailed that it is active', taken.activate(paymentId));
  const emailStep = async (template: EmailTemplate): Promise<Verdict> => {
    const d = dossier();
    if (!d) return { ok: false, reason: 'no dossier is open' };
    return send(api.emailTrainer(d.business.id, template), `Emailed ${d.business.ownerEmail ?? 'the trainer'} ${EMAILED[template]}`, taken.email(template, d));
  };
  const checkStep = async (): Promise<Verdict> => {
    const d = dossier();
    if (!d) return { ok: false, reason: 'no dossier is open' };
    const r = await api.checkQueue(d.business.councilId);
    store.setState(r.ok ? { queueCheck: r.value, error: null } : { error: r.error.message });
    if (!r.ok) return { ok: false, reason: r.error.message };
    record(d.business.id, taken.checkQueue(r.value));
    return { ok: true, queued: false };
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
    ...fresh,
    async load() {
      const r = await api.complaints({ status: 'pending' });
      set({ loaded: true, complaints: valueOr(notices, r) ?? get().complaints });
    },
    async open(complaint) {
      // Another complaint starts its own log line; the same one (opened again from its playbook) keeps what was done.
      set({ ...(get().current?.id === complaint.id ? {} : fresh), current: complaint, done: null, queueCheck: null });
      await get().investigate(complaint.businessId);
    },
    async investigate(query) {
      set({ query, busy: true, error: null });
      const r = await api.investigate(query);
      if (!r.ok) {
        set({ busy: false, error: r.error.message });
        return;
      }
      const id = r.value.dossier?.business.id ?? null;
      const keep = id !== null && get().current?.businessId === id;
      set({
        busy: false,
        answer: r.value,
        ...(keep ? {} : { current: null, logLine: '', logLineEdited: false }),
        ...(id !== null && (get().takenFor ?? id) === id ? {} : { taken: [], takenFor: null, run: null }),
      });
    },
    async recover() {
      set({ busy: true, error: null, done: null });
      const v = await recoverStep();
      set({ busy: false });
      if (v.ok) await refresh();
    },
    activate: (paymentId) => act(api.activateOrphan(paymentId), 'Placement activated; the trainer is emailed that it is active', taken.activate(paymentId)),
    async email(template) {
      const d = dossier();
      if (d)
        await act(
          api.emailTrainer(d.business.id, template),
          `Emailed ${d.business.ownerEmail ?? 'the trainer'} ${EMAILED[template]}`,
          taken.email(template, d),
        );
    },
    async replyToReviewer(reviewId, to, note) {
      const d = dossier();
      if (d)
        await act(
          api.replyToReviewer(reviewId, d.business.id, to, note || undefined),
          `Replied to ${to} with the review's outcome`,
          taken.other(`reply:${reviewId}`, `replied to the reviewer (${to}) with the review's outcome`),
        );
    },
    async reinstate(review, cause, note) {
      const d = dossier();
      if (d)
        await act(
          api.reinstateReview(review.id, d.business.id, review.version, cause, note || undefined),
          'Approved the review on appeal: it is public again',
          taken.other(`reinstate:${review.id}`, `approved the review on appeal (${REINSTATE_CAUSE[cause]})`),
        );
    },
    async flag(reason) {
      const d = dossier();
      if (d?.business.ownerId)
        await act(
          api.flagAccount(d.business.ownerId, reason),
          "Flagged the owner's account for review",
          taken.other('flag', `flagged the owner's account (${reason})`),
        );
    },
    async checkQueue() {
      await checkStep();
    },
    plan() {
      const d = dossier();
      if (!d) return [];
      return planOf(d, get().takenFor === d.business.id ? get().taken : []);
    },
    async doFindings() {
      const d0 = dossier();
      const plan = get().plan();
      if (!d0 || get().busy || plan.length === 0) return;
      // One business per click: every step is on the business shown at the click, or the run stops.
      const businessId = d0.business.id;
      const words = plan.map((a) => stepWords(a, d0));
      const mark = (i: number, state: StepState, note: string | null = null) =>
        set((s) => ({ run: s.run && { ...s.run, steps: s.run.steps.map((x, j) => (j === i ? { ...x, state, note } : x)) } }));
      set({ busy: true, error: null, done: null, run: { businessId, steps: words.map((w) => ({ words: w, state: 'waiting', note: null })), finished: false } });
      let stop: string | null = null;
      let queuedAt: number | null = null;
      for (let i = 0; i < plan.length; i++) {
        const a = plan[i]!;
        const d = dossier();
        const fail = (why: string) => {
          mark(i, 'failed', why);
          stop = `Stopped at step ${i + 1} of ${plan.length}, “${words[i]}”: ${why}. ${i ? 'The steps before it are done; ' : ''}the rest were not run.`;
        };
        if (!d || d.business.id !== businessId) {
          fail(`the dossier on screen is no longer ${d0.business.name}'s`);
          break;
        }
        mark(i, 'running');
        let v: Verdict;
        if (a.kind === 'recover') v = await recoverStep();
        else if (a.kind === 'email') v = await emailStep(a.template);
        else if (a.kind === 'check_queue') {
          v = await checkStep();
          const q = get().queueCheck;
          // The position is told only from a queue in payment order (playbook 4): out of order is the playbook's, not a reply's.
          if (v.ok && q?.outcome !== 'in_order')
            v = {
              ok: false,
              reason:
                q?.outcome === 'out_of_order'
                  ? `the queue is out of order (${q.message ?? 'escalated as a RED alert'}): follow playbook 4.4`
                  : `no council ${q?.council}`,
            };
        } else {
          const id = a.paymentId ?? activationOf(d, plan.slice(i + 1));
          if (!id) {
            const why = nothingToActivate(d);
            if ('skip' in why) {
              mark(i, 'skipped', why.skip);
              continue;
            }
            fail(why.stop);
            break;
          }
          v = await activateStep(id);
        }
        if (!v.ok) {
          fail(v.reason);
          break;
        }
        if (v.queued) {
          // Offline: the dossier cannot be read again, so the steps after it wait.
          mark(i, 'done', 'queued, sent when you are back online');
          queuedAt = i;
          break;
        }
        mark(i, 'done');
        await refresh();
        set({ busy: true });
        if (get().error) {
          stop = `Stopped after step ${i + 1} of ${plan.length}: the dossier could not be read again (${get().error}).`;
          break;
        }
      }
      const left = queuedAt === null ? 0 : plan.length - queuedAt - 1;
      set((s) => ({
        busy: false,
        run: s.run && { ...s.run, finished: true },
        ...(stop
          ? { error: stop, done: null }
          : {
              error: null,
              done:
                queuedAt === null
                  ? `Did what the findings say: ${plan.length} step${plan.length === 1 ? '' : 's'}.`
                  : `Step ${queuedAt + 1} of ${plan.length} is queued, sent when you are back online${left ? `; the ${left} after it wait until then` : ''}.`,
            }),
      }));
    },
    setLogLine(text) {
      set({ logLine: text, logLineEdited: true });
    },
    async close(resolution) {
      const c = get().current;
      if (!c) return false;
      const r = await api.closeComplaint(c.id, resolution);
      if (!r.ok || r.value.status === 'rejected') {
        set(sentWords(r, ''));
        return false;
      }
      // The steps taken stay with the business (the dossier does not offer them again); the log line is spent.
      set({ current: null, done: `Complaint closed: ${resolution}`, logLine: '', logLineEdited: false });
      await get().load();
      // The next one waiting opens by itself (oldest first): the session is one complaint after another.
      const next = get().complaints.find((x) => !x.localDecision && x.id !== c.id);
      if (next) {
        await get().open(next);
        set({ done: `Complaint closed: ${resolution}. Next: ${next.businessName}` });
      }
      return true;
    },
  }));
  return store;
}
export type ComplaintsStore = ReturnType<typeof createComplaintsStore>;
