// The console's IPC in main: one handler per method of the contract, each
// answering only the console window's own top frame showing the console's own
// origin. Anything else (a subframe, a page the window was somehow steered
// to, another webContents) gets a 'refused' Result and the console is never
// called. Events go back the same way, only to that window.
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CONSOLE_METHODS, EVENT_CHANNEL, channelOf, failure, type ConsoleEvent, type Result } from '../../shared/ipc/contract.ts';
import { isConsoleUrl } from './origin.ts';

export type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;
export type CallConsole = (method: string, args: unknown) => Promise<Result<unknown>>;

export function isTrustedSender(event: SenderEvent, win: BrowserWindow | null, origins: readonly string[]): boolean {
  if (!win || win.isDestroyed()) return false;
  const contents = win.webContents;
  if (event.sender !== contents) return false;
  const frame = event.senderFrame;
  const main = contents.mainFrame;
  // Compared by ids rather than object identity: Electron may hand out a new
  // WebFrameMain wrapper for the same frame; a top frame has no parent.
  if (!frame || frame.parent !== null || frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return isConsoleUrl(frame.url, origins);
}

export const REFUSED_MESSAGE = 'This call did not come from the console window, so the console refused it.';

export interface ConsoleIpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  call: CallConsole;
  isTrusted: (event: SenderEvent) => boolean;
  log?: (line: string) => void;
}

/** Registers every contract channel; returns a function that removes them. */
export function registerConsoleIpc({ ipcMain, call, isTrusted, log = (l) => console.warn(l) }: ConsoleIpcOptions): () => void {
  for (const method of CONSOLE_METHODS) {
    ipcMain.handle(channelOf(method), (event, ...args: unknown[]) => {
      if (!isTrusted(event)) {
        log(`refused ${method} from ${event.senderFrame?.url ?? 'a frame that is gone'}`);
        return failure('refused', REFUSED_MESSAGE);
      }
      // The preload spreads the method's arguments; the edge validates the tuple.
      return call(method, args);
    });
  }
  return () => {
    for (const method of CONSOLE_METHODS) ipcMain.removeHandler(channelOf(method));
  };
}

/** Sends each console event to the window, when it is there and showing the console. */
export function forwardConsoleEvents(
  onEvent: (listener: (e: ConsoleEvent) => void) => () => void,
  getWindow: () => BrowserWindow | null,
  origins: readonly string[],
): () => void {
  return onEvent((e) => {
    const win = getWindow();
    if (!win || win.isDestroyed()) return;
    const contents: WebContents = win.webContents;
    if (!isConsoleUrl(contents.getURL(), origins)) return;
    contents.send(EVENT_CHANNEL, e);
  });
}
