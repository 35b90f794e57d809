// The Monday check (spec 1.2 and 3.1): one status, the open alerts with how
// long they have lasted, the metrics, the pending tasks with their time
// estimates, the last five activity entries and the quick actions.
import type { ReactNode } from 'react';
import type { ActivityItem, MetricsSnapshot } from '../../../shared/api/operator.ts';
import type { AlertView, Overview, SyncStatus } from '../../../shared/ipc/contract.ts';
import type { Screen } from '../app/nav.ts';
import { Badge } from '../ui/Badge.tsx';
import { formatAud, formatDuration, formatPercent, minutesOfWork } from '../ui/format.ts';
import { Time } from '../ui/Time.tsx';
import { describeActivity } from '../alerts/describe.ts';
import { OverdueEscalations } from '../escalations/Overdue.tsx';
import css from './dashboard.module.css';

export interface DashboardProps {
  overview: Overview | null;
  metrics: MetricsSnapshot | null;
  alerts: AlertView[];
  activity: ActivityItem[];
  status: SyncStatus | null;
  now: number;
  cronResult: string | null;
  cronRunning: boolean;
  go(screen: Screen, opts?: { alertId?: string }): void;
  runCronNow(): void;
  /** The Monday check's choice for a RED alert (act now / defer to Thursday), shown beside it. */
  monday(alertId: string): ReactNode;
  /** The Thursday batch: start it, or resume the open one. */
  week: { open: boolean; busy: boolean; start(): void };
}

export function Dashboard(p: DashboardProps) {
  const o = p.overview;
  const red = p.alerts.filter((a) => a.severity === 'RED');
  const yellow = p.alerts.filter((a) => a.severity === 'YELLOW');
  const age = p.status?.lastSyncAt ? p.now - Date.parse(p.status.lastSyncAt) : null;
  return (
    <div className={css.grid}>
      <header className={css.head}>
        <h1>Dashboard: the Monday check</h1>
        <p>
          <button type="button" className="primary" disabled={p.week.busy} onClick={p.week.start}>
            {p.week.open ? 'Resume the Thursday batch' : 'Start the Thursday batch'}
          </button>
        </p>
        <p className={css.level}>
          Overall status: <Badge tone={o?.level ?? 'NEUTRAL'}>{o?.level ?? 'unknown'}</Badge>
          {o ? (
            <span className="muted">
              {' '}
              · {o.openRed} RED, {o.openYellow} YELLOW open
            </span>
          ) : null}
        </p>
        <p className="muted">
          Last update: <Time at={p.status?.lastSyncAt} />
          {age !== null ? ` · cache ${formatDuration(age)} old` : ' · nothing cached yet'}
          {p.status?.online === false ? ' · offline: showing the cache' : ''}
          {' · refreshes every '}
          {(o?.openRed ?? 0) > 0 ? '30 seconds (a RED alert is open)' : 'minute'}
        </p>
      </header>

      <section aria-labelledby="red-h" className={css.panel}>
        <h2 id="red-h">RED alerts ({red.length} critical)</h2>
        <AlertList alerts={red} now={p.now} go={p.go} empty="No RED alert: nothing needs action now." extra={p.monday} />
        <h3>YELLOW warnings ({yellow.length})</h3>
        <AlertList alerts={yellow} now={p.now} go={p.go} empty="No warnings." />
      </section>

      <OverdueEscalations escalations={o?.overdueEscalations ?? []} now={p.now} open={() => p.go('escalations')} className={css.panel} />

      <section aria-labelledby="tasks-h" className={css.panel}>
        <h2 id="tasks-h">Pending tasks</h2>
        <ul className={css.tasks}>
          <Task
            count={o?.pendingReviews}
            what="Reviews pending approval"
            estimate="1–2 h work"
            waiting={o?.reviewsWaitingToSync}
            action="Process"
            onClick={() => p.go('reviews')}
          />
          <Task
            count={o?.pendingRefunds}
            what="Refund requests"
            estimate="0.5 h work"
            waiting={o?.refundsWaitingToSync}
            action="Process"
            onClick={() => p.go('refunds')}
          />
          <Task
            count={o?.pendingComplaints}
            what="Trainer complaints"
            estimate={minutesOfWork(o?.complaintMinutes ?? 0)}
            waiting={o?.complaintsWaitingToSync}
            action="Investigate"
            onClick={() => p.go('complaints')}
          />
          <Task count={red.length + yellow.length} what="Open alerts" estimate="5 min check" action="Check" onClick={() => p.go('alerts')} />
        </ul>
      </section>

      <section aria-labelledby="metrics-h" className={css.panel}>
        <h2 id="metrics-h">Metrics</h2>
        {p.metrics ? (
          <dl className={css.metrics}>
            <Metric label="Revenue this month" value={formatAud(p.metrics.revenueThisMonthCents)} />
            <Metric label="Refunded this month" value={formatAud(p.metrics.refundsThisMonthCents)} />
            <Metric label="Featured placements active" value={String(p.metrics.activePlacements)} />
            <Metric label="Queue backlog" value={`${p.metrics.queuedPlacements} waiting`} />
            <Metric label="Refund rate (7 days)" value={formatPercent(p.metrics.refundRate7d)} />
            <Metric label="Searches (24 h)" value={p.metrics.searchesLast24h.toLocaleString('en-AU')} />
            <Metric label="AI mode" value={p.metrics.aiBudgetSwitched ? `${p.metrics.aiMode} (deterministic: budget reached)` : p.metrics.aiMode} />
            <Metric
              label="AI spend this month"
              value={`${formatAud(Math.round(p.metrics.aiSpentThisMonthCents))} of ${formatAud(Math.round(p.metrics.aiBudgetCents))}`}
            />
          </dl>
        ) : (
          <p className="muted">No metrics yet: the first sync brings them.</p>
        )}
      </section>

      <section aria-labelledby="activity-h" className={css.panel}>
        <h2 id="activity-h">Last 5 activity entries</h2>
        {p.activity.length ? (
          <ul className={css.activity}>
            {p.activity.map((a) => (
              <li key={a.id}>
                <Time at={a.occurredAt} />: {describeActivity(a)}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No activity cached.</p>
        )}
        <button type="button" onClick={() => p.go('alerts')}>
          View all logs
        </button>
      </section>

      <section aria-labelledby="quick-h" className={css.panel}>
        <h2 id="quick-h">Quick actions</h2>
        <div className={css.quick}>
          <button type="button" onClick={() => p.go('reviews')}>
            Process reviews
          </button>
          <button type="button" onClick={() => p.go('refunds')}>
            Process refunds
          </button>
          <button type="button" onClick={p.runCronNow} disabled={p.cronRunning}>
            {p.cronRunning ? 'Running cron…' : 'Run cron now'}
          </button>
          <button type="button" onClick={() => p.go('alerts')}>
            Check alerts
          </button>
          <button type="button" onClick={() => p.go('reconciliation')}>
            Payment reconciliation
          </button>
          <button type="button" onClick={() => p.go('alerts')}>
            Logs
          </button>
        </div>
        {p.cronResult ? <p role="status">{p.cronResult}</p> : null}
      </section>
    </div>
  );
}

function AlertList({
  alerts,
  now,
  go,
  empty,
  extra,
}: {
  alerts: AlertView[];
  now: number;
  go: DashboardProps['go'];
  empty: string;
  extra?: (alertId: string) => ReactNode;
}) {
  if (!alerts.length) return <p className="muted">{empty}</p>;
  return (
    <ul className={css.alerts}>
      {alerts.map((a) => (
        <li key={a.id}>
          <Badge tone={a.severity}>{a.severity}</Badge> <strong>{a.message}</strong>{' '}
          <span className="muted">
            since <Time at={a.openedAt} /> ({formatDuration(now - Date.parse(a.openedAt))})
          </span>{' '}
          <button type="button" className={css.inline} onClick={() => go('alerts', { alertId: a.id })} aria-label={`Open alert: ${a.message}`}>
            Open
          </button>{' '}
          {extra?.(a.id)}
        </li>
      ))}
    </ul>
  );
}

function Task(p: { count: number | undefined; what: string; estimate: string; waiting?: number; action: string; onClick(): void }) {
  return (
    <li>
      <span className={css.count}>[{p.count ?? '…'}]</span> {p.what} <span className="muted">({p.estimate})</span>
      {p.waiting ? <span className="muted"> · {p.waiting} decided, waiting to sync</span> : null}{' '}
      <button type="button" className="primary" onClick={p.onClick} aria-label={`${p.action} ${p.what.toLowerCase()}`}>
        {p.action}
      </button>
    </li>
  );
}

function Metric({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
