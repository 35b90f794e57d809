import { useStore } from 'zustand';
import type { Stores } from '../app/stores.ts';
import { Settings } from './Settings.tsx';

export function SettingsScreen({ stores }: { stores: Stores }) {
  const s = useStore(stores.settings);
  const session = useStore(stores.session);
  const online = useStore(stores.dashboard, (d) => d.status?.online ?? null);
  return (
    <Settings
      aiMode={s.aiMode}
      switching={s.switching}
      lastSwitch={s.lastSwitch}
      app={session.app}
      session={session.info}
      online={online}
      setAiMode={(m) => void s.setAiMode(m)}
      signOut={() => void session.signOut()}
    />
  );
}
