// Online or offline, what waits to sync, the last sync, a progress bar while
// syncing, and the watchdog's warning: on every screen.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { SyncStatus } from '../../../shared/ipc/contract.ts';
import { Badge } from '../ui/Badge.tsx';
import { Time } from '../ui/Time.tsx';
import { formatDuration } from '../ui/format.ts';
import { plural } from '../../../shared/words.ts';
import type { Stores } from './stores.ts';
import css from './shell.module.css';

export function StatusLine({ stores }: { stores: Stores }) {
  const status = useStore(stores.dashboard, (s) => s.status);
  const [progress, setProgress] = useState<{ done: number; total: number; phase: string } | null>(null);
  useEffect(() => {
    const off = [stores.api.on('progress', (p) => setProgress(p)), stores.api.on('synced', () => setProgress(null))];
    void stores.api.status().then((r) => r.ok && stores.dashboard.setState({ status: r.value }));
    return () => {
      for (const f of off) f();
    };
  }, [stores]);
  return <StatusView status={status} progress={status?.syncing ? progress : null} syncNow={() => void stores.api.syncNow()} />;
}

export function StatusView({
  status,
  progress,
  syncNow,
}: {
  status: SyncStatus | null;
  progress: { done: number; total: number; phase: string } | null;
  syncNow(): void;
}) {
  if (!status)
    return (
      <div className={css.status} role="status">
        Connecting to the console…
      </div>
    );
  const online =
    status.online === null ? (
      <Badge tone="NEUTRAL">Connecting</Badge>
    ) : status.online ? (
      <Badge tone="GREEN">Online</Badge>
    ) : (
      <Badge tone="YELLOW">Offline</Badge>
    );
  return (
    <div className={css.status} role="status" aria-label="Sync status">
      {online}
      <span>{status.pending} waiting to sync</span>
      {status.dead ? <span>{status.dead} in the dead-letter lane</span> : null}
      {status.verdicts ? <span>{plural(status.verdicts, 'verdict')} to read</span> : null}
      <span>
        Last sync: <Time at={status.lastSyncAt} />
      </span>
      {status.syncing ? (
        <label>
          Syncing <progress aria-label="Sync progress" max={progress?.total || 1} value={progress ? progress.done : undefined} />
        </label>
      ) : null}
      {status.stalled ? (
        <span className={css.stalled} role="alert">
          Stalled: the oldest decision has waited {formatDuration(status.oldestPendingAgeMs)} without moving
        </span>
      ) : null}
      {status.needsSignIn ? <span className={css.stalled}>Sign in again to sync</span> : null}
      {status.online === false && status.lastError ? <span className="muted">{status.lastError}</span> : null}
      <button type="button" onClick={syncNow} disabled={status.syncing}>
        Sync now
      </button>
    </div>
  );
}
