// The console's boundary in main: every call from the renderer (Electron IPC
// or the browser bridge) comes through here. Arguments are checked against
// the contract's schemas before any service sees them, and whatever the
// service does becomes a Result: a value, or { kind, message } for the
// operator. Nothing is thrown across the boundary.
import type { z } from 'zod';
import { firstIssue } from '../../shared/api/public.ts';
import { CONSOLE_METHODS, METHODS, type ConsoleHandlers, type MethodName } from '../../shared/ipc/contract.ts';
import { ConsoleError, failure, ok, type Result } from '../../shared/ipc/result.ts';
import { OutboxEditError } from '../store/store.ts';
import { TransportError } from '../sync/transport.ts';

const KNOWN = new Set<string>(CONSOLE_METHODS);

export function toFailure(err: unknown): Result<never> {
  if (err instanceof ConsoleError) return failure(err.kind, err.message);
  if (err instanceof OutboxEditError) return failure('refused', err.message);
  if (err instanceof TransportError) {
    const kind = err.kind === 'offline' ? 'offline' : err.kind === 'auth' ? 'not_signed_in' : err.kind === 'client' ? 'refused' : 'server';
    return failure(kind, err.message);
  }
  return failure('server', `Something went wrong in the console: ${(err as Error)?.message ?? String(err)}`);
}

export function createEdge(handlers: ConsoleHandlers) {
  return async function call(method: string, args: unknown): Promise<Result<unknown>> {
    if (!KNOWN.has(method)) return failure('invalid', `"${method}" is not a call this console has`);
    const schema = METHODS[method as MethodName].args as z.ZodTuple;
    const parsed = schema.safeParse(Array.isArray(args) ? args : []);
    if (!parsed.success) {
      const issue = firstIssue(parsed.error);
      const where = issue.field === 'body' ? 'the arguments' : `argument ${issue.field}`;
      return failure('invalid', `${method}: ${where} ${issue.message}`);
    }
    try {
      const fn = handlers[method as MethodName] as (...a: unknown[]) => unknown;
      return ok(await fn(...(parsed.data as unknown[])));
    } catch (err) {
      return toFailure(err);
    }
  };
}

export type Edge = ReturnType<typeof createEdge>;
