// An in-memory ConsoleApi for store and component tests: answers come from the
// handlers a test gives (plain values or thrown ConsoleErrors, like main's),
// every call is recorded, and `emit` pushes an event as main would.
import {
  CONSOLE_METHODS,
  ConsoleError,
  type AnswerOf,
  type ArgsOf,
  type ConsoleApi,
  type ConsoleEventName,
  type ConsoleEvents,
  type MethodName,
} from '../../../shared/ipc/contract.ts';

export type FakeHandlers = { [K in MethodName]?: (...args: ArgsOf<K>) => AnswerOf<K> | Promise<AnswerOf<K>> };

export function createFakeApi(handlers: FakeHandlers = {}) {
  const calls: { method: MethodName; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const api = Object.fromEntries(
    CONSOLE_METHODS.map((m) => [
      m,
      async (...args: unknown[]) => {
        calls.push({ method: m, args });
        const h = handlers[m] as ((...a: unknown[]) => unknown) | undefined;
        if (!h) return { ok: false, error: { kind: 'server', message: `fake API: no answer for ${m}` } };
        try {
          return { ok: true, value: await h(...args) };
        } catch (err) {
          if (err instanceof ConsoleError) return { ok: false, error: { kind: err.kind, message: err.message } };
          throw err;
        }
      },
    ]),
  ) as unknown as ConsoleApi;
  api.on = (event, listener) => {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(listener as (p: unknown) => void);
    return () => void set.delete(listener as (p: unknown) => void);
  };
  return {
    api,
    calls,
    handlers,
    emit<E extends ConsoleEventName>(event: E, payload: ConsoleEvents[E]) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    listenerCount: (event: ConsoleEventName) => listeners.get(event)?.size ?? 0,
  };
}
