// "Apply the refund policy to the N requests": what the policy decides for
// each (approve inside the window, deny outside, in the server's words) and
// the email each decision sends, then the ones it leaves out and why. One
// confirm queues them all; each stays undoable on its card until it syncs.
// Everything here is the server's or the trainer's text: shown as text,
// never as markup.
import type { RefundPolicyOutcome, RefundPolicyPreview } from '../../../shared/ipc/contract.ts';
import { Badge } from '../ui/Badge.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { formatAud } from '../ui/format.ts';
import uiCss from '../ui/ui.module.css';
import css from './refunds.module.css';

export interface PolicyDialogProps {
  preview: RefundPolicyPreview;
  busy: boolean;
  confirm(): void;
  close(): void;
}

const requests = (n: number) => `${n} ${n === 1 ? 'request' : 'requests'}`;

function Outcome({ o }: { o: RefundPolicyOutcome }) {
  const approve = o.outcome === 'approve';
  return (
    <li className={css.outcome}>
      <div className={css.head}>
        <h4>{o.businessName}</h4>
        <span className={css.amount}>{formatAud(o.amountCents)}</span>
        <Badge tone={approve ? 'GREEN' : 'RED'}>{approve ? 'Approve' : 'Deny'}</Badge>
      </div>
      <p className={css.rule}>{o.policy}</p>
      {o.email ? (
        <section className={css.email} aria-label={`Email to ${o.businessName}`}>
          <p>
            <span className="muted">Subject:</span> <strong>{o.email.subject}</strong>
          </p>
          <p className={css.body}>{o.email.body}</p>
        </section>
      ) : (
        <p className="muted">
          The server sends its refund-{approve ? 'approved' : 'denied'} email when it applies this decision; the cache has no preview of it.
        </p>
      )}
    </li>
  );
}

export function PolicyDialog({ preview, busy, confirm, close }: PolicyDialogProps) {
  const { count, approvals, denials, approvedCents, decide, leftOut } = preview;
  return (
    <Dialog title={`Apply the refund policy to ${requests(count)}`} onClose={close}>
      <p>
        {approvals} to approve{approvals ? ` (${formatAud(approvedCents)} refunded through Stripe)` : ''}, {denials} to deny, as the server's policy decides
        each. Each sends the email shown when it syncs; until then each card says it waits to sync and can be undone.
      </p>
      <h3>What the policy decides</h3>
      <ul className={css.outcomes}>
        {decide.map((o) => (
          <Outcome key={o.refundId} o={o} />
        ))}
      </ul>
      {leftOut.length ? (
        <>
          <h3>Left out ({leftOut.length})</h3>
          <ul className={css.leftOut}>
            {leftOut.map((l) => (
              <li key={l.refundId}>
                <strong>{l.businessName}</strong> {formatAud(l.amountCents)}
                <Badge tone={l.why === 'frozen' ? 'YELLOW' : 'NEUTRAL'}>{l.why === 'frozen' ? 'Frozen' : 'Decided here'}</Badge>
                <p className={css.rule}>{l.reason}</p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <div className={uiCss.actions}>
        <button type="button" onClick={close}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={busy} onClick={confirm}>
          Decide {count} by the policy
        </button>
      </div>
    </Dialog>
  );
}
