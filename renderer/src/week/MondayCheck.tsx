// Spec 1.2, the Monday check in five minutes: each RED alert, acted on now
// (its playbook opens) or deferred to Thursday (it reappears at the start of
// the batch). Each decision is recorded and logged.
import { useStore } from 'zustand';
import { playbookForAlert } from '../../../shared/api/playbooks.ts';
import type { Stores } from '../app/stores.ts';
import { openPlaybook } from '../playbooks/open.ts';
import { Badge } from '../ui/Badge.tsx';
import { Time } from '../ui/Time.tsx';
import css from './week.module.css';

export function MondayCheck({ stores }: { stores: Stores }) {
  const s = useStore(stores.week);
  const alerts = s.view?.monday.alerts ?? [];
  return (
    <section className={css.section} aria-labelledby="monday-h">
      <h2 id="monday-h">Monday check</h2>
      {alerts.length === 0 ? (
        <p>No RED alert: nothing needs action now.</p>
      ) : (
        <ul>
          {alerts.map((a) => (
            <li key={a.id}>
              <MondayAlert stores={stores} alert={a} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

type MondayItem = { id: string; message: string; openedAt: string; decision: 'act_now' | 'deferred' | null };

/** One RED alert with its two choices. */
function MondayAlert({ stores, alert: a }: { stores: Stores; alert: MondayItem }) {
  return (
    <>
      <Badge tone="RED">RED</Badge> {a.message} (since <Time at={a.openedAt} />) <Choices stores={stores} alert={a} />
    </>
  );
}

/** The dashboard's RED alert with the Monday check's choice beside it. */
export function MondayDecision({ stores, alertId }: { stores: Stores; alertId: string }) {
  const a = useStore(stores.week, (w) => w.view?.monday.alerts.find((x) => x.id === alertId));
  return a ? <Choices stores={stores} alert={a} /> : null;
}

function Choices({ stores, alert: a }: { stores: Stores; alert: MondayItem }) {
  const s = useStore(stores.week);
  const kind = stores.dashboard.getState().alerts.find((x) => x.id === a.id)?.kind ?? '';
  const playbook = playbookForAlert(kind);
  return (
    <>
      {a.decision ? (
        <Badge tone="NEUTRAL">{a.decision === 'deferred' ? 'Deferred to Thursday' : 'Acting now'}</Badge>
      ) : (
        <>
          <button
            type="button"
            onClick={() => {
              void s.decideAlert(a.id, 'act_now');
              if (playbook) void openPlaybook(stores, playbook, { kind: 'alert', id: a.id });
              else stores.nav.getState().go('alerts', { alertId: a.id });
            }}
            aria-label={`Act now: ${a.message}`}
          >
            Act now
          </button>{' '}
          <button type="button" onClick={() => void s.decideAlert(a.id, 'deferred')} aria-label={`Defer to Thursday: ${a.message}`}>
            Defer to Thursday
          </button>
        </>
      )}
    </>
  );
}
