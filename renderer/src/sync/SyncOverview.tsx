// The connection, the last sync, a progress bar while syncing, and the
// watchdog's warning when decisions wait without moving.
import type { ConsoleEvents, SyncStatus } from '../../../shared/ipc/contract.ts';
import { Badge } from '../ui/Badge.tsx';
import { formatDuration } from '../ui/format.ts';
import { Time } from '../ui/Time.tsx';
import css from './sync.module.css';

export function SyncOverview({ status, progress }: { status: SyncStatus | null; progress: ConsoleEvents['progress'] | null }) {
  if (!status) return <p role="status">Asking main for the sync status…</p>;
  return (
    <section className={css.panel} aria-labelledby="conn-h">
      <h2 id="conn-h">Connection</h2>
      <dl className={css.facts}>
        <div>
          <dt>Server</dt>
          <dd>
            {status.online === null ? (
              <Badge tone="NEUTRAL">Connecting</Badge>
            ) : status.online ? (
              <Badge tone="GREEN">Online</Badge>
            ) : (
              <Badge tone="YELLOW">Offline</Badge>
            )}
          </dd>
        </div>
        <div>
          <dt>Last sync</dt>
          <dd>
            <Time at={status.lastSyncAt} />
          </dd>
        </div>
        <div>
          <dt>Cache as of (server time)</dt>
          <dd>
            <Time at={status.lastPullServerTime} />
          </dd>
        </div>
        <div>
          <dt>Waiting to sync</dt>
          <dd>{status.pending}</dd>
        </div>
        <div>
          <dt>Dead-letter lane</dt>
          <dd>{status.dead}</dd>
        </div>
        {status.nextAttemptAt && status.online === false ? (
          <div>
            <dt>Next attempt</dt>
            <dd>
              <Time at={status.nextAttemptAt} />
            </dd>
          </div>
        ) : null}
      </dl>
      {status.lastError ? <p className={css.error}>Last error: {status.lastError}</p> : null}
      {status.syncing ? (
        <div className={css.progress}>
          <span>{progress ? (progress.phase === 'push' ? 'Uploading decisions' : 'Downloading changes') : 'Syncing'}</span>
          <progress aria-label="Upload and download progress" max={progress?.total || 1} value={progress ? progress.done : undefined} />
          {progress ? (
            <span className="muted">
              {progress.done} of {progress.total}
            </span>
          ) : null}
        </div>
      ) : null}
      {status.stalled ? (
        <p className={css.stalled} role="alert">
          Stalled: the oldest decision has waited {formatDuration(status.oldestPendingAgeMs)} without moving. Check the connection and the last error.
        </p>
      ) : null}
    </section>
  );
}
