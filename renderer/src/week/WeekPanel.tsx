// While the Thursday batch is open, every screen shows where the run is: the
// session, what is left, its budget and the time spent, with Done and Skip.
// The run takes the operator to each session's screen by itself.
import { useState } from 'react';
import { useStore } from 'zustand';
import { SESSIONS } from '../../../shared/api/week.ts';
import type { Stores } from '../app/stores.ts';
import { formatDuration } from '../ui/format.ts';
import css from './week.module.css';

export function WeekPanel({ stores }: { stores: Stores }) {
  const s = useStore(stores.week);
  const screen = useStore(stores.nav, (n) => n.screen);
  const [skipping, setSkipping] = useState(false);
  const [reason, setReason] = useState('');
  const run = s.view?.run;
  if (!run || screen === 'week') return null;
  const current = run.sessions.find((x) => x.id === run.current);
  const n = current ? SESSIONS.indexOf(current.id) + 1 : 0;
  return (
    <section className={css.panel} aria-labelledby="run-h">
      <h2 id="run-h">{current ? `Thursday batch, session ${n} of 5: ${current.title}` : 'Thursday batch: every session done'}</h2>
      {current ? (
        <span>
          {current.leftWords} · budget {current.budget} · {formatDuration(current.spentMs)} spent
        </span>
      ) : (
        <span>Write the weekly log on the run's page.</span>
      )}
      <span className={css.push}>
        {current && !skipping ? (
          <>
            <button type="button" className="primary" disabled={s.busy} onClick={() => void s.finishSession('done')}>
              Done with {current.title.toLowerCase()}
            </button>
            <button type="button" onClick={() => setSkipping(true)}>
              Skip…
            </button>
          </>
        ) : null}
        {skipping ? (
          <form
            className={css.skip}
            onSubmit={async (e) => {
              e.preventDefault();
              if (await s.finishSession('skipped', reason)) {
                setSkipping(false);
                setReason('');
              }
            }}
          >
            <label>
              Why skip it
              <input value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} maxLength={1000} />
            </label>
            <button type="submit">Skip the session</button>
            <button type="button" onClick={() => setSkipping(false)}>
              Cancel
            </button>
          </form>
        ) : null}
        <button type="button" onClick={() => stores.nav.getState().go('week')}>
          The run
        </button>
      </span>
      {s.error ? <p role="alert">{s.error}</p> : null}
    </section>
  );
}
