import { describe, expect, it } from 'vitest';
import { createFakeApi } from '../bridge/fake.ts';
import { createNoticesStore, valueOr } from '../ui/notices.ts';
import { createNavStore } from './nav.ts';
import { createStores } from './stores.ts';

describe('navigation store', () => {
  it('opens on the dashboard and goes to a screen, with the alert to show when a notification asked for one', () => {
    const nav = createNavStore();
    expect(nav.getState()).toMatchObject({ screen: 'dashboard', focusAlertId: null });
    nav.getState().go('alerts', { alertId: 'a1' });
    expect(nav.getState()).toMatchObject({ screen: 'alerts', focusAlertId: 'a1' });
    nav.getState().go('reviews');
    expect(nav.getState()).toMatchObject({ screen: 'reviews', focusAlertId: null });
  });
});

describe('notices store', () => {
  it('shows a failed call’s message with its kind, keeps the last five, and dismisses one', () => {
    const notices = createNoticesStore();
    expect(valueOr(notices, { ok: false, error: { kind: 'offline', message: 'You are offline.' } })).toBeNull();
    expect(valueOr(notices, { ok: true, value: 42 })).toBe(42);
    for (let i = 1; i <= 5; i++) notices.getState().push('info', `note ${i}`);
    const shown = notices.getState().notices;
    expect(shown.map((n) => n.message)).toEqual(['note 1', 'note 2', 'note 3', 'note 4', 'note 5']);
    notices.getState().dismiss(shown[0]!.id);
    expect(notices.getState().notices.map((n) => n.message)).toEqual(['note 2', 'note 3', 'note 4', 'note 5']);
  });
});

describe('the stores together', () => {
  it('are made from one API and share one notices store', async () => {
    const fake = createFakeApi();
    const stores = createStores(fake.api);
    await stores.cron.getState().load(); // the fake has no answer: every failure lands in the shared notices
    expect(stores.notices.getState().notices.length).toBeGreaterThan(0);
    expect(stores.notices.getState().notices[0]!.message).toMatch(/^fake API: no answer for /);
  });
});
