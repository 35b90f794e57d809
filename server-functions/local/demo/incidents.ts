// The demo incidents: each of the spec's five playbooks (Part 4) has a plant
// that creates its condition on a running local stack the way it happens in
// production and then calls the alerts refresh, so the alert appears by
// itself. `npm run demo -- incident <kind>` runs one; the Chromium tests of
// the playbooks plant through the same functions. Each answers what it
// planted (ids, counts, the alerts now open) and may be run again.
import type { DemoStack, OpenAlert } from './context.ts';
import { plantCronFailed, type CronPlant } from './cron.ts';
import { plantQueueOutOfOrder, type QueuePlant } from './queue.ts';
import { plantRefundRate, type RefundsPlant } from './refunds.ts';
import { plantWebhookFailed, type WebhookPlant } from './webhook.ts';
import { plantZaiDown, type ZaiPlant } from './zai.ts';

export type { DemoStack, OpenAlert } from './context.ts';
export { plantCronFailed, plantQueueOutOfOrder, plantRefundRate, plantWebhookFailed, plantZaiDown };
export type { CronPlant, QueuePlant, RefundsPlant, WebhookPlant, ZaiPlant };

export const INCIDENT_KINDS = ['zai', 'webhook', 'cron', 'queue', 'refunds'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export const isIncidentKind = (value: string): value is IncidentKind => (INCIDENT_KINDS as readonly string[]).includes(value);

const melbourne = (at: Date) =>
  at.toLocaleString('en-AU', { timeZone: 'Australia/Melbourne', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

const alertLines = (alerts: OpenAlert[]) => alerts.map((a) => `${a.severity} alert '${a.message}'`);

interface Incident<T> {
  /** The spec's playbook, for --help and the summary. */
  playbook: string;
  /** The condition, in one line. */
  condition: string;
  /** The alert kinds it raises. */
  alerts: string[];
  plant(stack: DemoStack): Promise<T>;
  /** What was planted and what the operator should now see. */
  describe(planted: T): string[];
}

const OPEN_PLAYBOOK = 'Open it in Alerts & activity and press Open playbook.';

const zai: Incident<ZaiPlant> = {
  playbook: '4.1 Z.AI down >30 minutes',
  condition: 'the Z.AI double failing, its failures recorded since 42 minutes ago, triage answered by the fallback',
  alerts: ['zai_down'],
  plant: plantZaiDown,
  describe: (p) => [
    `Z.AI double switched to failing; a live triage call ${p.liveCallFailed ? 'failed over to the rules' : `did not reach Z.AI (AI mode ${p.aiMode ?? 'unset'})`}.`,
    `${p.failuresBackdated} failed Z.AI calls recorded since ${melbourne(p.failingSince)}, ${p.fallbacksBackdated} triage calls answered by the fallback.`,
    ...alertLines(p.alerts),
    OPEN_PLAYBOOK,
  ],
};

const webhook: Incident<WebhookPlant> = {
  playbook: '4.2 Stripe webhook failed',
  condition: "webhook deliveries failing and a paid charge recorded with no placement, with the trainer's complaint",
  alerts: ['orphaned_charge', 'webhook_failures'],
  plant: plantWebhookFailed,
  describe: (p) => [
    `${p.business} paid $22.00 at ${melbourne(p.paidAt)} (charge ${p.chargeId}, in Stripe); recorded with no placement or queue entry.`,
    `${p.failedEventIds.length} webhook deliveries failed in the last hour; the trainer's "not featured" complaint is pending.`,
    ...alertLines(p.alerts),
    OPEN_PLAYBOOK,
  ],
};

const cron: Incident<CronPlant> = {
  playbook: '4.3 Cron failed all 5 retries',
  condition: 'the daily job failing all 5 attempts on a lock held on featured_queue, two placements past their end',
  alerts: ['cron_failed'],
  plant: plantCronFailed,
  describe: (p) => [
    `The daily job ran ${p.attempts.length} attempts, all failed: ${p.lastError ?? 'no error recorded'}.`,
    `${p.pastEnd.length} placements in ${p.councilId} past their end (${p.pastEnd.map((x) => x.business).join(', ')}), ${p.waiting} buyers waiting in its queue.`,
    ...alertLines(p.alerts),
    OPEN_PLAYBOOK,
  ],
};

const queue: Incident<QueuePlant> = {
  playbook: '4.4 Queue position dispute',
  condition: "a later payer activated in a full council while an earlier one waits, and the earlier one's complaint",
  alerts: ['queue_out_of_order'],
  plant: plantQueueOutOfOrder,
  describe: (p) => [
    `${p.ahead.business} (paid ${melbourne(p.ahead.paidAt)}) is featured in ${p.councilId} while ${p.waiting.business} (paid ${melbourne(p.waiting.paidAt)}) waits.`,
    `${p.waiting.business}'s queue-position complaint is pending in Complaints.`,
    ...alertLines(p.alerts),
    OPEN_PLAYBOOK,
  ],
};

const refunds: Incident<RefundsPlant> = {
  playbook: '4.5 High refund rate',
  condition: 'refunds past 15 % over 7 days, one new trainer refunding every purchase',
  alerts: ['refund_rate'],
  plant: plantRefundRate,
  describe: (p) => [
    `${p.refunds} refunds added (${p.repeat.name} refunded both purchases, ${p.oneOffs} others once): ${p.rate.ratePct}% over 7 days (${p.rate.refunds} of ${p.rate.purchases}).`,
    ...alertLines(p.alerts),
    OPEN_PLAYBOOK,
  ],
};

export const INCIDENTS = { zai, webhook, cron, queue, refunds } satisfies Record<IncidentKind, unknown>;

/** Plants one incident; answers what was planted and the lines saying what the operator should now see. */
export async function plantIncident(kind: IncidentKind, stack: DemoStack): Promise<{ planted: unknown; alerts: OpenAlert[]; lines: string[] }> {
  const incident = INCIDENTS[kind] as Incident<{ alerts: OpenAlert[] }>;
  const planted = await incident.plant(stack);
  return { planted, alerts: planted.alerts, lines: incident.describe(planted) };
}
