// Escalations (spec Part 7). Any screen holding evidence (a playbook run, a
// dossier, an alert, a reconciliation report) starts one with its source; the
// one Escalate dialog (mounted by the shell) asks the situation, reads the
// draft from the server (the team, urgency and evidence follow from it) and
// shows the packet exactly as it will be sent. Sending is online only;
// recording an answer and closing are decisions like any other (queued).
import { createStore } from 'zustand/vanilla';
import {
  composePacket,
  type EscalationDraft,
  type EscalationSource,
  legalFreezes,
  packetFileName,
  type Situation,
  TEAM_NAME,
} from '../../../shared/api/escalations.ts';
import type { ConsoleApi, EscalationView, Freeze } from '../../../shared/ipc/contract.ts';
import { valueOr, type NoticesStore } from '../ui/notices.ts';
import { melbourneDay, saveText } from '../ui/save-file.ts';
import { sentWords } from '../ui/send-now.ts';

export interface Compose {
  source: EscalationSource;
  /** What the operator was looking at, for the dialog's first line ("the dossier of Paws & Co"). */
  about: string;
  situation: Situation | null;
  draft: EscalationDraft | null;
  reading: boolean;
}

export interface EscalationsState {
  loaded: boolean;
  escalations: EscalationView[];
  compose: Compose | null;
  busy: boolean;
  error: string | null;
  done: string | null;
  load(): Promise<void>;
  start(source: EscalationSource, about: string): void;
  choose(situation: Situation): Promise<void>;
  cancel(): void;
  clearStatus(): void;
  send(subject: string, note: string): Promise<boolean>;
  answer(e: EscalationView, answer: string): Promise<boolean>;
  close(e: EscalationView, note: string): Promise<boolean>;
}

/** The packet as the dialog shows it and the server will store it (the same function on both sides). */
export const packetOf = (d: EscalationDraft, subject: string, note: string) =>
  composePacket({ ...d, businessName: d.businessName, subject, note, evidence: d.evidence });

/** The open legal escalation (the oldest) freezing a business, as the cache knows it; null when none. */
export const freezeOf = (escalations: EscalationView[], businessId: string): Freeze | null => legalFreezes(escalations).get(businessId) ?? null;

/** Saves a packet as a text file named by the Melbourne day: a download, never a navigation. */
export const exportPacket = (packet: string, team: EscalationDraft['team'], at: Date = new Date()) => saveText(packet, packetFileName(team, melbourneDay(at)));

export function createEscalationsStore(api: ConsoleApi, notices: NoticesStore) {
  const store = createStore<EscalationsState>()((set, get) => ({
    loaded: false,
    escalations: [],
    compose: null,
    busy: false,
    error: null,
    done: null,
    async load() {
      const r = valueOr(notices, await api.escalations());
      set({ loaded: true, escalations: r ?? get().escalations });
    },
    start: (source, about) => set({ compose: { source, about, situation: null, draft: null, reading: false }, error: null, done: null }),
    async choose(situation) {
      const c = get().compose;
      if (!c) return;
      set({ compose: { ...c, situation, draft: null, reading: true }, error: null });
      const r = await api.escalationDraft(situation, c.source);
      // The operator may have picked another situation meanwhile: keep the newest.
      if (get().compose?.situation !== situation) return;
      set({ compose: { ...c, situation, draft: r.ok ? r.value : null, reading: false }, error: r.ok ? null : r.error.message });
    },
    cancel: () => set({ compose: null, error: null }),
    clearStatus: () => set({ done: null, error: null }),
    async send(subject, note) {
      const d = get().compose?.draft;
      if (!d) return false;
      set({ busy: true, error: null, done: null });
      const r = await api.openEscalation(d.situation, d.source, subject.trim(), note.trim(), d.evidence);
      const team = `${TEAM_NAME[d.team]} (${d.to})`;
      const frozen = d.situation === 'legal_compliance' && d.businessName ? `; actions for ${d.businessName} are frozen until you close it` : '';
      const words = sentWords(r, `Escalated to ${team}${frozen}`);
      const sent = r.ok && r.value.status === 'applied';
      set({ busy: false, ...words, ...(sent ? { compose: null } : {}) });
      // Sent from whichever screen held the evidence: the notice says so there; the dialog keeps a refusal in view.
      if (sent && words.done) {
        const sha = String(r.value.details?.packetSha256 ?? '').slice(0, 12);
        notices.getState().push('info', `${words.done}. Packet SHA-256 ${sha}…`);
      }
      if (sent) await get().load();
      return sent;
    },
    async answer(e, answer) {
      set({ busy: true, error: null, done: null });
      const r = await api.answerEscalation(e.id, e.version, answer.trim());
      set({ busy: false, ...sentWords(r, `Answer recorded for "${e.subject}"`) });
      await get().load();
      return r.ok && r.value.status !== 'rejected';
    },
    async close(e, note) {
      set({ busy: true, error: null, done: null });
      const r = await api.closeEscalation(e.id, e.version, note.trim());
      const lifted = e.situation === 'legal_compliance' && e.businessName ? `: the freeze on ${e.businessName} is lifted` : '';
      set({ busy: false, ...sentWords(r, `Closed "${e.subject}"${lifted}`) });
      await get().load();
      return r.ok && r.value.status !== 'rejected';
    },
  }));
  return store;
}
export type EscalationsStore = ReturnType<typeof createEscalationsStore>;
