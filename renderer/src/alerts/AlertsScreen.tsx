// Alerts and activity: the open alerts (with the one a notification pointed
// at highlighted), the activity log with its filter, flagged accounts and
// incident reports.
import { useStore } from 'zustand';
import { playbookForAlert } from '../../../shared/api/playbooks.ts';
import type { Stores } from '../app/stores.ts';
import { exportIncident, openPlaybook, resumePlaybook } from '../playbooks/open.ts';
import { ActivityLog } from './ActivityLog.tsx';
import { OpenAlerts } from './OpenAlerts.tsx';
import { FlaggedAccounts, Incidents } from './Others.tsx';
import { ResolveDialog } from './ResolveDialog.tsx';
import css from './alerts.module.css';

export function AlertsScreen({ stores }: { stores: Stores }) {
  const s = useStore(stores.alerts);
  const focusId = useStore(stores.nav, (n) => n.focusAlertId);
  const dialogAlert = s.resolveId ? s.alerts.find((a) => a.id === s.resolveId) : undefined;
  const red = s.alerts.filter((a) => a.severity === 'RED').length;
  return (
    <>
      <h1>Alerts and activity</h1>
      <div className={css.layout}>
        <section className={`${css.panel} ${css.wide}`} aria-labelledby="open-h">
          <h2 id="open-h">
            Open alerts ({red} RED, {s.alerts.length - red} YELLOW)
          </h2>
          <OpenAlerts
            alerts={s.alerts}
            resolving={s.resolving}
            focusId={focusId}
            now={Date.now()}
            resolve={s.openResolve}
            undo={(id) => void s.undo(id)}
            open={(screen) => stores.nav.getState().go(screen)}
            openPlaybook={(a) => {
              const kind = playbookForAlert(a.kind);
              if (kind) void openPlaybook(stores, kind, { kind: 'alert', id: a.id });
            }}
            escalate={(a) => stores.escalations.getState().start({ kind: 'alert', id: a.id }, `the ${a.severity} alert "${a.message}"`)}
          />
        </section>
        <section className={css.panel} aria-labelledby="activity-h">
          <h2 id="activity-h">Activity log</h2>
          <ActivityLog activity={s.activity} search={s.search} setSearch={(q) => void s.setSearch(q)} />
        </section>
        <div className={css.list}>
          <section className={css.panel} aria-labelledby="accounts-h">
            <h2 id="accounts-h">Flagged accounts ({s.accounts.length})</h2>
            <FlaggedAccounts accounts={s.accounts} />
          </section>
          <section className={css.panel} aria-labelledby="incidents-h">
            <h2 id="incidents-h">Incident reports</h2>
            <Incidents
              incidents={s.incidents}
              resume={(id) => resumePlaybook(stores, id)}
              exportFile={(id, format) => void exportIncident(stores, id, format)}
            />
          </section>
        </div>
      </div>
      {dialogAlert ? <ResolveDialog alert={dialogAlert} busy={s.busy} confirm={(note) => void s.resolve(note)} close={s.closeResolve} /> : null}
    </>
  );
}
