// The operator's week (spec Parts 1–2) on one page: the Monday check (each
// RED alert acted on now or deferred to Thursday), the Thursday batch's five
// sessions with their budgets and the time spent, what last week left, and
// the weekly log the server writes from what it applied.
import { useStore } from 'zustand';
import { PLAYBOOK, playbookForAlert } from '../../../shared/api/playbooks.ts';
import type { Stores } from '../app/stores.ts';
import { openPlaybook } from '../playbooks/open.ts';
import { Badge } from '../ui/Badge.tsx';
import { formatDuration } from '../ui/format.ts';
import { StatusNote } from '../ui/StatusNote.tsx';
import { Time } from '../ui/Time.tsx';
import { MondayCheck } from './MondayCheck.tsx';
import { exportLog } from './store.ts';
import css from './week.module.css';

const STATUS = { todo: 'To do', current: 'Now', waiting: 'Waits for a connection', done: 'Done', skipped: 'Skipped', auto: 'Nothing to do' } as const;

export function WeekScreen({ stores }: { stores: Stores }) {
  const s = useStore(stores.week);
  const v = s.view;
  const run = v?.run;
  const log = s.log ?? (v?.lastLog ? { text: v.lastLog.log, sha256: v.lastLog.logSha256 } : null);
  return (
    <>
      <h1>The week</h1>
      <StatusNote text={s.error ?? s.done} />
      <MondayCheck stores={stores} />
      <section className={css.section} aria-labelledby="batch-h">
        <h2 id="batch-h">Thursday batch</h2>
        {!run ? (
          <p>
            <button type="button" className="primary" disabled={s.busy} onClick={() => void s.start()}>
              Start the Thursday batch
            </button>{' '}
            Reviews, refunds, reconciliation, cron, complaints: in the spec's order, each with its budget.
          </p>
        ) : (
          <>
            <p className="muted">
              Started <Time at={run.startedAt} />. {v?.online ? '' : 'Offline: reconciliation and complaints wait for a connection.'}
            </p>
            {run.carried.length ? (
              <>
                <h3>Carried over</h3>
                <ul>
                  {run.carried.map((c) => {
                    const playbook = c.kind === 'alert' ? playbookForAlert(alertKindOf(stores, c.id)) : null;
                    return (
                      <li key={c.kind + c.id}>
                        {c.text}{' '}
                        {playbook ? (
                          <button type="button" onClick={() => void openPlaybook(stores, playbook, { kind: 'alert', id: c.id })}>
                            Open playbook: {PLAYBOOK[playbook].title}
                          </button>
                        ) : null}
                      </li>
                    );
                  })}
                </ul>
              </>
            ) : null}
            <table className={css.sessions}>
              <caption className="visually-hidden">The Thursday batch's sessions</caption>
              <thead>
                <tr>
                  <th scope="col">Session</th>
                  <th scope="col">Budget</th>
                  <th scope="col">Spent</th>
                  <th scope="col">State</th>
                  <th scope="col">What is left</th>
                </tr>
              </thead>
              <tbody>
                {run.sessions.map((x) => (
                  <tr key={x.id} aria-current={x.status === 'current' ? 'step' : undefined}>
                    <td>
                      {x.section} {x.title}
                    </td>
                    <td>{x.budget}</td>
                    <td>{formatDuration(x.spentMs)}</td>
                    <td>
                      <Badge
                        tone={
                          x.status === 'skipped'
                            ? 'YELLOW'
                            : x.status === 'current'
                              ? 'NEUTRAL'
                              : x.status === 'todo' || x.status === 'waiting'
                                ? 'NEUTRAL'
                                : 'GREEN'
                        }
                      >
                        {STATUS[x.status]}
                      </Badge>
                    </td>
                    <td>{x.leftWords}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {run.complete ? (
              <p>
                <button type="button" className="primary" disabled={s.busy} onClick={() => void s.finish()}>
                  Finish and write the weekly log
                </button>{' '}
                The server counts what it applied and writes the log (needs a connection).
              </p>
            ) : null}
          </>
        )}
      </section>
      {log ? (
        <section className={css.section} aria-labelledby="log-h">
          <h2 id="log-h">Weekly log</h2>
          <pre className={css.log}>{log.text}</pre>
          <p className="muted">
            SHA-256 {log.sha256.slice(0, 16)}…{' '}
            <button type="button" onClick={() => exportLog(log.text, v?.lastLog?.finishedAt ?? new Date().toISOString())}>
              Export the log
            </button>
          </p>
        </section>
      ) : null}
    </>
  );
}

/** The cached alert's kind, to offer its playbook (the dashboard's alerts are the cache's). */
const alertKindOf = (stores: Stores, id: string) => stores.dashboard.getState().alerts.find((a) => a.id === id)?.kind ?? '';
