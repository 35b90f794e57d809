// Sync: the connection, what waits to upload (and the one-line summary of
// it), the server's verdicts, and the dead-letter lane.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { Stores } from '../app/stores.ts';
import type { OutboxEntry } from '../../../shared/ipc/contract.ts';
import { ChangeDialog } from './ChangeDialog.tsx';
import { OutboxTable } from './Outbox.tsx';
import { SyncOverview } from './SyncOverview.tsx';
import { Verdicts } from './Verdicts.tsx';
import css from './sync.module.css';

export function SyncScreen({ stores }: { stores: Stores }) {
  const s = useStore(stores.sync);
  const [changing, setChanging] = useState<OutboxEntry | null>(null);
  // Loaded (and reloaded after a sync that moved its lists) by app/refresh.ts; while open, it follows the outbox too.
  useEffect(() => stores.sync.getState().follow(), [stores]);
  const waiting = s.outbox.filter((e) => e.state !== 'dead');
  const dead = s.outbox.filter((e) => e.state === 'dead');
  const cancel = (id: string) => void s.cancel(id);
  return (
    <>
      <h1>Sync</h1>
      <SyncOverview status={s.status} progress={s.progress} />
      <section className={css.panel} aria-labelledby="outbox-h">
        <h2 id="outbox-h">Waiting to upload ({waiting.length})</h2>
        <p className={css.preview}>
          Next upload: <strong>{s.preview ? s.preview.summary : '…'}</strong>
        </p>
        <OutboxTable entries={waiting} caption="Decisions waiting to upload" empty="Nothing waits to upload." cancel={cancel} change={setChanging} />
      </section>
      <section className={css.panel} aria-labelledby="verdicts-h">
        <h2 id="verdicts-h">Verdicts from the server ({s.verdicts.length})</h2>
        <Verdicts verdicts={s.verdicts} dismiss={(id) => void s.dismissVerdict(id)} />
      </section>
      <section className={css.panel} aria-labelledby="dead-h">
        <h2 id="dead-h">Dead-letter lane ({dead.length})</h2>
        <p className="muted">Decisions the server failed on repeatedly. Retry puts one back in line; Cancel drops it.</p>
        <OutboxTable entries={dead} caption="Dead-letter lane" empty="The dead-letter lane is empty." cancel={cancel} retry={(id) => void s.retry(id)} />
      </section>
      {changing ? (
        <ChangeDialog
          entry={changing}
          busy={false}
          close={() => setChanging(null)}
          confirm={(d) => void s.change(changing.commandId, d).then((ok) => ok && setChanging(null))}
        />
      ) : null}
    </>
  );
}
