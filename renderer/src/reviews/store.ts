// The review queue (spec 2.1): main's pending reviews, oldest first as main
// sorts them, with each one's decision waiting to sync; plus what only this
// screen knows: the cursor, the selection, the confidence filter and the open
// dialog. The counts a bulk approval would take come from main
// (previewBulkApprove), never recomputed here, at the line the server holds
// (its policy, bulk_approve_min_confidence); the confidence filter only
// narrows what the list shows.
import { createStore } from 'zustand/vanilla';
import { BULK_MAX_REVIEWS } from '../../../shared/commands/reviews.ts';
import type { BulkApprovePreview, ConsoleApi, RejectReason, Result, ReviewDecision, ReviewView } from '../../../shared/ipc/contract.ts';
import type { PolicyStore } from '../app/policy.ts';
import { plural } from '../../../shared/words.ts';
import { valueOr, type NoticesStore } from '../ui/notices.ts';
import { bulkApprovedWords } from './describe.ts';

/** A view filter on AI confidence: at least `min`, or below `below` (the edge cases). */
export type ConfidenceFilter = { min?: number; below?: number };
/** The list's filters; two of them at the server's bulk-approval line (unknown before the first pull: nothing is cached then). */
export const confidenceFilters = (line: number | null): { id: string; label: string; filter: ConfidenceFilter }[] => {
  const at = line === null ? '…' : line.toFixed(2);
  return [
    { id: 'all', label: 'All confidences', filter: {} },
    { id: 'bulk', label: `≥ ${at} (safe to bulk-approve)`, filter: { min: line ?? Number.POSITIVE_INFINITY } },
    { id: 'min75', label: '≥ 0.75', filter: { min: 0.75 } },
    { id: 'belowBulk', label: `Below ${at} (edge cases)`, filter: { below: line ?? Number.POSITIVE_INFINITY } },
  ];
};

export type ReviewsDialog = { kind: 'reject'; reviewIds: string[] } | { kind: 'bulk'; preview: BulkApprovePreview } | { kind: 'keys' };

export interface ReviewsState {
  loaded: boolean;
  /** Main's last answer: pending reviews, oldest first. */
  reviews: ReviewView[];
  /** What the list shows: `reviews` through the confidence filter. */
  visible: ReviewView[];
  filterId: string;
  cursor: number;
  selected: ReadonlySet<string>;
  dialog: ReviewsDialog | null;
  /** The server's bulk-approval line (its policy); null before the first pull. */
  bulkLine: number | null;
  /** How many reviews "Approve all" would take at the bulk line, as main counts them. */
  bulkCount: number | null;
  busy: boolean;

  load(): Promise<void>;
  current(): ReviewView | null;
  move(delta: number): void;
  moveTo(index: number): void;
  setFilter(filterId: string): void;
  toggleSelect(reviewId?: string): void;
  clearSelection(): void;
  approve(): Promise<void>;
  /** Opens the reject dialog for the selection, or the review at the cursor when nothing is selected. */
  openReject(): void;
  reject(reason: RejectReason, note?: string): Promise<void>;
  /** One key, one decision: rejects the selection (as `r` would), else the review at the cursor, for `reason` with no note; the cursor moves on as after `a`. */
  rejectAs(reason: RejectReason): Promise<void>;
  openBulk(): Promise<void>;
  confirmBulk(): Promise<void>;
  undo(reviewId?: string): Promise<void>;
  openKeys(): void;
  closeDialog(): void;
}

const filterOf = (id: string, line: number | null) => confidenceFilters(line).find((f) => f.id === id)?.filter ?? {};
const applyFilter = (reviews: ReviewView[], f: ConfidenceFilter) =>
  f.min === undefined && f.below === undefined
    ? reviews
    : reviews.filter((r) => {
        const c = r.aiConfidence ?? 0;
        return (f.min === undefined || c >= f.min) && (f.below === undefined || c < f.below);
      });
const clamp = (i: number, length: number) => Math.max(0, Math.min(i, length - 1));

/** How long after the last decision the bulk approval's count is refreshed. */
export const RECOUNT_AFTER_MS = 400;

export function createReviewsStore(api: ConsoleApi, notices: NoticesStore, policy: PolicyStore) {
  const countAt = (line: number | null) => (line === null ? Promise.resolve(null) : api.previewBulkApprove(line));
  const store = createStore<ReviewsState>()((set, get) => {
    /** Shows `reviews`, keeping the cursor on the review it was on (or, with `advanceFrom`, on the next undecided one after it). */
    const show = (reviews: ReviewView[], opts: { filterId?: string; advanceFrom?: string } = {}) => {
      const s = get();
      const filterId = opts.filterId ?? s.filterId;
      const visible = applyFilter(reviews, filterOf(filterId, s.bulkLine));
      const anchorId = opts.advanceFrom ?? s.current()?.id;
      let cursor = anchorId ? visible.findIndex((r) => r.id === anchorId) : -1;
      // Opening the queue starts at the first review still to decide, not on last session's decisions.
      if (cursor < 0 && !s.loaded)
        cursor = Math.max(
          0,
          visible.findIndex((r) => !r.localDecision),
        );
      if (cursor < 0) cursor = clamp(s.cursor, visible.length);
      if (opts.advanceFrom !== undefined) {
        const next = visible.findIndex((r, i) => i > cursor && !r.localDecision);
        const earlier = visible.findIndex((r) => !r.localDecision);
        cursor = next >= 0 ? next : earlier >= 0 ? earlier : cursor;
      }
      const ids = new Set(reviews.map((r) => r.id));
      const selected = new Set([...s.selected].filter((id) => ids.has(id)));
      set({ loaded: true, reviews, visible, filterId, cursor: Math.max(0, cursor), selected });
    };

    /** The server's line as main last pulled it (asked of main once). */
    const bulkLine = async () => (await policy.getState().current())?.bulkApproveMinConfidence ?? null;

    const refresh = async (advanceFrom?: string) => {
      const line = await bulkLine();
      const [reviews, bulk] = await Promise.all([api.reviews(), countAt(line)]);
      const list = valueOr(notices, reviews);
      const preview = bulk && valueOr(notices, bulk);
      set({ bulkLine: line, bulkCount: preview?.count ?? null });
      if (list) show(list, { advanceFrom });
      else set({ loaded: true });
    };

    // The bulk button's count is asked for once a run of key presses pauses: asking after every
    // press would put main's count of 10,000 rows in front of the next press's decision.
    let countTimer: ReturnType<typeof setTimeout> | undefined;
    const recount = () => {
      clearTimeout(countTimer);
      countTimer = setTimeout(() => void countAt(get().bulkLine).then((p) => p?.ok && set({ bulkCount: p.value.count })), RECOUNT_AFTER_MS);
    };

    /** Main's answer for a few reviews put in place, without reloading the queue (10,000 rows would cost a key press its 50 ms). */
    const patch = (changed: ReviewView[], advanceFrom?: string) => {
      const byId = new Map(changed.map((r) => [r.id, r]));
      show(
        get().reviews.map((r) => byId.get(r.id) ?? r),
        { advanceFrom },
      );
      recount();
    };

    /** The review at the cursor when it can be decided (a decision waiting on it must be undone first). */
    const decidable = () => {
      const r = get().current();
      if (!r || get().busy) return null;
      if (!r.localDecision) return r;
      notices.getState().push('info', 'This review already has a decision waiting to sync: undo it first to change it.');
      return null;
    };

    /** A decision for several reviews (the selection), anchored at the cursor; `true` when main queued it. */
    const decideMany = async (ids: string[], decision: ReviewDecision) => {
      const done = await decide(() => api.decideReviews(ids, decision), get().current()?.id);
      if (done && get().selected.size) set({ selected: new Set<string>() });
      return done;
    };

    /** A decision call; its answer marks the rows and the cursor moves past what was decided. */
    const decide = async (call: () => Promise<Result<ReviewView | ReviewView[]>>, anchorId: string | undefined) => {
      set({ busy: true });
      const r = await call();
      set({ busy: false });
      if (!r.ok) {
        valueOr(notices, r);
        return false;
      }
      patch(Array.isArray(r.value) ? r.value : [r.value], anchorId ?? '');
      return true;
    };

    return {
      loaded: false,
      reviews: [],
      visible: [],
      filterId: 'all',
      cursor: 0,
      selected: new Set(),
      dialog: null,
      bulkLine: null,
      bulkCount: null,
      busy: false,

      load: () => refresh(),
      current: () => get().visible[get().cursor] ?? null,
      move: (delta) => set((s) => ({ cursor: clamp(s.cursor + delta, s.visible.length) })),
      moveTo: (index) => set((s) => ({ cursor: clamp(index, s.visible.length) })),
      setFilter: (filterId) => show(get().reviews, { filterId }),
      toggleSelect(reviewId) {
        const id = reviewId ?? get().current()?.id;
        if (!id) return;
        const selected = new Set(get().selected);
        if (selected.has(id)) selected.delete(id);
        else selected.add(id);
        set({ selected });
      },
      clearSelection: () => set({ selected: new Set() }),

      async approve() {
        const r = decidable();
        if (r) await decide(() => api.decideReview(r.id, { kind: 'approve' }), r.id);
      },
      openReject() {
        const s = get();
        const ids = s.selected.size ? [...s.selected] : s.current() ? [s.current()!.id] : [];
        if (!ids.length) return;
        set({ dialog: { kind: 'reject', reviewIds: ids } });
      },
      async reject(reason, note) {
        const s = get();
        if (s.dialog?.kind !== 'reject' || s.busy) return;
        const decision: ReviewDecision = { kind: 'reject', reason, ...(note?.trim() ? { note: note.trim() } : {}) };
        const ids = s.dialog.reviewIds;
        const done = ids.length === 1 && !s.selected.size ? await decide(() => api.decideReview(ids[0]!, decision), ids[0]) : await decideMany(ids, decision);
        if (done) set({ dialog: null });
      },
      async rejectAs(reason) {
        const s = get();
        if (s.dialog || s.busy) return;
        const decision: ReviewDecision = { kind: 'reject', reason };
        if (s.selected.size) return void (await decideMany([...s.selected], decision));
        const r = decidable();
        if (r) await decide(() => api.decideReview(r.id, decision), r.id);
      },
      async openBulk() {
        const line = await bulkLine();
        const answer = await countAt(line);
        const preview = answer && valueOr(notices, answer);
        if (!preview || line === null) return;
        set({ bulkLine: line, bulkCount: preview.count });
        if (preview.count === 0) return notices.getState().push('info', `No undecided review is at AI confidence ${line.toFixed(2)} or more.`);
        set({ dialog: { kind: 'bulk', preview } });
      },
      async confirmBulk() {
        const s = get();
        if (s.dialog?.kind !== 'bulk' || s.busy) return;
        set({ busy: true });
        const r = valueOr(notices, await api.bulkApprove(s.dialog.preview.minConfidence));
        set({ busy: false });
        if (!r) return;
        set({ dialog: null });
        // Main queues one command per BULK_MAX_REVIEWS reviews, in order: what each carries, so a refusal is counted in reviews.
        const sizes = r.commandIds.map((_, i) => Math.max(0, Math.min(BULK_MAX_REVIEWS, r.count - i * BULK_MAX_REVIEWS)));
        notices.getState().push('info', `Approved ${plural(r.count, 'review')} here: ${r.count === 1 ? 'it is' : 'they are'} waiting to sync.`, undefined, {
          commandIds: r.commandIds,
          sizes,
          words: (t) => bulkApprovedWords(r.count, t),
        });
        await refresh(s.current()?.id ?? '');
      },
      async undo(reviewId) {
        const id = reviewId ?? get().current()?.id;
        if (!id || get().busy) return;
        set({ busy: true });
        const r = await api.undoReview(id);
        set({ busy: false });
        if (!r.ok) return void valueOr(notices, r);
        patch([r.value]);
      },
      openKeys: () => set({ dialog: { kind: 'keys' } }),
      closeDialog: () => set({ dialog: null }),
    };
  });
  // The server moved its line (a sync brought a new policy): the count and the filters follow it.
  policy.subscribe((p) => {
    const line = p.policy?.bulkApproveMinConfidence ?? null;
    const s = store.getState();
    if (!s.loaded || line === s.bulkLine) return;
    store.setState({ bulkLine: line });
    s.setFilter(s.filterId);
    void countAt(line).then((r) => r?.ok && store.setState({ bulkCount: r.value.count }));
  });
  return store;
}
export type ReviewsStore = ReturnType<typeof createReviewsStore>;
