// The pending refund requests as the server judged them: amount, purchase,
// how long after it the request came, the window's end and the verdict. The
// reason is the trainer's own words: shown as text, never as markup.
import type { RefundDecision, RefundView } from '../../../shared/ipc/contract.ts';
import { FreezeNote } from '../escalations/FreezeNote.tsx';
import { Badge } from '../ui/Badge.tsx';
import { formatAud } from '../ui/format.ts';
import { Time } from '../ui/Time.tsx';
import css from './refunds.module.css';

export interface RefundListProps {
  refunds: RefundView[];
  decide(refundId: string, kind: RefundDecision['kind']): void;
  undo(commandId: string): void;
}

export const hours = (h: number) => `${h.toLocaleString('en-AU', { maximumFractionDigits: 1 })} h`;

export function RefundList({ refunds, decide, undo }: RefundListProps) {
  if (!refunds.length) return <p className="muted">No pending refund requests.</p>;
  return (
    <ul className={css.list}>
      {refunds.map((r) => (
        <li key={r.id} className={css.card} aria-labelledby={`refund-${r.id}`}>
          <div className={css.head}>
            <h2 id={`refund-${r.id}`}>{r.businessName}</h2>
            <span className={css.amount}>{formatAud(r.amountCents)}</span>
            <Badge tone={r.eligible ? 'GREEN' : 'RED'}>{r.eligible ? 'Eligible' : 'Not eligible'}</Badge>
          </div>
          <dl className={css.facts}>
            <div>
              <dt>Purchased</dt>
              <dd>
                <Time at={r.paidAt} />
              </dd>
            </div>
            <div>
              <dt>Requested</dt>
              <dd>
                <Time at={r.requestedAt} />
              </dd>
            </div>
            <div>
              <dt>Hours after purchase</dt>
              <dd>
                {hours(r.hoursAfterPurchase)} (window {hours(r.windowHours)})
              </dd>
            </div>
            <div>
              <dt>Eligible until</dt>
              <dd>
                <Time at={r.eligibleUntil} />
              </dd>
            </div>
          </dl>
          <blockquote className={css.reason} aria-label="Reason given">
            {r.reason ? r.reason : <span className="muted">No reason given.</span>}
          </blockquote>
          {r.freeze ? <FreezeNote freeze={r.freeze} /> : null}
          <div className={css.actions}>
            {r.localDecision ? (
              <>
                <Badge tone="NEUTRAL">{r.localDecision.words.replace(/^./, (c) => c.toUpperCase())} here: waiting to sync</Badge>
                {r.localDecision.state === 'pending' ? (
                  <button type="button" onClick={() => undo(r.localDecision!.commandId)} aria-label={`Undo decision for ${r.businessName}`}>
                    Undo
                  </button>
                ) : (
                  <span className="muted">{r.localDecision.state === 'sending' ? 'Sending…' : 'In the dead-letter lane (see Sync)'}</span>
                )}
              </>
            ) : r.freeze ? (
              <span className={css.rule}>No decision while the legal escalation is open: the server would refuse it.</span>
            ) : (
              <>
                {/* The policy holds both ways: only the decision it allows is offered, with the server's reason. */}
                {r.eligible ? (
                  <button
                    type="button"
                    className="primary"
                    onClick={() => decide(r.id, 'approve')}
                    aria-label={`Approve refund request from ${r.businessName}`}
                  >
                    Approve…
                  </button>
                ) : (
                  <button type="button" onClick={() => decide(r.id, 'deny')} aria-label={`Deny refund request from ${r.businessName}`}>
                    Deny…
                  </button>
                )}
                <span className={css.rule}>{r.policy}</span>
              </>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
