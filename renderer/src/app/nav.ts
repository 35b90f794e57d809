// Which screen is showing. The console has no URLs to share, so a small store
// is the router; `focusAlertId` lets a tray notification open its alert.
import { createStore } from 'zustand/vanilla';

export const SCREENS = [
  'dashboard',
  'week',
  'reviews',
  'refunds',
  'complaints',
  'investigate',
  'metrics',
  'cron',
  'alerts',
  'emails',
  'reconciliation',
  'escalations',
  'sync',
  'settings',
  'playbook',
] as const;
export type Screen = (typeof SCREENS)[number];
export const SCREEN_TITLES: Record<Screen, string> = {
  dashboard: 'Dashboard',
  week: 'The week',
  reviews: 'Reviews',
  refunds: 'Refunds',
  complaints: 'Complaints',
  investigate: 'Investigate',
  metrics: 'Metrics',
  cron: 'Cron',
  alerts: 'Alerts & activity',
  emails: 'Emails',
  reconciliation: 'Reconciliation',
  escalations: 'Escalations',
  sync: 'Sync',
  settings: 'Settings',
  playbook: 'Playbook',
};
/** The screens the navigation lists; a playbook run is opened from its signal (an alert, a complaint, the palette), not browsed to. */
export const NAV_SCREENS = SCREENS.filter((s) => s !== 'playbook');

export interface NavState {
  screen: Screen;
  focusAlertId: string | null;
  /** Activity filter to open the alerts screen with (the dashboard's "Logs"). */
  go(screen: Screen, opts?: { alertId?: string }): void;
}

export const createNavStore = () =>
  createStore<NavState>()((set) => ({
    screen: 'dashboard',
    focusAlertId: null,
    go: (screen, opts) => set({ screen, focusAlertId: opts?.alertId ?? null }),
  }));
export type NavStore = ReturnType<typeof createNavStore>;
