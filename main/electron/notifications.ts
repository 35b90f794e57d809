// A desktop notification for each RED alert main announces. Clicking it
// brings the console forward on that alert (the renderer hears `openAlert`).
import type { Notification as NotificationClass, NotificationConstructorOptions } from 'electron';
import type { AlertView } from '../../shared/ipc/contract.ts';

export interface NotifierDeps {
  Notification: { new (options: NotificationConstructorOptions): NotificationClass; isSupported(): boolean };
  showWindow(): void;
  openAlert(alertId: string): void;
}

export function createRedAlertNotifier(deps: NotifierDeps) {
  // Held until closed or clicked: a notification the garbage collector takes loses its click handler.
  const shown = new Set<NotificationClass>();
  return function notifyRedAlert(alert: AlertView): void {
    if (!deps.Notification.isSupported()) return;
    const notification = new deps.Notification({
      title: `RED alert: ${alert.subject}`,
      body: alert.message,
      urgency: 'critical',
    });
    shown.add(notification);
    notification.on('click', () => {
      shown.delete(notification);
      deps.showWindow();
      deps.openAlert(alert.id);
    });
    notification.on('close', () => void shown.delete(notification));
    notification.show();
  };
}
