// Where the console comes from. The packaged app is served from its own
// privileged scheme (app://console/…) rather than file://, so the page has a
// real origin that CSP, navigation guards and the IPC sender check can name;
// in development the page comes from electron-vite's dev server instead.
export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * `scheme://host[:port]` of a URL, or null when it has none we could trust.
 * Written out rather than read from URL#origin: Node's URL gives "null" as the
 * origin of any scheme it does not know (app:), where Chromium, which has the
 * scheme registered as standard, gives app://console.
 */
export function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!parsed.host) return null;
  return `${parsed.protocol}//${parsed.host}`.toLowerCase();
}

/** Where the page may live: the app's own origin, and the dev server's when one is used. */
export function consoleOrigins(devServerUrl: string | undefined): string[] {
  const dev = originOf(devServerUrl);
  return dev ? [APP_ORIGIN, dev] : [APP_ORIGIN];
}

export const isConsoleUrl = (url: string | null | undefined, origins: readonly string[]) => {
  const origin = originOf(url);
  return origin !== null && origins.includes(origin);
};
