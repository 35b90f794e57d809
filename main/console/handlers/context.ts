// What every domain's handlers are made from, and the cache reads they share.
// Handlers answer plain values or throw a ConsoleError with the kind and the
// sentence the operator will read; main/ipc/edge.ts turns them into Results.
import type { ConsoleHandlers, LocalDecision } from '../../../shared/ipc/contract.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import type { ItemRow, Store } from '../../store/store.ts';
import type { SyncEngine } from '../../sync/engine.ts';
import type { CommandDesk } from '../commands.ts';
import type { InvestigationClient } from '../investigation.ts';
import type { PlaybooksClient } from '../playbooks.ts';
import type { ReconciliationClient } from '../reconciliation.ts';

export interface HandlerContext {
  store: Store;
  engine: SyncEngine;
  desk: CommandDesk;
  /** Payment reconciliation on the server (online only). */
  reconciliation: ReconciliationClient;
  /** The complaint investigation, metrics and refund pattern on the server (online only). */
  investigation: InvestigationClient;
  /** The playbook runs' evidence, live checks and archived reports on the server (online only). */
  playbooks: PlaybooksClient;
  clock: () => number;
}

/** The handlers for one of the contract's method maps (shared/ipc/methods.ts). */
export type HandlersFor<M> = Pick<ConsoleHandlers, keyof M & keyof ConsoleHandlers>;

export type ListFilter = { status?: 'pending' | 'all' };

export const parseRows = <T>(rows: ItemRow[]) => rows.map((r) => JSON.parse(r.data) as T);

/** Items with the decision each has waiting to sync here (null when none). */
export function withDecisions<T extends { id: string }>(ctx: HandlerContext, items: T[], local: Map<string, LocalDecision> = ctx.desk.decisions()) {
  return items.map((i) => ({ ...i, localDecision: local.get(i.id) ?? null }));
}

export function mustGet<T>(ctx: HandlerContext, kind: string, id: string, what: string): T {
  const row = ctx.store.item(kind, id);
  if (!row) throw new ConsoleError('not_found', `${what} ${id} is not in the local cache; sync, then try again`);
  return JSON.parse(row.data) as T;
}

export const oldestFirst = (a: { createdAt: string }, b: { createdAt: string }) => (a.createdAt < b.createdAt ? -1 : 1);
