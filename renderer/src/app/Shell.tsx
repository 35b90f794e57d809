// The signed-in console: navigation, the screen and the sync line. While it
// is on screen the refresher (refresh.ts) keeps the showing screen current
// from main's events; main's sync engine keeps the spec's clock.
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { NAV_SCREENS, SCREEN_TITLES, type Screen } from './nav.ts';
import type { Stores } from './stores.ts';
import { StatusLine } from './StatusLine.tsx';
import { CommandPalette } from './CommandPalette.tsx';
import { EscalateDialog } from '../escalations/EscalateDialog.tsx';
import { WeekPanel } from '../week/WeekPanel.tsx';
import css from './shell.module.css';

export function Shell({ stores, screens }: { stores: Stores; screens: Record<Screen, (p: { stores: Stores }) => React.ReactNode> }) {
  const { screen, go } = useStore(stores.nav);
  useEffect(() => stores.refresh.attach(), [stores]);
  useEffect(() => stores.api.on('openAlert', ({ alertId }) => go('alerts', { alertId })), [stores, go]);
  const Current = screens[screen];
  return (
    <div className={css.shell}>
      <nav className={css.nav} aria-label="Console">
        <p className={css.brand}>DTD Operator</p>
        <ul>
          {NAV_SCREENS.map((s) => (
            <li key={s}>
              <button type="button" className={s === screen ? css.current : css.link} aria-current={s === screen ? 'page' : undefined} onClick={() => go(s)}>
                {SCREEN_TITLES[s]}
              </button>
            </li>
          ))}
        </ul>
        <p className={css.hint}>Ctrl+K: command palette</p>
      </nav>
      <div className={css.body}>
        <StatusLine stores={stores} />
        <main className={css.main}>
          <WeekPanel stores={stores} />
          <Current stores={stores} />
        </main>
      </div>
      <CommandPalette stores={stores} />
      <EscalateDialog store={stores.escalations} />
    </div>
  );
}
