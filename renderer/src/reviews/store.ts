// The review queue (spec 2.1): main's pending reviews, oldest first as main
// sorts them, with each one's decision waiting to sync; plus what only this
// screen knows: the cursor, the selection, the confidence filter and the open
// dialog. The counts a bulk approval would take come from main
// (previewBulkApprove), never recomputed here; the confidence filter only
// narrows what the list shows.
import { createStore } from 'zustand/vanilla';
import type { BulkApprovePreview, ConsoleApi, RejectReason, Result, ReviewDecision, ReviewView } from '../../../shared/ipc/contract.ts';
import { valueOr, type NoticesStore } from '../ui/notices.ts';

/** The spec's "auto-flagged as safe" line for the one-click bulk approval. */
export const BULK_MIN_CONFIDENCE = 0.9;

/** A view filter on AI confidence: at least `min`, or below `below` (the edge cases). */
export type ConfidenceFilter = { min?: number; below?: number };
export const CONFIDENCE_FILTERS: { id: string; label: string; filter: ConfidenceFilter }[] = [
  { id: 'all', label: 'All confidences', filter: {} },
  { id: 'min90', label: '≥ 0.90 (safe to bulk-approve)', filter: { min: 0.9 } },
  { id: 'min75', label: '≥ 0.75', filter: { min: 0.75 } },
  { id: 'below90', label: 'Below 0.90 (edge cases)', filter: { below: 0.9 } },
];

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
  openBulk(): Promise<void>;
  confirmBulk(): Promise<void>;
  undo(reviewId?: string): Promise<void>;
  openKeys(): void;
  closeDialog(): void;
}

const filterOf = (id: string) => CONFIDENCE_FILTERS.find((f) => f.id === id)?.filter ?? {};
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

export function createReviewsStore(api: ConsoleApi, notices: NoticesStore) {
  const store = createStore<ReviewsState>()((set, get) => {
    /** Shows `reviews`, keeping the cursor on the review it was on (or, with `advanceFrom`, on the next undecided one after it). */
    const show = (reviews: ReviewView[], opts: { filterId?: string; advanceFrom?: string } = {}) => {
      const s = get();
      const filterId = opts.filterId ?? s.filterId;
      const visible = applyFilter(reviews, filterOf(filterId));
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

    const refresh = async (advanceFrom?: string) => {
      const [reviews, bulk] = await Promise.all([api.reviews(), api.previewBulkApprove(BULK_MIN_CONFIDENCE)]);
      const list = valueOr(notices, reviews);
      const preview = valueOr(notices, bulk);
      set({ bulkCount: preview?.count ?? null });
      if (list) show(list, { advanceFrom });
      else set({ loaded: true });
    };

    // The bulk button's count is asked for once a run of key presses pauses: asking after every
    // press would put main's count of 10,000 rows in front of the next press's decision.
    let countTimer: ReturnType<typeof setTimeout> | undefined;
    const recount = () => {
      clearTimeout(countTimer);
      countTimer = setTimeout(() => void api.previewBulkApprove(BULK_MIN_CONFIDENCE).then((p) => p.ok && set({ bulkCount: p.value.count })), RECOUNT_AFTER_MS);
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
        const r = get().current();
        if (!r || get().busy) return;
        if (r.localDecision) return notices.getState().push('info', 'This review already has a decision waiting to sync: undo it first to change it.');
        await decide(() => api.decideReview(r.id, { kind: 'approve' }), r.id);
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
        const anchor = s.current()?.id;
        const done =
          ids.length === 1 && !s.selected.size
            ? await decide(() => api.decideReview(ids[0]!, decision), ids[0])
            : await decide(() => api.decideReviews(ids, decision), anchor);
        if (done) set({ dialog: null, ...(s.selected.size ? { selected: new Set<string>() } : {}) });
      },
      async openBulk() {
        const preview = valueOr(notices, await api.previewBulkApprove(BULK_MIN_CONFIDENCE));
        if (!preview) return;
        set({ bulkCount: preview.count });
        if (preview.count === 0) return notices.getState().push('info', 'No undecided review is at AI confidence 0.90 or more.');
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
        notices.getState().push('info', `Approved ${r.count} reviews here: they are waiting to sync.`);
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
  api.on('synced', ({ changed }) => {
    if (changed.includes('reviews') || changed.includes('outbox')) void store.getState().load();
  });
  return store;
}
export type ReviewsStore = ReturnType<typeof createReviewsStore>;
