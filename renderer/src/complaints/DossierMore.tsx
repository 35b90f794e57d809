// The rest of a dossier: search visibility with its exact reason, refund
// requests, reviews with their moderation history (a wrong rejection approved
// on appeal, the reply to a disputing reviewer), earlier complaints, and
// flagging the owner's account.
import { useState } from 'react';
import { COMPLAINT_KIND } from '../../../shared/api/complaints.ts';
import type { Dossier, ReviewFinding } from '../../../shared/api/investigation.ts';
import { REINSTATE_CAUSE } from '../../../shared/api/operator.ts';
import { Badge } from '../ui/Badge.tsx';
import { Time } from '../ui/Time.tsx';
import css from './complaints.module.css';
import type { ComplaintsState, ReinstateCause } from './store.ts';

/** frozen: a legal escalation holds the business, so its emails and the flag are not offered (the server would refuse them). */
export function DossierMore({ d, s, frozen }: { d: Dossier; s: ComplaintsState; frozen: boolean }) {
  const [reason, setReason] = useState('');
  return (
    <>
      <section className={css.panel} aria-labelledby="search-h">
        <h3 id="search-h">Search visibility</h3>
        <p>
          {d.search.visible ? (
            <Badge tone="GREEN">Shown in search</Badge>
          ) : (
            <>
              <Badge tone="YELLOW">Hidden from search</Badge> because {d.search.reason}.
            </>
          )}{' '}
          Try searching for {d.search.criteria}.
        </p>
        {frozen ? null : (
          <button type="button" onClick={() => void s.email('search_help')} disabled={s.busy}>
            Email the search help
          </button>
        )}
      </section>

      <section className={css.panel} aria-labelledby="refunds-h">
        <h3 id="refunds-h">Refund requests</h3>
        {d.refunds.length === 0 ? <p className="muted">None.</p> : null}
        <ul className={css.findings}>
          {d.refunds.map((r) => (
            <li key={r.id}>
              {r.status}, requested <Time at={r.requestedAt} />
              {r.reason ? `: “${r.reason}”` : ''}
              {r.decidedAt ? ` Decided by ${r.decidedByName ?? 'an operator'}${r.decisionNote ? ` (${r.decisionNote})` : ''}.` : ''}
            </li>
          ))}
        </ul>
      </section>

      <section className={css.panel} aria-labelledby="reviews-h">
        <h3 id="reviews-h">Reviews ({d.reviews.length})</h3>
        {d.reviews.length === 0 ? <p className="muted">None.</p> : null}
        <ul className={css.cards}>
          {d.reviews.map((r) => (
            <ReviewCard key={r.id} r={r} s={s} />
          ))}
        </ul>
      </section>

      {d.complaints.length ? (
        <section className={css.panel} aria-labelledby="past-h">
          <h3 id="past-h">Complaints</h3>
          <ul className={css.findings}>
            {d.complaints.map((c) => (
              <li key={c.id}>
                {COMPLAINT_KIND[c.kind].label}, <Time at={c.createdAt} />: {c.status}
                {c.resolution ? ` (${c.resolution})` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {d.business.ownerId && d.business.accountStatus !== 'flagged_for_review' && !frozen ? (
        <section className={css.panel} aria-labelledby="flag-h">
          <h3 id="flag-h">Flag the owner's account</h3>
          <form
            className={css.form}
            onSubmit={(e) => {
              e.preventDefault();
              void s.flag(reason);
            }}
          >
            <label>
              Why (the trainer cannot buy a placement while flagged)
              <input value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} maxLength={500} />
            </label>
            <div>
              <button type="submit">Flag account</button>
            </div>
          </form>
        </section>
      ) : null}
    </>
  );
}

function ReviewCard({ r, s }: { r: ReviewFinding; s: ComplaintsState }) {
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  return (
    <li className={css.card} aria-label={`Review by ${r.displayName ?? 'anonymous'}, ${r.rating} stars, ${r.status}`}>
      <p className={css.head}>
        <Badge tone={r.status === 'rejected' ? 'YELLOW' : r.status === 'approved' ? 'GREEN' : 'NEUTRAL'}>{r.status}</Badge> {r.rating}★ by{' '}
        {r.displayName ?? 'anonymous'}, <Time at={r.createdAt} />
        {r.rejectionReason ? ` · reason ${r.rejectionReason}${r.rejectionNote ? ` (${r.rejectionNote})` : ''}` : ''}
        {r.disputed ? (
          <>
            {' '}
            <Badge tone="RED">named in the complaint</Badge>
          </>
        ) : null}
      </p>
      <blockquote className={css.message}>{r.body}</blockquote>
      <ol className={css.history} aria-label="Moderation history">
        {r.history.map((h) => (
          <li key={`${h.at}-${h.action}`}>
            <Time at={h.at} />: {h.who} {h.action}
            {h.reason ? `, reason ${h.reason}` : ''}
            {h.note ? ` (${h.note})` : ''}
          </li>
        ))}
      </ol>
      {r.status === 'rejected' ? <Reinstate r={r} s={s} /> : null}
      {r.status !== 'pending' ? (
        <details>
          <summary>Reply to the reviewer about this review…</summary>
          <form
            className={css.form}
            onSubmit={(e) => {
              e.preventDefault();
              void s.replyToReviewer(r.id, to, note);
            }}
          >
            <label>
              Reviewer's email (from their message)
              <input type="email" value={to} onChange={(e) => setTo(e.target.value)} required maxLength={254} />
            </label>
            <label>
              Note for the reply (optional)
              <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
            </label>
            <div>
              <button type="submit">Reply to the reviewer</button>
            </div>
          </form>
        </details>
      ) : null}
    </li>
  );
}

/** 2.5 scenario 3: a rejection found wrong is overturned, its cause kept as feedback; a real one is left as it is. */
function Reinstate({ r, s }: { r: ReviewFinding; s: ComplaintsState }) {
  const [cause, setCause] = useState<ReinstateCause>('ai_false_positive');
  const [note, setNote] = useState('');
  return (
    <details>
      <summary>Approve this review on appeal…</summary>
      <form
        className={css.form}
        aria-label={`Approve the review by ${r.displayName ?? 'anonymous'} on appeal`}
        onSubmit={(e) => {
          e.preventDefault();
          void s.reinstate(r, cause, note);
        }}
      >
        <fieldset className={css.choices}>
          <legend>Why the rejection was wrong</legend>
          {(Object.keys(REINSTATE_CAUSE) as ReinstateCause[]).map((c) => (
            <label key={c}>
              <input type="radio" name={`cause-${r.id}`} value={c} checked={cause === c} onChange={() => setCause(c)} />
              {REINSTATE_CAUSE[c].replace(/^./, (x) => x.toUpperCase())}
            </label>
          ))}
        </fieldset>
        <label>
          Note for the log (optional)
          <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
        </label>
        <div>
          <button type="submit">Approve the review</button>
        </div>
      </form>
    </details>
  );
}
