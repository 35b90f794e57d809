// The queue, oldest first, as a listbox: only the rows in view are in the DOM
// (10,000 pending stay smooth); the cursor is the active option and scrolls
// into view as it moves.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { ReviewView } from '../../../shared/ipc/contract.ts';
import { Badge } from '../ui/Badge.tsx';
import { Time } from '../ui/Time.tsx';
import { confidenceText, decisionState, firstLine, flagLabel, stars } from './describe.ts';
import css from './reviews.module.css';

const ROW_HEIGHT = 58;
const optionId = (id: string) => `review-${id}`;

export interface ReviewListProps {
  reviews: ReviewView[];
  cursor: number;
  selected: ReadonlySet<string>;
  moveTo(index: number): void;
  toggleSelect(reviewId: string): void;
}

export function ReviewList({ reviews, cursor, selected, moveTo, toggleSelect }: ReviewListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: reviews.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 4 });
  useEffect(() => {
    if (reviews.length) virtual.scrollToIndex(cursor, { align: 'auto' });
  }, [cursor, reviews.length, virtual]);
  const active = reviews[cursor];
  if (!reviews.length)
    return (
      <div className={css.list}>
        <p className={css.empty}>No pending review matches this filter.</p>
      </div>
    );
  return (
    <div
      ref={scroller}
      className={css.list}
      role="listbox"
      aria-label="Pending reviews, oldest first"
      tabIndex={0}
      aria-activedescendant={active ? optionId(active.id) : undefined}
    >
      <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
        {virtual.getVirtualItems().map((v) => {
          const r = reviews[v.index]!;
          return (
            <ReviewRow
              key={r.id}
              review={r}
              index={v.index}
              total={reviews.length}
              top={v.start}
              isCursor={v.index === cursor}
              isSelected={selected.has(r.id)}
              moveTo={moveTo}
              toggleSelect={toggleSelect}
            />
          );
        })}
      </div>
    </div>
  );
}

interface RowProps {
  review: ReviewView;
  index: number;
  total: number;
  top: number;
  isCursor: boolean;
  isSelected: boolean;
  moveTo(index: number): void;
  toggleSelect(reviewId: string): void;
}

const ReviewRow = memo(function ReviewRow({ review: r, index, total, top, isCursor, isSelected, moveTo, toggleSelect }: RowProps) {
  const cls = [css.row, isCursor ? css.cursor : r.localDecision ? css.decided : ''].join(' ');
  return (
    // Keys are the listbox's (aria-activedescendant, j/k and the rest): an option is not focusable on its own.
    // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/useFocusableInteractive: see above
    <div
      id={optionId(r.id)}
      role="option"
      aria-selected={isCursor}
      aria-posinset={index + 1}
      aria-setsize={total}
      className={cls}
      style={{ top, height: ROW_HEIGHT }}
      onClick={(e) => (e.ctrlKey || e.metaKey ? toggleSelect(r.id) : moveTo(index))}
    >
      <span className={css.mark} aria-hidden="true">
        {isSelected ? '✓' : ''}
      </span>
      <div className={css.line1}>
        <span className={css.business}>{r.businessName}</span>
        <span className={css.meta}>
          <span aria-hidden="true">{stars(r.rating)}</span>
          <span className="visually-hidden">{` ${r.rating} stars`}</span>
        </span>
        <span className={css.meta}>
          <Time at={r.createdAt} />
        </span>
        <span className={css.meta}>AI {confidenceText(r.aiConfidence)}</span>
        {isSelected ? <span className="visually-hidden">, selected</span> : null}
      </div>
      <div className={css.line2}>
        {r.localDecision ? <Badge tone="YELLOW">{decisionState(r.localDecision)}</Badge> : null}
        {r.aiFlags.length ? (
          <span className={css.flags}>
            {r.aiFlags.map((f) => (
              <Badge key={f} tone="RED">
                {flagLabel(f)}
              </Badge>
            ))}
          </span>
        ) : null}
        <span className={css.excerpt}>{firstLine(r.body)}</span>
      </div>
    </div>
  );
});
