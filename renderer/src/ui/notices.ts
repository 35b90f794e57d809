// Errors in one place: every store sends a failed call's message here, shown
// as main wrote it; successes the operator should see ("Queued 40 approvals")
// too. A success about queued decisions can follow them: its words change
// when a sync sends them (or they are taken back), so it never says they
// wait once they do not.
import { createStore } from 'zustand/vanilla';
import type { ConsoleApi } from '../../../shared/ipc/contract.ts';
import type { ConsoleFailure, Result } from '../../../shared/ipc/result.ts';

export interface Notice {
  id: number;
  tone: 'error' | 'info';
  message: string;
  kind?: ConsoleFailure['kind'];
}

/** Where a followed notice's commands are, counted in what they carry (a bulk approval carries its reviews). */
export interface FollowTally {
  /** Still in the outbox, waiting to sync. */
  waiting: number;
  /** Sent, and the server applied them. */
  applied: number;
  /** Sent, and the server refused them (a verdict names them). */
  refused: number;
  /** In the dead-letter lane: the server failed on them until the console gave up. */
  failed: number;
  /** Gone from the outbox with no sync in between: the operator cancelled or undid them. */
  takenBack: number;
}

export interface NoticeFollow {
  /** The queued commands the notice speaks of. */
  commandIds: readonly string[];
  /** How much each command carries (`commandIds`' order), 1 each when not given. */
  sizes?: readonly number[];
  /** The notice's words once some of its commands no longer wait. */
  words(tally: FollowTally): string;
}

export interface NoticesState {
  notices: Notice[];
  push(tone: Notice['tone'], message: string, kind?: ConsoleFailure['kind'], follow?: NoticeFollow): void;
  dismiss(id: number): void;
}

/** How long a success stays: long enough to read a file name and its SHA-256; errors stay until dismissed. */
export const INFO_NOTICE_MS = 15_000;

/** What a notice reads of main to follow its commands. */
export type NoticesApi = Pick<ConsoleApi, 'on' | 'outbox' | 'verdicts'>;

interface Following {
  /** Command id → how much it carries, for the commands last seen waiting. */
  waiting: Map<string, number>;
  /** The count of syncs seen when they were last seen waiting: gone after a later sync is sent, gone before one is taken back. */
  seenAt: number;
  tally: FollowTally;
  words: NoticeFollow['words'];
}

/** Without `api`, a followed notice keeps its first words (tests that do not sync). */
export const createNoticesStore = (opts: { infoMs?: number; api?: NoticesApi } = {}) => {
  let next = 1;
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  const following = new Map<number, Following>();
  /** Syncs seen so far (a status while syncing, or a sync's report). */
  let syncs = 0;
  /** A success left on screen piles up with the next ones and covers the work (the playbooks' exports did). */
  const expireLater = (id: number) => {
    clearTimeout(timers.get(id));
    timers.set(
      id,
      setTimeout(() => store.getState().dismiss(id), opts.infoMs ?? INFO_NOTICE_MS),
    );
  };
  const store = createStore<NoticesState>()((set) => ({
    notices: [],
    push: (tone, message, kind, follow) => {
      const id = next++;
      set((s) => ({ notices: [...s.notices.slice(-4), { id, tone, message, kind }] }));
      if (tone === 'info') expireLater(id);
      if (follow?.commandIds.length) {
        const waiting = new Map(follow.commandIds.map((c, i) => [c, follow.sizes?.[i] ?? 1]));
        const tally = { waiting: [...waiting.values()].reduce((a, b) => a + b, 0), applied: 0, refused: 0, failed: 0, takenBack: 0 };
        following.set(id, { waiting, seenAt: syncs, tally, words: follow.words });
      }
    },
    dismiss: (id) => {
      clearTimeout(timers.get(id));
      timers.delete(id);
      following.delete(id);
      set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
    },
  }));

  /** Reads the outbox (and the verdicts when something left it) and rewords the notices whose commands moved. */
  const check = async () => {
    if (!following.size || !opts.api) return;
    const outbox = await opts.api.outbox();
    if (!outbox.ok) return; // tried again at the next sync or status
    const now = syncs;
    const entries = new Map(outbox.value.map((e) => [e.commandId, e]));
    const gone = (f: Following) => [...f.waiting.keys()].some((c) => entries.get(c)?.state !== 'pending' && entries.get(c)?.state !== 'sending');
    let refused = new Set<string>();
    if ([...following.values()].some(gone)) {
      const verdicts = await opts.api.verdicts();
      if (!verdicts.ok) return; // without them a refusal would read as applied
      refused = new Set(verdicts.value.filter((v) => v.kind !== 'dead_letter').map((v) => v.commandId));
    }
    for (const [id, f] of following) {
      const t = { ...f.tally, waiting: 0 };
      let moved = false;
      for (const [commandId, size] of f.waiting) {
        const state = entries.get(commandId)?.state;
        if (state === 'pending' || state === 'sending') t.waiting += size;
        else {
          moved = true;
          f.waiting.delete(commandId);
          if (state === 'dead') t.failed += size;
          else if (refused.has(commandId)) t.refused += size;
          else if (now > f.seenAt) t.applied += size;
          else t.takenBack += size;
        }
      }
      f.seenAt = now;
      if (!moved) continue;
      f.tally = t;
      if (!t.waiting) following.delete(id);
      const message = f.words(t);
      const shown = store.getState().notices.some((n) => n.id === id);
      if (!shown) continue;
      store.setState((s) => ({ notices: s.notices.map((n) => (n.id === id ? { ...n, message } : n)) }));
      expireLater(id); // the new words get their time to be read
    }
  };
  // One check at a time: each starts from what the one before it concluded.
  let checking: Promise<void> = Promise.resolve();
  const recheck = () => {
    if (!following.size) return;
    checking = checking.then(check).catch((err: unknown) => console.error('notice follow failed', err));
  };
  if (opts.api) {
    let last: { pending: number; revision: number; syncing: boolean } | null = null;
    opts.api.on('synced', ({ changed }) => {
      syncs++;
      if (changed.includes('outbox') || changed.includes('verdicts')) recheck();
    });
    opts.api.on('status', (st) => {
      if (st.syncing) syncs++;
      // A decision taken back or changed here moves the outbox without a sync (a new one only adds to it); a sync
      // that ended without its report (the pull failed after the push) may have sent some.
      const tookBack = !st.syncing && last !== null && st.outboxRevision !== last.revision && st.pending <= last.pending;
      const ended = last?.syncing === true && !st.syncing;
      last = { pending: st.pending, revision: st.outboxRevision, syncing: st.syncing };
      if (tookBack || ended) recheck();
    });
  }
  return store;
};
export type NoticesStore = ReturnType<typeof createNoticesStore>;

/** The value of a Result, or null after telling the operator why not. */
export function valueOr<T>(notices: NoticesStore, result: Result<T>): T | null {
  if (result.ok) return result.value;
  notices.getState().push('error', result.error.message, result.error.kind);
  return null;
}
