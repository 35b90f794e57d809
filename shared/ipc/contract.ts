// The one typed contract between the renderer and the main process. Each
// domain adds its handler map here; preload exposes exactly these methods (no
// generic invoke), main registers exactly these channels, and tests drive the
// same functions directly.
export interface AppInfo {
  version: string;
  /** Where the console's backend lives (the local stack's API_URL by default). */
  apiUrl: string;
  platform: string;
}

export interface AppHandlers {
  'app:info': () => Promise<AppInfo>;
}

export type Handlers = AppHandlers;
export type Channel = keyof Handlers;

/** The API the preload script exposes as `window.dtd`. */
export interface ConsoleApi {
  appInfo: Handlers['app:info'];
}

export const CHANNELS: readonly Channel[] = ['app:info'];
