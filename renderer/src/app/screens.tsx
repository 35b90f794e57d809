// Which component shows each screen.
import { AlertsScreen } from '../alerts/AlertsScreen.tsx';
import { ComplaintsScreen } from '../complaints/ComplaintsScreen.tsx';
import { InvestigateScreen } from '../complaints/InvestigateScreen.tsx';
import { CronScreen } from '../cron/CronScreen.tsx';
import { DashboardScreen } from '../dashboard/DashboardScreen.tsx';
import { EmailsScreen } from '../emails/EmailsScreen.tsx';
import { EscalationsScreen } from '../escalations/EscalationsScreen.tsx';
import { MetricsScreen } from '../metrics/MetricsScreen.tsx';
import { PlaybookScreen } from '../playbooks/PlaybookScreen.tsx';
import { ReconciliationScreen } from '../reconciliation/ReconciliationScreen.tsx';
import { RefundsScreen } from '../refunds/RefundsScreen.tsx';
import { ReviewsScreen } from '../reviews/ReviewsScreen.tsx';
import { SettingsScreen } from '../settings/SettingsScreen.tsx';
import { SyncScreen } from '../sync/SyncScreen.tsx';
import { WeekScreen } from '../week/WeekScreen.tsx';
import type { Screen } from './nav.ts';
import type { Stores } from './stores.ts';

export const SCREEN_COMPONENTS: Record<Screen, (p: { stores: Stores }) => React.ReactNode> = {
  dashboard: DashboardScreen,
  week: WeekScreen,
  reviews: ReviewsScreen,
  refunds: RefundsScreen,
  complaints: ComplaintsScreen,
  investigate: InvestigateScreen,
  metrics: MetricsScreen,
  cron: CronScreen,
  alerts: AlertsScreen,
  emails: EmailsScreen,
  reconciliation: ReconciliationScreen,
  escalations: EscalationsScreen,
  sync: SyncScreen,
  settings: SettingsScreen,
  playbook: PlaybookScreen,
};
