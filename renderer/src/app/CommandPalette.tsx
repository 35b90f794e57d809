// Ctrl+K (or ⌘K): every screen and the console-wide actions by name (cmdk).
import { Command } from 'cmdk';
import { useState } from 'react';
import { useHotkeys } from 'react-hotkeys-hook';
import { PLAYBOOK, PLAYBOOKS } from '../../../shared/api/playbooks.ts';
import { openPlaybook } from '../playbooks/open.ts';
import { NAV_SCREENS, SCREEN_TITLES } from './nav.ts';
import type { Stores } from './stores.ts';
import css from './palette.module.css';

export function CommandPalette({ stores }: { stores: Stores }) {
  const [open, setOpen] = useState(false);
  useHotkeys(
    'mod+k',
    (e) => {
      e.preventDefault();
      setOpen((o) => !o);
    },
    { enableOnFormTags: true },
  );
  const run = (fn: () => void) => () => {
    setOpen(false);
    fn();
  };
  return (
    <Command.Dialog
      open={open}
      onOpenChange={setOpen}
      label="Command palette"
      className={css.palette}
      overlayClassName={css.overlay}
      contentClassName={css.content}
    >
      <Command.Input placeholder="Go to a screen or run an action…" aria-label="Command" className={css.input} />
      <Command.List className={css.list}>
        <Command.Empty>Nothing matches.</Command.Empty>
        <Command.Group heading="Go to">
          {NAV_SCREENS.map((s) => (
            <Command.Item key={s} onSelect={run(() => stores.nav.getState().go(s))} className={css.item}>
              {SCREEN_TITLES[s]}
            </Command.Item>
          ))}
        </Command.Group>
        <Command.Group heading="Playbooks">
          {PLAYBOOKS.map((k) => (
            <Command.Item key={k} onSelect={run(() => void openPlaybook(stores, k, { kind: 'palette', id: null }))} className={css.item}>
              {`Playbook: ${PLAYBOOK[k].title}`}
            </Command.Item>
          ))}
        </Command.Group>
        <Command.Group heading="Actions">
          <Command.Item onSelect={run(() => void stores.week.getState().start())} className={css.item}>
            Start the Thursday batch
          </Command.Item>
          <Command.Item onSelect={run(() => void stores.api.syncNow())} className={css.item}>
            Sync now
          </Command.Item>
          <Command.Item onSelect={run(() => void stores.cron.getState().runNow())} className={css.item}>
            Run cron now
          </Command.Item>
          <Command.Item onSelect={run(() => void stores.session.getState().signOut())} className={css.item}>
            Sign out
          </Command.Item>
        </Command.Group>
      </Command.List>
    </Command.Dialog>
  );
}
