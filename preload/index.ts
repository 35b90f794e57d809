// Exposes exactly the typed console API to the page as `window.dtd`: one
// function per method of the contract, each invoking its own channel with its
// arguments spread, plus `on(event, listener)`. No generic invoke, and no
// Electron object (ipcRenderer, its events) reaches the page.
//
// This preload runs sandboxed, where `require` offers only 'electron' and a
// few Node built-ins; so it imports nothing at runtime from shared/ipc beyond
// result.ts. contract.ts would bring methods.ts and with it zod, which the
// build leaves as an external require() that a sandboxed preload cannot load.
// Hence the method list below, checked against the contract both ways at
// compile time (and against CONSOLE_METHODS, channelOf and EVENT_CHANNEL by
// preload/index.test.ts).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ConsoleApi, ConsoleCalls, ConsoleEvent, ConsoleEventName, ConsoleEvents, MethodName } from '../shared/ipc/contract.ts';
import { failure } from '../shared/ipc/result.ts';

export const PRELOAD_METHODS = [
  'session',
  'signIn',
  'signOut',
  'appInfo',
  'status',
  'syncNow',
  'outbox',
  'previewUpload',
  'cancelCommand',
  'changeReviewDecision',
  'retryCommand',
  'undoReview',
  'verdicts',
  'dismissVerdict',
  'reviews',
  'decideReview',
  'decideReviews',
  'previewBulkApprove',
  'bulkApprove',
  'refunds',
  'decideRefund',
  'previewRefundPolicy',
  'applyRefundPolicy',
  'alerts',
  'resolveAlert',
  'cronRuns',
  'cronSchedule',
  'runJobNow',
  'activity',
  'metrics',
  'overview',
  'flags',
  'accounts',
  'incidents',
  'emails',
  'runReconciliation',
  'reconciliationReports',
  'reconciliationReport',
  'recoverMissedPayments',
  'markPaymentFailed',
  'setAiMode',
  'flagAccount',
  'writeIncident',
  'emailTrainer',
  'activateOrphan',
  'complaints',
  'closeComplaint',
  'investigate',
  'checkQueue',
  'replyToReviewer',
  'reinstateReview',
  'metricsReport',
  'refundPattern',
  'policy',
  'openPlaybook',
  'playbook',
  'triageCheck',
  'webhookHealth',
  'probeZai',
  'recordStep',
  'saveReport',
  'finishReport',
  'incidentFile',
  'escalations',
  'escalationDraft',
  'openEscalation',
  'answerEscalation',
  'closeEscalation',
  'week',
  'startWeek',
  'finishSession',
  'finishWeek',
  'decideAlert',
] as const satisfies readonly MethodName[];
// A compile error here names a method of the contract this preload does not expose.
type Missing = Exclude<MethodName, (typeof PRELOAD_METHODS)[number]>;
const everyMethod: [Missing] extends [never] ? true : Missing = true;
void everyMethod;

export const EVENT_CHANNEL = 'dtd:event';
const channelOf = (method: MethodName) => `dtd:${method}` as const;

const calls = Object.fromEntries(
  PRELOAD_METHODS.map((method) => [
    method,
    // Main answers every call with a Result; a rejection here means IPC itself failed (no handler yet, main gone).
    (...args: unknown[]) =>
      ipcRenderer
        .invoke(channelOf(method), ...args)
        .catch((err: unknown) => failure('server', `The console's main process did not answer ${method}: ${(err as Error)?.message ?? String(err)}`)),
  ]),
) as unknown as ConsoleCalls;

export const dtd = {
  ...calls,
  on<E extends ConsoleEventName>(event: E, listener: (payload: ConsoleEvents[E]) => void) {
    // The page gets the payload only, never the IpcRendererEvent (which carries `sender`).
    const relay = (_e: IpcRendererEvent, message: ConsoleEvent) => {
      if (message && message.event === event) listener(message.payload as ConsoleEvents[E]);
    };
    ipcRenderer.on(EVENT_CHANNEL, relay);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, relay);
  },
} satisfies ConsoleApi;

contextBridge.exposeInMainWorld('dtd', dtd);
