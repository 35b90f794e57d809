import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { AlertView } from '../../shared/ipc/contract.ts';
import { createRedAlertNotifier } from './notifications.ts';

const alert: AlertView = {
  id: 'b7c1a2e0-0000-4000-8000-000000000001',
  severity: 'RED',
  kind: 'cron_failed',
  subject: 'Featured expiry job',
  message: 'expire-featured failed 3 times in a row',
  details: {},
  openedAt: '2025-01-06T09:00:00Z',
  resolvedAt: null,
  localDecision: null,
  updatedAt: '2025-01-06T09:00:00Z',
};

function setup(supported = true) {
  const shown: (EventEmitter & { options: unknown; show: ReturnType<typeof vi.fn> })[] = [];
  class FakeNotification extends EventEmitter {
    static isSupported = () => supported;
    show = vi.fn();
    constructor(readonly options: unknown) {
      super();
      shown.push(this);
    }
  }
  const showWindow = vi.fn();
  const openAlert = vi.fn();
  const notify = createRedAlertNotifier({ Notification: FakeNotification as never, showWindow, openAlert });
  return { shown, showWindow, openAlert, notify };
}

describe('RED alert notifications', () => {
  it('shows one native notification naming the alert', () => {
    const { shown, notify } = setup();
    notify(alert);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.options).toMatchObject({ title: 'RED alert: Featured expiry job', body: 'expire-featured failed 3 times in a row' });
    expect(shown[0]!.show).toHaveBeenCalled();
  });

  it('a click brings the console forward on that alert', () => {
    const { shown, notify, showWindow, openAlert } = setup();
    notify(alert);
    shown[0]!.emit('click');
    expect(showWindow).toHaveBeenCalled();
    expect(openAlert).toHaveBeenCalledWith(alert.id);
  });

  it('does nothing where the desktop has no notifications', () => {
    const { shown, notify } = setup(false);
    notify(alert);
    expect(shown).toHaveLength(0);
  });
});
