// The console's data handlers: one file per map of the contract
// (shared/ipc/methods.ts), merged here. Session and app info are main's
// shell's (open.ts).
import type { ConsoleHandlers } from '../../../shared/ipc/contract.ts';
import type { Store } from '../../store/store.ts';
import type { SyncEngine } from '../../sync/engine.ts';
import type { OperatorTransport } from '../../sync/transport.ts';
import { createCommandDesk } from '../commands.ts';
import type { InvestigationClient } from '../investigation.ts';
import type { PlaybooksClient } from '../playbooks.ts';
import type { ReconciliationClient } from '../reconciliation.ts';
import { createActionsHandlers } from './actions.ts';
import { createActivityHandlers } from './activity.ts';
import { createAlertsHandlers } from './alerts.ts';
import { createComplaintsHandlers } from './complaints.ts';
import { createCronHandlers } from './cron.ts';
import { createEscalationsHandlers } from './escalations.ts';
import { createMetricsHandlers } from './metrics.ts';
import { createPlaybooksHandlers } from './playbooks.ts';
import { createReconciliationHandlers } from './reconciliation.ts';
import { createRefundsHandlers } from './refunds.ts';
import { createReviewsHandlers } from './reviews.ts';
import { createSyncHandlers } from './sync.ts';
import { createWeekHandlers } from './week.ts';

export interface ConsoleDeps {
  store: Store;
  engine: SyncEngine;
  transport: OperatorTransport;
  reconciliation: ReconciliationClient;
  investigation: InvestigationClient;
  playbooks: PlaybooksClient;
  clock?: () => number;
}

export type DataHandlers = Omit<ConsoleHandlers, 'session' | 'signIn' | 'signOut' | 'appInfo'>;

export function createConsoleService(deps: ConsoleDeps) {
  const clock = deps.clock ?? Date.now;
  const desk = createCommandDesk(deps.store, deps.engine, deps.transport, clock);
  const ctx = { ...deps, clock, desk };
  return {
    ...createSyncHandlers(ctx),
    ...createReviewsHandlers(ctx),
    ...createRefundsHandlers(ctx),
    ...createAlertsHandlers(ctx),
    ...createCronHandlers(ctx),
    ...createActivityHandlers(ctx),
    ...createMetricsHandlers(ctx),
    ...createActionsHandlers(ctx),
    ...createReconciliationHandlers(ctx),
    ...createComplaintsHandlers(ctx),
    ...createPlaybooksHandlers(ctx),
    ...createEscalationsHandlers(ctx),
    ...createWeekHandlers(ctx),
  } satisfies DataHandlers;
}
