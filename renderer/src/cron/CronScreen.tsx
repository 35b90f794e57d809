// Session 4 (spec 2.4): the daily job's health. The history and the next run
// from the cache; "Run now" goes straight to the server (online only) and
// its outcome, or main's sentence why not, shows in place.
import { useStore } from 'zustand';
import type { Stores } from '../app/stores.ts';
import type { CronState } from './store.ts';
import { Time } from '../ui/Time.tsx';
import { CronHistory, runDuration } from './CronHistory.tsx';
import css from './cron.module.css';

export function CronScreen({ stores }: { stores: Stores }) {
  const s = useStore(stores.cron);
  return <Cron {...s} runNow={() => void s.runNow()} />;
}

/** The Run now outcome in the operator's words. */
export function describeRun(lastRun: CronState['lastRun']): string | null {
  if (!lastRun) return null;
  if ('error' in lastRun) return lastRun.error;
  const attempts = Number(lastRun.result.details?.attempts ?? 1);
  return lastRun.result.status === 'applied'
    ? `The daily job ran successfully (${attempts === 1 ? '1 attempt' : `${attempts} attempts`}); its run is in the history below.`
    : `The server refused: ${lastRun.result.reason ?? 'no reason given'}`;
}

export function Cron(p: Pick<CronState, 'runs' | 'schedule' | 'running' | 'lastRun'> & { runNow(): void }) {
  const last = p.runs[0];
  const outcome = describeRun(p.lastRun);
  return (
    <>
      <h1>Cron: featured-expiry-and-promotion</h1>
      <section className={css.panel} aria-labelledby="schedule-h">
        <h2 id="schedule-h">Schedule</h2>
        <div className={css.schedule}>
          <p>
            Next scheduled run:{' '}
            <strong>
              <Time at={p.schedule?.nextRunAt} />
            </strong>
          </p>
          <p>
            Last run: <Time at={last?.startedAt} />
            {last ? ` (${last.status}, ${runDuration(last.durationMs)})` : ''}
          </p>
          <p className="muted">Up to {p.schedule?.maxAttempts ?? 5} attempts per run.</p>
          <button type="button" className="primary" onClick={p.runNow} disabled={p.running}>
            {p.running ? 'Running…' : 'Run now'}
          </button>
        </div>
        <p role="status" className={outcome || p.running ? css.result : 'visually-hidden'}>
          {p.running ? 'Running the daily job on the server…' : (outcome ?? '')}
        </p>
      </section>
      <section aria-labelledby="history-h">
        <h2 id="history-h">History</h2>
        <CronHistory runs={p.runs} />
      </section>
    </>
  );
}
