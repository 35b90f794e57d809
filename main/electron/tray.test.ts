import { describe, expect, it, vi } from 'vitest';
import type { AlertView } from '../../shared/ipc/contract.ts';
import { badgeSupported, createConsoleTray, trayState } from './tray.ts';

const alert = (id: string, severity: 'RED' | 'YELLOW', resolvedAt: string | null = null): AlertView => ({
  id,
  severity,
  kind: 'webhook_failures',
  subject: 'Stripe webhooks',
  message: 'Webhook failures above threshold',
  details: {},
  openedAt: '2025-01-06T09:00:00Z',
  resolvedAt,
  localDecision: null,
  updatedAt: '2025-01-06T09:00:00Z',
});

describe('trayState', () => {
  it('says all clear when no RED alert is open', () => {
    const state = trayState([alert('y', 'YELLOW'), alert('r', 'RED', '2025-01-06T10:00:00Z')]);
    expect(state.tooltip).toBe('DTD Operator Console — all clear');
    expect(state.summary).toBe('No RED alerts open');
    expect(state.badgeCount).toBe(0);
  });

  it('counts open RED alerts only', () => {
    const state = trayState([alert('1', 'RED'), alert('2', 'RED'), alert('3', 'YELLOW'), alert('4', 'RED', '2025-01-06T10:00:00Z')]);
    expect(state.redCount).toBe(2);
    expect(state.tooltip).toBe('DTD Operator Console — 2 RED alerts');
    expect(state.summary).toBe('2 RED alerts open');
    expect(state.badgeCount).toBe(2);
  });

  it('speaks of one alert in the singular', () => {
    expect(trayState([alert('1', 'RED')]).tooltip).toBe('DTD Operator Console — 1 RED alert');
  });

  it('offers Open, Sync now and Quit', () => {
    expect(trayState([]).menu.map((item) => item.label)).toEqual(['Open', 'Sync now', 'Quit']);
  });
});

describe('the tray', () => {
  function setup(platform: NodeJS.Platform = 'linux') {
    const created: FakeTray[] = [];
    class FakeTray {
      setToolTip = vi.fn();
      setContextMenu = vi.fn();
      on = vi.fn();
      destroy = vi.fn();
      constructor(readonly icon: string) {
        created.push(this);
      }
    }
    const Menu = { buildFromTemplate: vi.fn((template: unknown) => ({ template })) };
    const app = { setBadgeCount: vi.fn(() => true) };
    const actions = { open: vi.fn(), syncNow: vi.fn(), quit: vi.fn() };
    const consoleTray = createConsoleTray({ Tray: FakeTray as never, Menu: Menu as never, app, icon: '/res/tray.png', platform, actions });
    const lastMenu = () => Menu.buildFromTemplate.mock.calls.at(-1)![0] as { label?: string; enabled?: boolean; click?: () => void }[];
    return { tray: created[0]!, Menu, app, actions, consoleTray, lastMenu };
  }

  it('starts all clear with its menu, and shows the count after a sync', () => {
    const { tray, app, consoleTray, lastMenu } = setup();
    expect(tray.setToolTip).toHaveBeenLastCalledWith('DTD Operator Console — all clear');
    consoleTray.show(trayState([alert('1', 'RED'), alert('2', 'RED')]));
    expect(tray.setToolTip).toHaveBeenLastCalledWith('DTD Operator Console — 2 RED alerts');
    expect(app.setBadgeCount).toHaveBeenLastCalledWith(2);
    expect(lastMenu()[0]).toMatchObject({ label: '2 RED alerts open', enabled: false });
    expect(
      lastMenu()
        .filter((i) => i.click)
        .map((i) => i.label),
    ).toEqual(['Open', 'Sync now', 'Quit']);
  });

  it('menu items do what they say', () => {
    const { actions, lastMenu } = setup();
    for (const item of lastMenu()) item.click?.();
    expect(actions.open).toHaveBeenCalledTimes(1);
    expect(actions.syncNow).toHaveBeenCalledTimes(1);
    expect(actions.quit).toHaveBeenCalledTimes(1);
  });

  it('a click on the icon opens the console', () => {
    const { tray, actions } = setup();
    const [event, handler] = tray.on.mock.calls[0] as unknown as [string, () => void];
    expect(event).toBe('click');
    handler();
    expect(actions.open).toHaveBeenCalled();
  });

  it('sets a badge only where the OS has one', () => {
    expect(badgeSupported('darwin')).toBe(true);
    expect(badgeSupported('linux')).toBe(true);
    expect(badgeSupported('win32')).toBe(false);
    const { app } = setup('win32');
    expect(app.setBadgeCount).not.toHaveBeenCalled();
  });
});
