// The tray: how many RED alerts are open, seen without opening the window
// (tooltip, dock/launcher badge, and the first line of the menu, since Linux
// AppIndicator trays show no tooltip), plus Open, Sync now and Quit.
import type { App, Menu as MenuStatic, MenuItemConstructorOptions, NativeImage, Tray as TrayClass } from 'electron';
import type { AlertView } from '../../shared/ipc/contract.ts';

export const PRODUCT = 'DTD Operator Console';

export interface TrayState {
  redCount: number;
  tooltip: string;
  /** The first, disabled line of the menu. */
  summary: string;
  badgeCount: number;
  menu: { id: 'open' | 'sync' | 'quit'; label: string }[];
}

export function trayState(alerts: readonly AlertView[]): TrayState {
  const redCount = alerts.filter((a) => a.severity === 'RED' && !a.resolvedAt).length;
  const summary = redCount === 0 ? 'all clear' : `${redCount} RED alert${redCount === 1 ? '' : 's'}`;
  return {
    redCount,
    tooltip: `${PRODUCT} — ${summary}`,
    summary: redCount === 0 ? 'No RED alerts open' : `${summary} open`,
    badgeCount: redCount,
    menu: [
      { id: 'open', label: 'Open' },
      { id: 'sync', label: 'Sync now' },
      { id: 'quit', label: 'Quit' },
    ],
  };
}

/** Badges exist on the macOS dock and Unity-style Linux launchers; Windows has none. */
export const badgeSupported = (platform: NodeJS.Platform) => platform === 'darwin' || platform === 'linux';

export interface ConsoleTrayDeps {
  Tray: new (image: string | NativeImage) => TrayClass;
  Menu: Pick<typeof MenuStatic, 'buildFromTemplate'>;
  app: Pick<App, 'setBadgeCount'>;
  icon: string | NativeImage;
  platform?: NodeJS.Platform;
  actions: { open(): void; syncNow(): void; quit(): void };
}

export function createConsoleTray(deps: ConsoleTrayDeps) {
  const tray = new deps.Tray(deps.icon);
  const platform = deps.platform ?? process.platform;
  const click = { open: deps.actions.open, sync: deps.actions.syncNow, quit: deps.actions.quit };
  const show = (state: TrayState) => {
    tray.setToolTip(state.tooltip);
    const template: MenuItemConstructorOptions[] = [
      { label: state.summary, enabled: false },
      { type: 'separator' },
      ...state.menu.map((item) => ({ label: item.label, click: () => click[item.id]() })),
    ];
    tray.setContextMenu(deps.Menu.buildFromTemplate(template));
    if (badgeSupported(platform)) deps.app.setBadgeCount(state.badgeCount);
  };
  show(trayState([]));
  // A click on the icon opens the console too (Windows and most Linux trays).
  tray.on('click', () => deps.actions.open());
  return { tray, show, destroy: () => tray.destroy() };
}
