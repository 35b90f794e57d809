// Session 2 (spec 2.2): the pending refund requests, decided in a dialog that
// shows the email first, one by one or all at once by the policy (issue 21);
// decisions wait in the outbox until the next sync.
// Under them, playbook 5's refund pattern, read on demand.
import { useStore } from 'zustand';
import type { Stores } from '../app/stores.ts';
import { DecisionDialog } from './DecisionDialog.tsx';
import { PolicyDialog } from './PolicyDialog.tsx';
import { RefundList, hours } from './RefundList.tsx';
import { RefundPattern } from './RefundPattern.tsx';
import { policyCount } from './store.ts';
import css from './refunds.module.css';

export function RefundsScreen({ stores }: { stores: Stores }) {
  const s = useStore(stores.refunds);
  const open = s.deciding ? s.refunds.find((r) => r.id === s.deciding!.refundId) : undefined;
  const windowHours = s.refunds[0]?.windowHours;
  const n = s.loaded ? policyCount(s.refunds) : 0;
  return (
    <>
      <h1>Refund requests</h1>
      <p className={`muted ${css.intro}`}>
        Oldest purchase first. {windowHours !== undefined ? `Refunds are allowed within ${hours(windowHours)} of purchase, no exceptions; ` : ''}
        eligibility is as the server computed it. Decisions wait to sync and can be undone until then.
      </p>
      {n > 0 ? (
        <div className={css.toolbar}>
          <button type="button" className="primary" disabled={s.busy} onClick={() => void s.openPolicy()}>
            Apply the refund policy to the {n} {n === 1 ? 'request' : 'requests'}
          </button>
        </div>
      ) : null}
      {s.loaded ? <RefundList refunds={s.refunds} decide={s.open} undo={(id) => void s.undo(id)} /> : <p role="status">Loading refund requests…</p>}
      {s.deciding && open ? (
        <DecisionDialog
          key={open.id + s.deciding.kind}
          refund={open}
          kind={s.deciding.kind}
          busy={s.busy}
          confirm={(note) => void s.decide(note)}
          close={s.close}
        />
      ) : null}
      {s.policy ? <PolicyDialog preview={s.policy} busy={s.busy} confirm={() => void s.applyPolicy()} close={s.closePolicy} /> : null}
      <RefundPattern store={stores.refundPattern} />
    </>
  );
}
