// The playbook run on screen (spec Part 4): its evidence read live from the
// server (the last answer kept, and said so, when offline), the live checks
// its steps run, and each step's action followed by the step recorded with
// the command it sent. Steps and drafts are queued by main and sent at once:
// offline they wait, marked here, and the run goes on. What a step's state
// is, and the timeline, come from the server's run; nothing is inferred here
// beyond "recorded here, waiting to sync".
import { createStore } from 'zustand/vanilla';
import type { Dossier, QueueCheckAnswer } from '../../../shared/api/investigation.ts';
import type { PlaybookEvidence, PlaybookKind, PlaybookSignal, ReportFields, TriageCheck, WebhookHealth } from '../../../shared/api/playbooks.ts';
import type { ReportFile } from '../../../shared/api/reconciliation.ts';
import type { CommandOutcome, ConsoleApi, Result } from '../../../shared/ipc/contract.ts';
import type { ZaiProbe } from '../../../shared/ipc/methods.ts';
import { sentWords } from '../ui/send-now.ts';

/** A step recorded here that the server has not answered yet (offline). */
export interface WaitingStep {
  outcome: 'done' | 'skipped';
  note: string | null;
}

export interface PlaybooksState {
  incidentId: string | null;
  /** The last evidence read (kept when a later read fails). */
  evidence: PlaybookEvidence | null;
  /** Why the last read failed (offline), in main's words. */
  readError: string | null;
  reading: boolean;
  busy: boolean;
  /** What the last action did, or why it failed, for the status line. */
  done: string | null;
  error: string | null;
  waiting: Record<string, WaitingStep>;
  triage: TriageCheck | null;
  health: WebhookHealth | null;
  probe: ZaiProbe | null;
  dossier: Dossier | null;
  queueCheck: QueueCheckAnswer | null;
  /** The step whose "Skip…" dialog is open. */
  skipping: string | null;
  /** Opens (or resumes) the run for a signal; answers its id, null when it could not (the status line says why). */
  open(playbook: PlaybookKind, signal: PlaybookSignal): Promise<string | null>;
  show(incidentId: string): Promise<void>;
  load(): Promise<void>;
  /** A step's action, then the step recorded done with the command it sent (also when that waits to sync). */
  act(step: string, call: () => Promise<Result<CommandOutcome>>, words: string, note?: string): Promise<CommandOutcome | null>;
  /** A step whose action is reading or telling: recorded done with what was seen. */
  complete(step: string, note?: string): Promise<void>;
  askSkip(step: string | null): void;
  skip(reason: string): Promise<boolean>;
  /** Playbook 1: the AI mode switched (online), then the step recorded. */
  switchMode(step: string, mode: 'z_ai' | 'secondary' | 'deterministic'): Promise<boolean>;
  /** Playbook 2: a paid charge's missing placement created. */
  activate(paymentId: string, businessName: string): Promise<void>;
  emailTrainer(step: string, businessId: string, template: 'featured_activated' | 'queue_position_reply', words: string): Promise<void>;
  /** Playbook 2 step 3: the missed-webhook sweep (Stripe's charges we never recorded), then the step recorded with what it applied. */
  recoverPayments(): Promise<void>;
  /** Playbook 3 step 3: the daily job run now (online). */
  runJob(): Promise<void>;
  /** Playbook 5: a repeat refunder's account flagged for review. */
  flag(ownerId: string, name: string, reason: string): Promise<void>;
  runTriage(step?: string): Promise<void>;
  testWebhook(): Promise<void>;
  probeZai(): Promise<void>;
  investigate(): Promise<void>;
  checkQueue(): Promise<void>;
  saveReport(fields: ReportFields): Promise<boolean>;
  finishReport(fields: ReportFields): Promise<boolean>;
  file(incidentId: string, format: 'txt' | 'pdf'): Promise<ReportFile | null>;
}

const QUEUED = 'Queued: sent when the connection is back';
const clip = (text: string) => (text.length > 1000 ? `${text.slice(0, 999)}…` : text);

export function createPlaybooksStore(api: ConsoleApi) {
  const fresh = { evidence: null, readError: null, waiting: {}, triage: null, health: null, probe: null, dossier: null, queueCheck: null, skipping: null };
  const store = createStore<PlaybooksState>()((set, get) => {
    const facts = () => get().evidence?.facts ?? null;
    /** Records a step; answers whether it was taken (applied, or queued to be sent). */
    const record = async (step: string, outcome: 'done' | 'skipped', note?: string, commandId?: string) => {
      const id = get().incidentId;
      if (!id) return false;
      const r = await api.recordStep(id, step, outcome, note ? clip(note) : undefined, commandId);
      if (!r.ok || r.value.status === 'rejected') {
        set(sentWords(r, ''));
        return false;
      }
      if (r.value.status === 'queued') set({ waiting: { ...get().waiting, [step]: { outcome, note: note ?? null } } });
      else await get().load();
      return true;
    };
    return {
      incidentId: null,
      reading: false,
      busy: false,
      done: null,
      error: null,
      ...fresh,
      async open(playbook, signal) {
        set({ busy: true, error: null, done: null });
        const r = await api.openPlaybook(playbook, signal);
        if (!r.ok || !r.value.incidentId) {
          set({ busy: false, ...(r.ok ? sentWords({ ok: true, value: r.value.outcome }, '') : { error: r.error.message, done: null }) });
          return null;
        }
        set({ busy: false });
        await get().show(r.value.incidentId);
        return r.value.incidentId;
      },
      async show(incidentId) {
        if (incidentId !== get().incidentId) set({ incidentId, done: null, error: null, ...fresh });
        await get().load();
      },
      async load() {
        const id = get().incidentId;
        if (!id) return;
        set({ reading: true });
        const r = await api.playbook(id);
        if (get().incidentId !== id) return; // another run was opened meanwhile
        if (!r.ok) {
          set({ reading: false, readError: r.error.message });
          return;
        }
        // A step the server now shows recorded no longer waits here.
        const waiting = Object.fromEntries(Object.entries(get().waiting).filter(([s]) => r.value.run.steps.find((x) => x.id === s)?.status === 'todo'));
        set({ reading: false, readError: null, evidence: r.value, waiting });
      },
      async act(step, call, words, note) {
        set({ busy: true, error: null, done: null });
        const r = await call();
        const said = sentWords(r, words);
        set({ busy: false, ...said, ...(said.done && r.ok && r.value.status === 'queued' ? { done: `${words}. ${QUEUED}.` } : {}) });
        if (!r.ok || r.value.status === 'rejected') return r.ok ? r.value : null;
        const { done } = get();
        await record(step, 'done', note ?? words, r.value.commandId);
        set({ done: get().error ? null : done });
        return r.value;
      },
      async complete(step, note) {
        set({ busy: true, error: null, done: null });
        const taken = await record(step, 'done', note);
        set({ busy: false, ...(taken ? { done: get().waiting[step] ? `Step recorded. ${QUEUED}.` : 'Step recorded.' } : {}) });
      },
      askSkip: (step) => set({ skipping: step }),
      async skip(reason) {
        const step = get().skipping;
        if (!step || !reason.trim()) return false;
        set({ busy: true, error: null, done: null });
        const taken = await record(step, 'skipped', reason.trim());
        set({ busy: false, ...(taken ? { skipping: null, done: get().waiting[step] ? `Step skipped. ${QUEUED}.` : 'Step skipped.' } : {}) });
        return taken;
      },
      async switchMode(step, mode) {
        const r = await get().act(step, () => api.setAiMode(mode), `Switched emergency triage to ${mode}`);
        return r?.status === 'applied';
      },
      async activate(paymentId, businessName) {
        await get().act('activate', () => api.activateOrphan(paymentId), `Activated ${businessName}'s featured placement`);
      },
      async emailTrainer(step, businessId, template, words) {
        await get().act(step, () => api.emailTrainer(businessId, template), words);
      },
      async recoverPayments() {
        set({ busy: true, error: null, done: null });
        const r = await api.recoverMissedPayments();
        if (!r.ok) return set({ busy: false, error: r.error.message });
        const words = `The sweep applied ${r.value.applied} missed Stripe event${r.value.applied === 1 ? '' : 's'}`;
        set({ busy: false, done: words });
        await record('stripe', 'done', words);
      },
      async runJob() {
        await get().act('run', () => api.runJobNow(), 'Ran the daily job');
      },
      async flag(ownerId, name, reason) {
        await get().act('act', () => api.flagAccount(ownerId, reason), `Flagged ${name}'s account for review`);
      },
      async runTriage(step) {
        const id = get().incidentId;
        if (!id) return;
        set({ busy: true, error: null, done: null });
        const r = await api.triageCheck(id);
        if (!r.ok) return set({ busy: false, error: r.error.message });
        set({ busy: false, triage: r.value });
        const passed = r.value.cases.filter((c) => c.ok).length;
        if (step) await record(step, 'done', `${passed} of ${r.value.cases.length} cases as expected in ${r.value.mode} mode`);
      },
      async testWebhook() {
        const id = get().incidentId;
        if (!id) return;
        set({ busy: true, error: null, done: null });
        const r = await api.webhookHealth(id);
        set(r.ok ? { busy: false, health: r.value } : { busy: false, error: r.error.message });
      },
      async probeZai() {
        const id = get().incidentId;
        if (!id) return;
        set({ busy: true, error: null, done: null });
        const r = await api.probeZai(id);
        set(r.ok ? { busy: false, probe: r.value } : { busy: false, error: r.error.message });
        if (r.ok) await get().load(); // the probe is in the AI health records: the evidence moves with it
      },
      async investigate() {
        const f = facts();
        const businessId = f && 'businessId' in f ? f.businessId : null;
        if (!businessId) return;
        set({ busy: true, error: null });
        const r = await api.investigate(businessId);
        set(r.ok ? { busy: false, dossier: r.value.dossier } : { busy: false, error: r.error.message });
      },
      async checkQueue() {
        const f = facts();
        const councilId = (f && 'councilId' in f ? f.councilId : null) ?? get().dossier?.business.councilId;
        if (!councilId) return;
        set({ busy: true, error: null, done: null });
        const r = await api.checkQueue(councilId);
        if (!r.ok) return set({ busy: false, error: r.error.message });
        set({ busy: false, queueCheck: r.value });
        await record(
          'integrity',
          'done',
          r.value.outcome === 'in_order' ? `The ${r.value.council} queue is in payment order` : (r.value.message ?? 'Out of order'),
        );
      },
      async saveReport(fields) {
        const run = get().evidence?.run;
        if (!run) return false;
        set({ busy: true, error: null, done: null });
        const r = await api.saveReport(run.incidentId, run.version, fields);
        set({ busy: false, ...sentWords(r, 'Draft saved') });
        if (r.ok && r.value.status === 'queued') set({ done: `Draft saved here. ${QUEUED}.` });
        if (r.ok && r.value.status === 'applied') await get().load();
        return r.ok && r.value.status !== 'rejected';
      },
      async finishReport(fields) {
        const run = get().evidence?.run;
        if (!run) return false;
        set({ busy: true, error: null, done: null });
        const r = await api.finishReport(run.incidentId, run.version, fields);
        set({ busy: false, ...sentWords(r, 'The report is final and archived') });
        if (!r.ok || r.value.status !== 'applied') return false;
        await get().load();
        return true;
      },
      async file(incidentId, format) {
        const r = await api.incidentFile(incidentId, format);
        if (!r.ok) {
          set({ error: r.error.message, done: null });
          return null;
        }
        set({ error: null, done: `Saved ${r.value.fileName} (SHA-256 ${r.value.sha256})` });
        return r.value;
      },
    };
  });
  return store;
}
export type PlaybooksStore = ReturnType<typeof createPlaybooksStore>;
