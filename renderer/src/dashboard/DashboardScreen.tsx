import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { Stores } from '../app/stores.ts';
import { MondayDecision } from '../week/MondayCheck.tsx';
import { Dashboard } from './Dashboard.tsx';

export function DashboardScreen({ stores }: { stores: Stores }) {
  const d = useStore(stores.dashboard);
  const cron = useStore(stores.cron);
  const week = useStore(stores.week);
  // Re-rendered on every store change and every 15 s, so durations are counted from now.
  const [, setTick] = useState(0);
  const now = Date.now();
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 15_000);
    return () => clearInterval(t);
  }, []);
  const cronResult = !cron.lastRun
    ? null
    : 'error' in cron.lastRun
      ? cron.lastRun.error
      : cron.lastRun.result.status === 'applied'
        ? 'The daily job ran: see Cron for its attempts.'
        : `The daily job was refused: ${cron.lastRun.result.reason}`;
  return (
    <Dashboard
      overview={d.overview}
      metrics={d.metrics}
      alerts={d.alerts}
      activity={d.activity}
      status={d.status}
      now={now}
      cronResult={cronResult}
      cronRunning={cron.running}
      go={stores.nav.getState().go}
      runCronNow={() => void cron.runNow()}
      monday={(alertId) => <MondayDecision stores={stores} alertId={alertId} />}
      week={{ open: !!week.view?.run, busy: week.busy, start: () => void week.start() }}
    />
  );
}
