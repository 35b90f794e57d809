// The one typed contract between the renderer and the main process. The
// preload exposes exactly these methods as `window.dtd` (no generic invoke),
// main registers exactly these channels (`dtd:<method>`), the browser bridge
// carries exactly these, and every answer is a Result (errors as values).
import { METHODS, type AnswerOf, type ArgsOf, type MethodName, type ParsedArgsOf } from './methods.ts';
import type { ConsoleEventName, ConsoleEvents } from './events.ts';
import type { Result } from './result.ts';

export * from './views.ts';
export * from './result.ts';
export * from './events.ts';
export type { SyncReport, SyncStatus } from './sync-types.ts';
export { METHODS, type MethodName, type ArgsOf, type AnswerOf };

/** What the renderer calls: every method answers a Result, never throws. */
export type ConsoleCalls = { [K in MethodName]: (...args: ArgsOf<K>) => Promise<Result<AnswerOf<K>>> };

export type Unsubscribe = () => void;
export interface ConsoleApi extends ConsoleCalls {
  on<E extends ConsoleEventName>(event: E, listener: (payload: ConsoleEvents[E]) => void): Unsubscribe;
}

/** What main implements: plain values, or a thrown ConsoleError the edge turns into a Result. */
export type ConsoleHandlers = { [K in MethodName]: (...args: ParsedArgsOf<K>) => Promise<AnswerOf<K>> | AnswerOf<K> };

export const CONSOLE_METHODS = Object.keys(METHODS) as MethodName[];
export const channelOf = (method: MethodName) => `dtd:${method}` as const;
/** The one channel main sends events on ({ event, payload }). */
export const EVENT_CHANNEL = 'dtd:event';
