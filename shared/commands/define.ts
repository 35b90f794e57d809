// How an operator command is declared: once, here in shared/, with
// everything every side needs to know of it. The server's handler map, the
// push's checks (versioned or not), main's outbox (queued or online only,
// what it does to the local cache) and every word the console shows for it
// (the outbox and verdict line, the badge on its item, the activity log)
// are read from the declaration; nothing else keeps a list of commands.
// (Rocicorp's Zero and Replicache keep their mutators the same way.)
import type { z } from 'zod';

/** A cached item a command decides (marks "waiting to sync" until sent). */
export interface ItemRef {
  kind: 'review' | 'refund' | 'complaint' | 'alert' | 'account' | 'incident' | 'payment' | 'escalation';
  id: string;
}

/** What an applied command did to one cached item, shown before the next pull brings the server's row. */
export interface ItemPatch {
  kind: 'review' | 'refund' | 'complaint';
  id: string;
  status: string;
  /** Fields of the cached document to set (null is kept as null). */
  fields: Record<string, unknown>;
}

/** The cached facts the words may name (a business, an amount); null when the item is no longer cached. */
export interface Cached {
  review(id: unknown): { businessName: string } | null;
  refund(id: unknown): { businessName: string; amountCents: number } | null;
}

/** Which line of the upload preview a queued command counts in. */
export type UploadTally = 'reviewApprovals' | 'reviewRejections' | 'refundApprovals' | 'refundDenials' | 'other';

export interface CommandWords<P> {
  /** The outbox's and the verdict inbox's line: "Reject review of Paws & Co (Spam)". */
  label(p: P, cached: Cached): string;
  /** The badge on its item while it waits: "approve", "reject: Spam", "denied". */
  short(p: P): string;
  /** The activity log's words for its audit entry: "approved a review". */
  activity: string;
}

/** What a queued command does to the local cache. */
export interface CacheEffect<P> {
  /** The one cached item it decides: deciding it again changes the waiting command instead of queueing a second one. */
  subject(p: P): ItemRef | null;
  /** Every cached item it decides (a bulk approval names many); defaults to the subject. */
  covers?(p: P): string[];
  /** How those items look once the server applied it; `details` is what the server answered. */
  applied(p: P, details: Record<string, unknown> | undefined): ItemPatch[];
  /** Where the upload preview counts it, and how many it counts for (a bulk approval: its reviews). */
  tally: UploadTally;
  count?(p: P): number;
}

/** Whose business a command acts on, as its payload names it: the business, the trainer's account, or a payment. */
export type FreezeTarget = { businessId: string } | { profileId: string } | { paymentId: string };

interface Base<T extends string, S extends z.ZodType> {
  type: T;
  payload: S;
  /** Decides a versioned item: the command must carry the version the operator saw (a stale one is refused). */
  versioned: boolean;
  /**
   * Spec Part 7's legal freeze: while a legal escalation about the business it
   * acts on is open, the server refuses it (refund decisions, activations,
   * flags, trainer emails). The automatic paths never ask.
   */
  frozenBy?: (p: z.output<S>) => FreezeTarget;
  words: CommandWords<z.output<S>>;
}

/** Decided here, kept in the outbox, sent when online: works offline. */
export interface QueuedCommand<T extends string = string, S extends z.ZodType = z.ZodType> extends Base<T, S> {
  mode: 'queued';
  cache: CacheEffect<z.output<S>>;
}

/** Acts at once on the live system (runs the job, asks Stripe): never queued, refused offline. */
export interface OnlineCommand<T extends string = string, S extends z.ZodType = z.ZodType> extends Base<T, S> {
  mode: 'online';
  /** What the operator is doing, for "… needs a connection" ("Running the daily job"). */
  doing: string;
}

export type Declaration<T extends string = string, S extends z.ZodType = z.ZodType> = QueuedCommand<T, S> | OnlineCommand<T, S>;

export const queued = <const T extends string, S extends z.ZodType>(d: Omit<QueuedCommand<T, S>, 'mode'>): QueuedCommand<T, S> => ({ ...d, mode: 'queued' });
export const online = <const T extends string, S extends z.ZodType>(d: Omit<OnlineCommand<T, S>, 'mode'>): OnlineCommand<T, S> => ({ ...d, mode: 'online' });

/** The audit log's action for a command: "command." and its type. The activity log reads its words by it. */
export const auditAction = (d: { type: string }) => `command.${d.type}`;
