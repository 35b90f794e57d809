// The thresholds the operator console shows and applies, read through each
// setting's accessor (migration 3200: the setting, or the one default it
// names), so the console never keeps a copy of its own: the bulk-approval
// line (reviews/commands.ts), the AI budget's switch line (ai_budget_state),
// the refund window (refund_eligibility) and the console's sync clock (spec
// 6.1: every minute, every 30 s while a RED alert is open; no migration seeds
// those two rows yet, so today they are the accessors' defaults).
import type { TransactionSql } from 'postgres';
import type { OperatorPolicy } from '../../../../../shared/api/operator.ts';
import type { Sql } from '../db.ts';

export async function readPolicy(t: TransactionSql | Sql): Promise<OperatorPolicy> {
  const [p] = await t<{ bulk: number; aiSwitchPct: number; refreshS: number; refreshRedS: number; refundWindowHours: number }[]>`
    select public.bulk_approve_min_confidence()::float8 as bulk,
           public.ai_budget_switch_pct()::float8 as "aiSwitchPct",
           public.console_refresh_seconds()::float8 as "refreshS",
           public.console_refresh_red_seconds()::float8 as "refreshRedS",
           public.refund_window_hours()::float8 as "refundWindowHours"`;
  return {
    bulkApproveMinConfidence: p!.bulk,
    aiBudgetSwitchRatio: p!.aiSwitchPct / 100,
    refreshMs: { normal: p!.refreshS * 1000, red: p!.refreshRedS * 1000 },
    refundWindowHours: p!.refundWindowHours,
  };
}
