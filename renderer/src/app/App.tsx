// Signed out: the sign-in screen. Signed in: the console.
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { SignIn } from '../session/SignIn.tsx';
import { Notices } from '../ui/Notices.tsx';
import { SCREEN_COMPONENTS } from './screens.tsx';
import { Shell } from './Shell.tsx';
import type { Stores } from './stores.ts';

export function App({ stores }: { stores: Stores }) {
  const session = useStore(stores.session);
  useEffect(() => void stores.session.getState().load(), [stores]);
  if (!session.loaded)
    return (
      <main>
        <p role="status">Opening the console…</p>
      </main>
    );
  return (
    <>
      {session.info?.signedIn ? (
        <Shell stores={stores} screens={SCREEN_COMPONENTS} />
      ) : (
        <SignIn app={session.app} info={session.info} busy={session.busy} error={session.error} signIn={(e, p) => void session.signIn(e, p)} />
      )}
      <Notices store={stores.notices} />
    </>
  );
}
