// The review queue (spec 2.1): maps the reviews store to the list, the detail
// pane and the dialogs, and binds the keys (useReviewKeys: j/k, a, s/p/o/n,
// r, x, ?, Esc), which stay quiet while the operator types in a field.
import { useStore } from 'zustand';
import type { Stores } from '../app/stores.ts';
import { freezeOf } from '../escalations/store.ts';
import { BulkApproveDialog } from './BulkApproveDialog.tsx';
import { KeysDialog } from './KeysDialog.tsx';
import { RejectDialog } from './RejectDialog.tsx';
import { ReviewDetail } from './ReviewDetail.tsx';
import { ReviewList } from './ReviewList.tsx';
import { confidenceFilters } from './store.ts';
import { useReviewKeys } from './useReviewKeys.ts';
import css from './reviews.module.css';

export function ReviewsScreen({ stores }: { stores: Stores }) {
  const s = useStore(stores.reviews);
  const escalations = useStore(stores.escalations, (e) => e.escalations);
  useReviewKeys(stores.reviews);

  const current = s.visible[s.cursor] ?? null;
  const waiting = s.reviews.filter((r) => r.localDecision).length;
  const dialog = s.dialog;
  const rejectOne =
    dialog?.kind === 'reject' && dialog.reviewIds.length === 1 ? (s.reviews.find((r) => r.id === dialog.reviewIds[0])?.businessName ?? null) : null;
  return (
    <div className={css.screen}>
      <header className={css.head}>
        <h1>Reviews</h1>
        <p className={css.summary} role="status">
          {s.loaded ? `${s.reviews.length} pending, oldest first · ${waiting} decided here, waiting to sync` : 'Loading the queue…'}
          {s.selected.size ? ` · ${s.selected.size} selected` : ''}
        </p>
      </header>
      <div className={css.toolbar}>
        <label>
          AI confidence
          <select value={s.filterId} onChange={(e) => s.setFilter(e.target.value)}>
            {confidenceFilters(s.bulkLine).map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">Showing {s.visible.length}</span>
        <button type="button" className="primary" onClick={() => void s.openBulk()} disabled={!s.bulkCount || s.busy}>
          Approve all {s.bulkCount ?? '…'} at ≥ {s.bulkLine?.toFixed(2) ?? '…'}
        </button>
        <button type="button" onClick={s.openKeys} aria-keyshortcuts="?">
          Keyboard shortcuts (?)
        </button>
      </div>
      <div className={css.layout}>
        <ReviewList reviews={s.visible} cursor={s.cursor} selected={s.selected} moveTo={s.moveTo} toggleSelect={s.toggleSelect} />
        <ReviewDetail
          review={current}
          freeze={current ? freezeOf(escalations, current.businessId) : null}
          position={s.cursor + 1}
          total={s.visible.length}
          isSelected={!!current && s.selected.has(current.id)}
          selectedCount={s.selected.size}
          busy={s.busy}
          approve={() => void s.approve()}
          reject={s.openReject}
          rejectAs={(reason) => void s.rejectAs(reason)}
          undo={() => void s.undo(current?.id)}
          toggleSelect={() => s.toggleSelect()}
          clearSelection={s.clearSelection}
        />
      </div>
      {dialog?.kind === 'reject' ? (
        <RejectDialog
          count={dialog.reviewIds.length}
          businessName={rejectOne}
          busy={s.busy}
          reject={(reason, note) => void s.reject(reason, note)}
          close={s.closeDialog}
        />
      ) : null}
      {dialog?.kind === 'bulk' ? <BulkApproveDialog preview={dialog.preview} busy={s.busy} confirm={() => void s.confirmBulk()} close={s.closeDialog} /> : null}
      {dialog?.kind === 'keys' ? <KeysDialog close={s.closeDialog} /> : null}
    </div>
  );
}
