// What the console window's page may do beyond rendering itself: nothing.
// It stays on the console's origin (navigations and redirects elsewhere are
// stopped), opens no windows and embeds no <webview>, and every permission
// (camera, notifications, clipboard, geolocation, HID…) is denied, asked or
// checked. Links in untrusted text go to the operator's browser only when
// isAllowedExternal says so.
import type { Session, Shell, WebContents } from 'electron';
import { isAllowedExternal } from './external-links.ts';
import { isConsoleUrl } from './origin.ts';

export interface GuardOptions {
  /** Origins the page may navigate within (the app's, and the dev server's). */
  origins: readonly string[];
  /** Hosts a link may open in the browser; empty by default. */
  externalAllowList: readonly string[];
  openExternal: Shell['openExternal'];
  log?: (line: string) => void;
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export function guardWebContents(contents: GuardedContents, opts: GuardOptions): void {
  const log = opts.log ?? ((l) => console.warn(l));
  const leaveApp = (url: string) => {
    if (isAllowedExternal(url, opts.externalAllowList)) void opts.openExternal(url).catch(() => undefined);
    else log(`blocked a link to ${url.slice(0, 200)}`);
  };
  const stayInApp = (event: { url: string; preventDefault(): void }) => {
    if (isConsoleUrl(event.url, opts.origins)) return;
    event.preventDefault();
    leaveApp(event.url);
  };
  contents.on('will-navigate', (event) => stayInApp(event));
  // Subframes (CSP already allows none): stopped too, without opening anything.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !isConsoleUrl(event.url, opts.origins)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    // A redirect is the server's doing, not a click: stop it, never follow it outside.
    if (!isConsoleUrl(event.url, opts.origins)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    leaveApp(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>;

export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
