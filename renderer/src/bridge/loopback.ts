// The preload's API over the loopback bridge (main/bridge/server.ts), for
// the console served in a browser. The token comes once in the URL's
// fragment; it is kept for this tab only and taken out of the address bar.
import { CONSOLE_METHODS, type ConsoleApi, type ConsoleEvent, type ConsoleEventName } from '../../../shared/ipc/contract.ts';

const TOKEN_KEY = 'dtd-bridge-token';

function takeToken(): string {
  const fromUrl = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function createLoopbackApi(): ConsoleApi {
  const token = takeToken();
  const headers = { 'content-type': 'application/json', 'x-dtd-token': token };
  const listeners = new Map<ConsoleEventName, Set<(payload: never) => void>>();

  const call = async (method: string, args: unknown[]) => {
    // JSON has no undefined: an omitted optional argument must not arrive as null.
    while (args.length && args[args.length - 1] === undefined) args = args.slice(0, -1);
    try {
      const res = await fetch(`/bridge/call/${method}`, { method: 'POST', headers, body: JSON.stringify(args) });
      if (res.status === 403)
        return {
          ok: false,
          error: {
            kind: 'not_signed_in',
            message: 'This page is not connected to the console (its token is missing or stale): open the address `npm run console` printed.',
          },
        };
      return await res.json();
    } catch (err) {
      return {
        ok: false,
        error: { kind: 'server', message: `The console process is not answering (${(err as Error).message}). Is \`npm run console\` still running?` },
      };
    }
  };

  // One event stream, reconnected when it drops (the console process restarted, say).
  const listen = async () => {
    for (;;) {
      try {
        const res = await fetch('/bridge/events', { headers });
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let at: number;
          while ((at = buffer.indexOf('\n\n')) >= 0) {
            const chunk = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            if (!chunk.startsWith('data: ')) continue;
            const e = JSON.parse(chunk.slice(6)) as ConsoleEvent;
            for (const l of listeners.get(e.event) ?? []) l(e.payload as never);
          }
        }
      } catch {
        // fall through to the retry below
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  void listen();

  const api = Object.fromEntries(CONSOLE_METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)])) as unknown as ConsoleApi;
  api.on = (event, listener) => {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(listener as (payload: never) => void);
    return () => void set.delete(listener as (payload: never) => void);
  };
  return api;
}
