// One business's dossier: what the facts add up to (the server's findings,
// each naming its action, and their steps taken in one click unless a legal
// freeze holds the business), then featured status and queue, payments with
// Stripe's state, and charges Stripe has that we do not, each with its fix.
import type { Dossier } from '../../../shared/api/investigation.ts';
import type { Freeze } from '../../../shared/ipc/contract.ts';
import { FreezeNote } from '../escalations/FreezeNote.tsx';
import { Badge } from '../ui/Badge.tsx';
import { formatAud, formatMelbourneDate } from '../ui/format.ts';
import { Time } from '../ui/Time.tsx';
import css from './complaints.module.css';
import { DoFindings } from './DoFindings.tsx';
import { DossierMore } from './DossierMore.tsx';
import type { ComplaintsState } from './store.ts';

const STANDING: Record<Dossier['payments'][number]['standing'], string> = {
  featured: 'featured now',
  queued: 'waiting in the queue',
  ended: 'placement ended',
  held: 'held (second purchase)',
  refunded: 'refunded',
  failed: 'failed',
  orphaned: 'nothing: no placement, no queue entry',
  pending: 'checkout not finished',
};

export function DossierView({ d, s, freeze, escalate }: { d: Dossier; s: ComplaintsState; freeze: Freeze | null; escalate(): void }) {
  const b = d.business;
  // Under a legal freeze the server refuses activations, emails and flags: none is offered (the note above says why).
  const canActivate = (p: Dossier['payments'][number]) =>
    !freeze && (p.standing === 'orphaned' || (p.standing === 'queued' && d.queue?.paymentId === p.id && d.queue.position === 0));
  return (
    <article aria-labelledby="dossier-h">
      <h2 id="dossier-h">{b.name}</h2>
      {freeze ? <FreezeNote freeze={freeze} /> : null}
      <p>
        {b.councilName} · owner {b.ownerName ?? 'unnamed'} {b.ownerEmail ? `<${b.ownerEmail}>` : ''} · business id <code>{b.id}</code>
        {b.accountStatus === 'flagged_for_review' ? (
          <>
            {' '}
            <Badge tone="YELLOW">Account flagged for review</Badge>
          </>
        ) : null}{' '}
        <button type="button" onClick={escalate}>
          Escalate…
        </button>
      </p>
      <section className={css.panel} aria-labelledby="findings-h">
        <h3 id="findings-h">What this adds up to</h3>
        <ul className={css.findings}>
          {d.findings.map((f) => (
            <li key={f.text}>
              <Badge tone={f.severity === 'problem' ? 'YELLOW' : 'NEUTRAL'}>{f.severity === 'problem' ? 'Act' : 'Note'}</Badge> {f.text}
            </li>
          ))}
        </ul>
        {freeze ? null : <DoFindings d={d} s={s} />}
      </section>

      <section className={css.panel} aria-labelledby="featured-h">
        <h3 id="featured-h">Featured placement and queue</h3>
        <p>{d.featured ? `Featured until ${formatMelbourneDate(d.featured.until)}.` : 'Not featured now.'}</p>
        {d.queue ? (
          <p>
            {d.queue.position === 0
              ? `A slot is free for the purchase paid ${formatMelbourneDate(d.queue.paidAt)}: activate it now.`
              : `Queue position #${d.queue.position} in ${b.councilName}, estimated start ${formatMelbourneDate(d.queue.eta)} (from current expiries).`}{' '}
            {d.queue.activeInCouncil} of {d.queue.slots} slots taken, {d.queue.waitingInCouncil} waiting.
          </p>
        ) : null}
        <div className={css.actions}>
          {d.queue && !freeze ? (
            <button type="button" onClick={() => void s.email('queue_position_reply')} disabled={s.busy}>
              Email the queue position and ETA
            </button>
          ) : null}
          <button type="button" onClick={() => void s.checkQueue()} disabled={s.busy}>
            Check the {b.councilName} queue order
          </button>
        </div>
        {s.queueCheck ? (
          <p>
            {s.queueCheck.outcome === 'in_order' ? (
              <Badge tone="GREEN">{`The ${s.queueCheck.council} queue is in payment order`}</Badge>
            ) : (
              <>
                <Badge tone="RED">Out of order</Badge> {s.queueCheck.message ?? 'escalated as a RED alert'}
              </>
            )}
          </p>
        ) : null}
      </section>

      <section className={css.panel} aria-labelledby="payments-h">
        <h3 id="payments-h">Payments</h3>
        {d.payments.length === 0 ? <p className="muted">No payment recorded here.</p> : null}
        <ul className={css.findings}>
          {d.payments.map((p) => (
            <li key={p.id}>
              <strong>{formatAud(p.amountCents)}</strong> paid <Time at={p.paidAt} /> (<code>{p.chargeId ?? p.paymentIntentId}</code>): recorded {p.status}, got{' '}
              {STANDING[p.standing]}. Stripe says{' '}
              {p.stripeError ??
                (p.stripe ? `${p.stripe.status}${p.stripe.refunded ? ', refunded' : ''}, ${formatAud(p.stripe.amountCents)}` : 'no such charge')}
              .{' '}
              {canActivate(p) ? (
                <button type="button" className="primary" onClick={() => void s.activate(p.id)} disabled={s.busy}>
                  Activate the placement
                </button>
              ) : null}
            </li>
          ))}
        </ul>
        {d.unrecorded.length ? (
          <>
            <h4>In Stripe, not recorded here</h4>
            <ul className={css.findings}>
              {d.unrecorded.map((c) => (
                <li key={c.chargeId}>
                  <strong>{formatAud(c.amountCents)}</strong> {c.status} <Time at={c.createdAt} /> (<code>{c.chargeId}</code>)
                </li>
              ))}
            </ul>
            <button type="button" className="primary" onClick={() => void s.recover()} disabled={s.busy}>
              Recover from Stripe
            </button>
          </>
        ) : null}
      </section>
      <DossierMore d={d} s={s} frozen={freeze !== null} />
    </article>
  );
}
