// Session 3 (spec 2.3): payment reconciliation. Run compares the last 7 days
// of our charges with Stripe's on the server; the result shows both totals
// and each discrepancy under its class with what it means and the fix to
// make; every run is archived and any report can be saved as CSV or PDF.
import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { Discrepancy, ReconciliationRun } from '../../../shared/api/reconciliation.ts';
import { plural } from '../../../shared/words.ts';
import type { Stores } from '../app/stores.ts';
import { Badge } from '../ui/Badge.tsx';
import { formatAud } from '../ui/format.ts';
import { saveFile } from '../ui/save-file.ts';
import { StatusNote } from '../ui/StatusNote.tsx';
import { Time } from '../ui/Time.tsx';
import css from './reconciliation.module.css';

const CLASS_TITLES: Record<Discrepancy['class'], string> = {
  missing_in_stripe: 'Recorded here, not in Stripe',
  missing_here: 'In Stripe, not recorded here',
  amount_mismatch: 'Amount or currency differs',
  status_mismatch: 'Refunded on one side only',
};

export function ReconciliationScreen({ stores }: { stores: Stores }) {
  const s = useStore(stores.reconciliation);
  useEffect(() => void stores.reconciliation.getState().load(), [stores]);
  // A new comparison (a run, or the one after a fix) may complete the week's reconciliation session.
  useEffect(() => {
    if (s.run && stores.week.getState().view?.run) void stores.week.getState().load();
  }, [s.run, stores]);
  const saveReport = async (id: string, format: 'csv' | 'pdf') => {
    const file = await s.fetchFile(id, format);
    if (file) saveFile(file);
  };
  return (
    <>
      <h1>Payment reconciliation</h1>
      <p>Compares the last 7 days of charges in our records with Stripe's, charge by charge. Needs a connection.</p>
      <button type="button" className="primary" onClick={() => void s.runNow()} disabled={s.running}>
        {s.running ? 'Reconciling…' : 'Run reconciliation'}
      </button>
      <StatusNote text={s.error ?? (s.saved ? `Saved ${s.saved}` : null)} />
      <StatusNote text={s.fixed} live={false} />
      {s.run ? (
        <RunResult
          run={s.run}
          busy={s.running}
          recover={() => void s.recover()}
          confirming={s.confirming}
          ask={s.askMarkFailed}
          markFailed={(id) => void s.markFailed(id)}
        />
      ) : null}
      <section aria-labelledby="reports-h">
        <h2 id="reports-h">Reports</h2>
        {s.reports.length === 0 ? (
          <p className="muted">No report archived yet.</p>
        ) : (
          <table>
            <caption className="visually-hidden">Archived reconciliation reports, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Report</th>
                <th scope="col">Run</th>
                <th scope="col">Ours</th>
                <th scope="col">Stripe</th>
                <th scope="col">Discrepancies</th>
                <th scope="col">Save</th>
              </tr>
            </thead>
            <tbody>
              {s.reports.map((r) => (
                <tr key={r.id}>
                  <td>{r.name}</td>
                  <td>
                    <Time at={r.runAt} /> {r.trigger === 'schedule' ? '(daily)' : '(by hand)'}
                  </td>
                  <td>{formatAud(r.ourTotalCents)}</td>
                  <td>{formatAud(r.stripeTotalCents)}</td>
                  <td>{r.discrepancies === 0 ? <Badge tone="GREEN">None</Badge> : <Badge tone="YELLOW">{String(r.discrepancies)}</Badge>}</td>
                  <td className={css.save}>
                    <button type="button" onClick={() => void saveReport(r.id, 'csv')} aria-label={`Save ${r.name} as CSV`}>
                      CSV
                    </button>
                    <button type="button" onClick={() => void saveReport(r.id, 'pdf')} aria-label={`Save ${r.name} as PDF`}>
                      PDF
                    </button>
                    <button
                      type="button"
                      onClick={() => stores.escalations.getState().start({ kind: 'reconciliation', id: r.id }, `the reconciliation report ${r.name}`)}
                      aria-label={`Escalate ${r.name}`}
                    >
                      Escalate…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

interface RunResultProps {
  run: ReconciliationRun;
  busy: boolean;
  recover(): void;
  confirming: string | null;
  ask(paymentId: string | null): void;
  markFailed(paymentId: string): void;
}

function RunResult({ run, busy, recover, confirming, ask, markFailed }: RunResultProps) {
  const same = run.discrepancies.length === 0;
  const classes = Object.keys(CLASS_TITLES) as Discrepancy['class'][];
  return (
    <section className={css.panel} aria-labelledby="result-h">
      <h2 id="result-h">{run.name}</h2>
      <p>
        Our records: <strong>{formatAud(run.ourTotalCents)}</strong> in {plural(run.ourCount, 'charge')}. Stripe:{' '}
        <strong>{formatAud(run.stripeTotalCents)}</strong> in {plural(run.stripeCount, 'charge')}.
      </p>
      <p>
        {same ? (
          <Badge tone="GREEN">Match: every charge agrees</Badge>
        ) : (
          <Badge tone="YELLOW">{`${plural(run.discrepancies.length, 'discrepancy', 'discrepancies')}; ${run.matched} matched`}</Badge>
        )}
      </p>
      {classes.map((k) => {
        const items = run.discrepancies.filter((d) => d.class === k);
        if (!items.length) return null;
        return (
          <section key={k} aria-label={CLASS_TITLES[k]}>
            <h3>
              {CLASS_TITLES[k]} ({items.length})
            </h3>
            <p className="muted">{items[0]!.meaning}</p>
            <ul className={css.items}>
              {items.map((d) => (
                <li key={`${d.chargeId}-${d.paymentId}`}>
                  Charge <code>{d.chargeId ?? 'none'}</code>: ours {d.ours ? `${formatAud(d.ours.amountCents)} ${d.ours.status}` : 'no record'}, Stripe{' '}
                  {d.stripe ? `${formatAud(d.stripe.amountCents)} ${d.stripe.status}` : 'no charge'}. Fix: {d.fixLabel}.
                  {d.fix === 'mark_failed' && d.paymentId ? <MarkFailed paymentId={d.paymentId} {...{ busy, confirming, ask, markFailed }} /> : null}
                </li>
              ))}
            </ul>
            {k === 'missing_here' ? (
              <button type="button" onClick={recover} disabled={busy}>
                Recover missed payments
              </button>
            ) : null}
          </section>
        );
      })}
    </section>
  );
}

/** "Mark failed" asks once more before it goes to the server (which asks Stripe before it marks). */
function MarkFailed(p: { paymentId: string } & Pick<RunResultProps, 'busy' | 'confirming' | 'ask' | 'markFailed'>) {
  if (p.confirming !== p.paymentId) {
    return (
      <button type="button" className={css.fix} onClick={() => p.ask(p.paymentId)} disabled={p.busy}>
        Mark the payment failed…
      </button>
    );
  }
  return (
    <fieldset className={css.confirm}>
      <legend className="visually-hidden">Confirm marking the payment failed</legend>
      Mark it failed? The server checks with Stripe first.{' '}
      <button type="button" className="primary" onClick={() => p.markFailed(p.paymentId)}>
        Mark failed
      </button>{' '}
      <button type="button" onClick={() => p.ask(null)}>
        Keep it
      </button>
    </fieldset>
  );
}
