// What main tells the renderer without being asked. The renderer refreshes
// each domain when `synced` says its kind of item changed; it never polls.
import type { AlertItem } from '../api/operator.ts';
import type { SyncReport, SyncStatus } from './sync-types.ts';

/** The kinds of cached item a sync can change, as `synced` names them. */
export type ChangedKind =
  | 'reviews'
  | 'refunds'
  | 'alerts'
  | 'cronRuns'
  | 'activity'
  | 'flags'
  | 'accounts'
  | 'incidents'
  | 'emails'
  | 'complaints'
  | 'escalations'
  | 'runs'
  | 'metrics'
  /** The server's thresholds (OperatorPolicy) moved. */
  | 'policy'
  | 'outbox'
  | 'verdicts';

export interface ConsoleEvents {
  synced: { changed: ChangedKind[]; report: SyncReport };
  progress: { phase: 'push' | 'pull'; done: number; total: number };
  /** Online/offline, syncing, pending counts: whenever any of them moves. */
  status: SyncStatus;
  stalled: { oldestPendingAgeMs: number };
  signedOut: { reason: string };
  /** A RED alert the operator has not been told about yet (once per alert). */
  redAlert: { alert: AlertItem };
  /** The tray's notification was clicked: show this alert. */
  openAlert: { alertId: string };
}
export type ConsoleEventName = keyof ConsoleEvents;
export const CONSOLE_EVENTS = ['synced', 'progress', 'status', 'stalled', 'signedOut', 'redAlert', 'openAlert'] as const satisfies readonly ConsoleEventName[];
type MissingEvent = Exclude<ConsoleEventName, (typeof CONSOLE_EVENTS)[number]>;
// A compile error here names an event left out of CONSOLE_EVENTS.
const everyEvent: [MissingEvent] extends [never] ? true : MissingEvent = true;
void everyEvent;

export interface ConsoleEvent<E extends ConsoleEventName = ConsoleEventName> {
  event: E;
  payload: ConsoleEvents[E];
}
