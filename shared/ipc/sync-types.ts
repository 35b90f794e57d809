// What the sync engine reports, shared by main (which computes it) and the
// renderer (which shows it).
export interface SyncReport {
  pushed: number;
  applied: number;
  rejected: number;
  failed: number;
  dead: number;
  pulled: number;
}

export interface SyncStatus {
  /** null until the first attempt says. */
  online: boolean | null;
  syncing: boolean;
  pending: number;
  /** How long the oldest unsent decision has waited (0 when none). */
  oldestPendingAgeMs: number;
  dead: number;
  verdicts: number;
  lastSyncAt: string | null;
  /** Server time of the last pull: the cached state is as of this moment. */
  lastPullServerTime: string | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  stalled: boolean;
  needsSignIn: boolean;
  /** Moves whenever the outbox or the verdicts change here (a decision queued, changed, taken back or settled): screens not showing know their waiting marks may be out of date. */
  outboxRevision: number;
}
