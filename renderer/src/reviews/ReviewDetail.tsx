// The review at the cursor: its full text (as text: reviews are untrusted),
// flags, confidence, and its decision waiting to sync with Undo, or the
// buttons to decide it.
import type { Freeze, RejectReason, ReviewView } from '../../../shared/ipc/contract.ts';
import { FreezeNote } from '../escalations/FreezeNote.tsx';
import { Badge } from '../ui/Badge.tsx';
import { Time } from '../ui/Time.tsx';
import { confidenceText, decisionState, flagLabel, REJECT_REASONS, stars } from './describe.ts';
import css from './reviews.module.css';

export interface ReviewDetailProps {
  review: ReviewView | null;
  /** A legal escalation holding the review's business (its refunds, activations, flags and emails wait; the review does not). */
  freeze: Freeze | null;
  position: number;
  total: number;
  isSelected: boolean;
  selectedCount: number;
  busy: boolean;
  approve(): void;
  /** Opens the reject dialog (a note, or several selected). */
  reject(): void;
  /** Rejects the selection, or the review shown, for one reason: one click, one decision. */
  rejectAs(reason: RejectReason): void;
  undo(): void;
  toggleSelect(): void;
  clearSelection(): void;
}

export function ReviewDetail(p: ReviewDetailProps) {
  const r = p.review;
  if (!r)
    return (
      <section className={css.detail} aria-label="Review">
        <p className="muted">Nothing to review: the queue is clear.</p>
      </section>
    );
  const d = r.localDecision;
  return (
    <section className={css.detail} aria-labelledby="review-detail-h">
      <h2 id="review-detail-h">{r.businessName}</h2>
      {p.freeze ? <FreezeNote freeze={p.freeze} /> : null}
      <p className="muted" style={{ margin: 0 }}>
        Review {p.position} of {p.total}
      </p>
      <dl className={css.facts}>
        <dt>Rating</dt>
        <dd>
          <span aria-hidden="true">{stars(r.rating)}</span> {r.rating} of 5
        </dd>
        <dt>Created</dt>
        <dd>
          <Time at={r.createdAt} />
        </dd>
        <dt>By</dt>
        <dd>{r.displayName ?? 'Anonymous'}</dd>
        <dt>AI confidence</dt>
        <dd>{confidenceText(r.aiConfidence)}</dd>
        <dt>Flags</dt>
        <dd>
          {r.aiFlags.length ? (
            <span className={css.flags}>
              {r.aiFlags.map((f) => (
                <Badge key={f} tone="RED">
                  {flagLabel(f)}
                </Badge>
              ))}
            </span>
          ) : (
            'none'
          )}
        </dd>
      </dl>
      <blockquote className={css.body} aria-label="Review text">
        {r.body}
      </blockquote>
      {d ? (
        <div className={css.waiting} role="status">
          <span>{decisionState(d)}</span>
          {d.state === 'pending' ? (
            <button type="button" onClick={p.undo} disabled={p.busy}>
              Undo
            </button>
          ) : null}
        </div>
      ) : (
        <div className={css.buttons}>
          <button type="button" className="primary" onClick={p.approve} disabled={p.busy} aria-keyshortcuts="a">
            Approve
          </button>
          {p.selectedCount ? null : (
            <>
              <button type="button" className="danger" onClick={p.reject} disabled={p.busy} aria-keyshortcuts="r">
                Reject…
              </button>
              <RejectAs what="Reject" busy={p.busy} rejectAs={p.rejectAs} />
            </>
          )}
        </div>
      )}
      <div className={css.buttons}>
        <button type="button" onClick={p.toggleSelect} aria-pressed={p.isSelected} aria-keyshortcuts="x">
          Select
        </button>
        {p.selectedCount ? (
          <>
            <button type="button" className="danger" onClick={p.reject} disabled={p.busy} aria-keyshortcuts="r">
              Reject {p.selectedCount} selected…
            </button>
            <RejectAs what={`Reject ${p.selectedCount} selected`} busy={p.busy} rejectAs={p.rejectAs} />
            <button type="button" onClick={p.clearSelection}>
              Clear selection
            </button>
          </>
        ) : null}
      </div>
    </section>
  );
}

/** One button per reason, its key shown: "Spam (s)", named "Reject: Spam (s)" (the name holds the visible words). */
function RejectAs({ what, busy, rejectAs }: { what: string; busy: boolean; rejectAs(reason: RejectReason): void }) {
  return (
    <fieldset aria-label={`${what} as`} className={css.rejectAs}>
      {REJECT_REASONS.map((r) => (
        <button
          key={r.value}
          type="button"
          className="danger"
          onClick={() => rejectAs(r.value)}
          disabled={busy}
          aria-keyshortcuts={r.key}
          aria-label={`${what}: ${r.label} (${r.key})`}
        >
          {r.label} ({r.key})
        </button>
      ))}
    </fieldset>
  );
}
