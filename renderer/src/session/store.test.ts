import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import type { AppInfo, SessionInfo } from '../../../shared/ipc/views.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createSessionStore } from './store.ts';

const signedOut: SessionInfo = { signedIn: false, email: null, name: null, persisted: false, persistNote: null };
const signedIn: SessionInfo = {
  signedIn: true,
  email: 'operator@dtd.local',
  name: 'Olive Operator',
  persisted: false,
  persistNote: 'kept in memory only: this system keeps secrets as plain text',
};
const app: AppInfo = {
  version: '0.1.0',
  apiUrl: 'http://127.0.0.1:54321',
  platform: 'linux',
  dataFile: '/tmp/console.sqlite',
  localOperator: { email: 'operator@dtd.local', password: 'local' },
};

const world = (extra: Parameters<typeof createFakeApi>[0] = {}) => {
  const fake = createFakeApi({ session: () => signedOut, appInfo: () => app, ...extra });
  return { ...fake, store: createSessionStore(fake.api) };
};

describe('session store', () => {
  it('loads who is signed in and what the sign-in screen offers', async () => {
    const w = world();
    expect(w.store.getState().loaded).toBe(false);
    await w.store.getState().load();
    expect(w.store.getState()).toMatchObject({ loaded: true, info: { signedIn: false }, app: { localOperator: { email: 'operator@dtd.local' } } });
  });

  it('signs in with the email and password given, and keeps main’s answer', async () => {
    const w = world({ signIn: () => signedIn });
    await w.store.getState().load();
    await expect(w.store.getState().signIn('operator@dtd.local', 'local')).resolves.toBe(true);
    expect(w.calls.at(-1)).toEqual({ method: 'signIn', args: ['operator@dtd.local', 'local'] });
    expect(w.store.getState()).toMatchObject({ busy: false, error: null, info: { signedIn: true, name: 'Olive Operator' } });
  });

  it('shows a refused sign-in’s reason as main wrote it and stays signed out', async () => {
    const w = world({
      signIn: () => {
        throw new ConsoleError('refused', 'Invalid login credentials');
      },
    });
    await w.store.getState().load();
    await expect(w.store.getState().signIn('operator@dtd.local', 'wrong')).resolves.toBe(false);
    expect(w.store.getState()).toMatchObject({ busy: false, error: 'Invalid login credentials', info: { signedIn: false } });
  });

  it('goes to the sign-in screen with the reason when main signs the session out', async () => {
    const w = world({ session: () => signedIn });
    await w.store.getState().load();
    w.emit('signedOut', { reason: 'The session expired: sign in again to sync.' });
    expect(w.store.getState()).toMatchObject({ info: { signedIn: false, email: 'operator@dtd.local' }, error: 'The session expired: sign in again to sync.' });
  });

  it('signs out through main', async () => {
    const w = world({ session: () => signedIn, signOut: () => signedOut });
    await w.store.getState().load();
    await w.store.getState().signOut();
    expect(w.store.getState().info?.signedIn).toBe(false);
  });
});
