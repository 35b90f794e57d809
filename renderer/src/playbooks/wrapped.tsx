// Playbooks 4.4 (queue dispute) and 4.5 (high refund rate) wrap what the
// console already had — the dossier's queue facts and the queue-order check,
// the refund pattern — as steps, so they end the same way as the others: each
// action recorded in the run, then the report.
import { useId, useState } from 'react';
import { useStore } from 'zustand';
import type { RefundPatternStore } from '../refunds/pattern.ts';
import { RefundPattern } from '../refunds/RefundPattern.tsx';
import { Badge } from '../ui/Badge.tsx';
import { formatMelbourneDate } from '../ui/format.ts';
import { MarkDone, type PanelProps } from './parts.tsx';
import css from './playbooks.module.css';

type Wrapped = { playbook: 'queue_dispute' | 'refund_rate'; councilId: string | null; businessId: string | null };
type P = PanelProps<Wrapped>;

export const queuePanels = (p: P, openDossier: () => void) => ({
  verify: <QueueData {...p} openDossier={openDossier} />,
  integrity: <QueueOrder {...p} />,
  email: <QueueEmail {...p} />,
  escalate: <Escalate {...p} />,
});

function QueueData({ s, facts: f, locked, openDossier }: P & { openDossier(): void }) {
  const d = s.dossier;
  const q = d?.queue;
  return (
    <>
      {!f.businessId ? <p>Opened from the queue alert: no trainer is named; check the council's queue order in the next step.</p> : null}
      {d ? (
        <p>
          {d.business.name} ({d.business.councilName}):{' '}
          {q
            ? `queue position #${q.position}, paid ${formatMelbourneDate(q.paidAt)}, estimated start ${formatMelbourneDate(q.eta)}; ${q.activeInCouncil} of ${q.slots} slots taken, ${q.waitingInCouncil} waiting.`
            : d.featured
              ? `featured until ${formatMelbourneDate(d.featured.until)}, not in the queue.`
              : 'not featured and not in the queue.'}
        </p>
      ) : null}
      <div className={css.actions}>
        {f.businessId ? (
          <button type="button" disabled={s.busy || locked} onClick={() => void s.investigate()}>
            Read the queue data
          </button>
        ) : null}
        {f.businessId ? (
          <button type="button" onClick={openDossier}>
            Open the dossier
          </button>
        ) : null}
        <MarkDone
          label="Mark as verified"
          disabled={s.busy || locked}
          onClick={() => void s.complete('verify', q ? `Queue position #${q.position}, paid ${formatMelbourneDate(q.paidAt)}` : 'Queue data read')}
        />
      </div>
    </>
  );
}

function QueueOrder({ s, facts: f, locked }: P) {
  const c = s.queueCheck;
  const can = Boolean(f.councilId ?? s.dossier?.business.councilId);
  return (
    <>
      {c ? (
        <p>
          {c.outcome === 'in_order' ? (
            <Badge tone="GREEN">{`The ${c.council} queue is in payment order`}</Badge>
          ) : (
            <>
              <Badge tone="RED">Out of order</Badge> {c.message ?? 'escalated as a RED alert'}
            </>
          )}
        </p>
      ) : null}
      {!can ? <p className="muted">Read the queue data first: the check needs the council.</p> : null}
      <div className={css.actions}>
        <button type="button" disabled={s.busy || locked || !can} onClick={() => void s.checkQueue()}>
          Check the queue order
        </button>
      </div>
    </>
  );
}

function QueueEmail({ s, facts: f, locked }: P) {
  if (!f.businessId) return <p>No trainer to email: the playbook was opened from the alert.</p>;
  const name = s.dossier?.business.name ?? 'the trainer';
  return (
    <div className={css.actions}>
      <button
        type="button"
        disabled={s.busy || locked}
        onClick={() => void s.emailTrainer('email', f.businessId!, 'queue_position_reply', `Emailed ${name} the queue position and its ETA`)}
      >
        Email the queue position and ETA
      </button>
    </div>
  );
}

function Escalate({ s, locked }: P) {
  const id = useId();
  const wrong = s.queueCheck && s.queueCheck.outcome !== 'in_order';
  const [note, setNote] = useState('');
  if (!wrong) {
    return (
      <>
        <p>{s.queueCheck ? 'The queue is in payment order: nothing to escalate.' : 'Escalate only if the order check finds the queue out of order.'}</p>
        <MarkDone
          label="Mark as not needed"
          disabled={s.busy || locked}
          onClick={() => void s.complete('escalate', 'The queue is in payment order: not escalated')}
        />
      </>
    );
  }
  return (
    <>
      <label htmlFor={id}>Who it was escalated to, and what they were told</label>
      <textarea id={id} className={css.message} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
      <div className={css.actions}>
        <MarkDone label="Record the escalation" disabled={s.busy || locked || !note.trim()} onClick={() => void s.complete('escalate', note)} />
      </div>
    </>
  );
}

export const refundPanels = (p: P, pattern: RefundPatternStore) => ({
  analyze: <Analyze {...p} pattern={pattern} />,
  act: <FlagRepeat {...p} pattern={pattern} />,
  document: <Document {...p} pattern={pattern} />,
});

type RP = P & { pattern: RefundPatternStore };

function Analyze({ s, locked, pattern }: RP) {
  const p = useStore(pattern, (x) => x.pattern);
  return (
    <>
      <RefundPattern store={pattern} />
      <div className={css.actions}>
        <MarkDone
          label="Mark as analyzed"
          disabled={s.busy || locked || !p}
          onClick={() =>
            // The findings open with the rate in words ("Refund rate 17.9% over 7 days (5 refunds of 28 purchases), …"): not said twice.
            void s.complete('analyze', p ? p.findings.map((f) => f.text).join(' ') : '')
          }
        />
      </div>
    </>
  );
}

function FlagRepeat({ s, locked, pattern }: RP) {
  const p = useStore(pattern, (x) => x.pattern);
  if (!p) return <p>Analyze the refund pattern first (step 1).</p>;
  const repeat = p.trainers.filter((t) => t.refunds >= 2 && t.accountStatus !== 'flagged_for_review');
  if (!repeat.length) {
    return (
      <>
        <p>No repeat refunder left to flag.</p>
        <MarkDone label="Mark as done" disabled={s.busy || locked} onClick={() => void s.complete('act', 'No repeat refunder to flag')} />
      </>
    );
  }
  return (
    <ul>
      {repeat.map((t) => {
        const name = t.ownerName ?? t.email ?? 'the trainer';
        return (
          <li key={t.ownerId}>
            {name}: {t.refunds} refunds of {t.purchases} purchases.{' '}
            <button
              type="button"
              disabled={s.busy || locked}
              onClick={async () => {
                await s.flag(t.ownerId, name, `${t.refunds} refunds of ${t.purchases} purchases in ${p.days} days, possible abuse (refund pattern)`);
                await pattern.getState().analyze();
              }}
            >
              Flag {name}'s account for review
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function Document({ s, locked, pattern }: RP) {
  const id = useId();
  const p = useStore(pattern, (x) => x.pattern);
  // The findings open with the rate ("Refund rate 17.9% over 7 days (5 refunds of 28 purchases), …"): not said twice.
  const written = p ? p.findings.map((f) => f.text).join(' ') : '';
  const [note, setNote] = useState<string | null>(null);
  const text = note ?? written;
  return (
    <>
      <label htmlFor={id}>Note for the product team</label>
      <textarea id={id} className={css.message} maxLength={1000} value={text} onChange={(e) => setNote(e.target.value)} />
      <div className={css.actions}>
        <MarkDone label="Mark as documented" disabled={s.busy || locked || !text.trim()} onClick={() => void s.complete('document', text)} />
      </div>
    </>
  );
}
