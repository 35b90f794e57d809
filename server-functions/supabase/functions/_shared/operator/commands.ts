// What each operator command does, as plain functions over a transaction.
// A command either returns what it changed (before/after for the audit log)
// or throws a Refusal: a verdict the operator can read. The server enforces
// the operator's limits simply by having no command that deletes, changes a
// price, edits an account or overrides a policy.
import { formatAud } from '../../../../../shared/money.ts';
import type { TransactionSql } from 'postgres';
import type { Command, CommandPayload, CommandType } from '../../../../../shared/api/operator.ts';
import type { JobRun } from '../jobs/runner.ts';
import { decideRefundWithin } from '../refunds/decide.ts';
import { closeComplaint } from './complaints.ts';
import { searchCriteria } from './search-criteria.ts';
import { decideReviews, reinstateReview, type ReviewDecision } from './reviews.ts';
import { checkVersioned, Refusal, when, type VersionedRow } from './versioned.ts';
import type { Stripe } from '../stripe.ts';

export interface CommandContext {
  tx: TransactionSql;
  stripe: Stripe;
  operatorId: string;
  now: Date;
  /** Runs the daily job on its own connection (it commits its own attempts). */
  runDailyJob: (operatorId: string) => Promise<JobRun>;
}

export interface Applied {
  subjectType: string;
  subjectId: string;
  before: unknown;
  after: unknown;
  amountCents?: number | null;
  details?: Record<string, unknown>;
}

/** What the audit log keeps of an applied command: both clocks and the change. */
export function commandAuditDetails(cmd: Command, appliedAt: Date, before: unknown, after: unknown) {
  return {
    command_id: cmd.id,
    decided_at: cmd.decidedAt,
    applied_at: appliedAt.toISOString(),
    base_version: cmd.baseVersion,
    before: before ?? null,
    after: after ?? null,
  };
}

type Handler<T extends CommandType> = (ctx: CommandContext, cmd: Command<T>) => Promise<Applied>;

async function moderate(ctx: CommandContext, d: ReviewDecision): Promise<Applied> {
  const [outcome] = await decideReviews(ctx.tx, ctx.operatorId, ctx.now, [d]);
  if (outcome instanceof Refusal) throw outcome;
  return { subjectType: 'review', subjectId: d.reviewId, before: outcome!.before, after: outcome!.after };
}

const reviewApprove: Handler<'review.approve'> = (ctx, c) => moderate(ctx, { ...c.payload, baseVersion: c.baseVersion, status: 'approved' });

const reviewReject: Handler<'review.reject'> = (ctx, c) => moderate(ctx, { ...c.payload, baseVersion: c.baseVersion, status: 'rejected' });

const reviewReinstate: Handler<'review.reinstate'> = async (ctx, c) => {
  const change = await reinstateReview(ctx.tx, ctx.operatorId, ctx.now, { ...c.payload, baseVersion: c.baseVersion });
  return { subjectType: 'review', subjectId: c.payload.reviewId, ...change };
};

/**
 * Approves every named review that is still as the operator saw it and that
 * the AI scored at or above the bulk-approval line (the setting
 * bulk_approve_min_confidence, 0.90: the spec's "auto-flagged as safe"); the
 * others are listed, not fatal. The line is the server's to hold: a console
 * that sent a review below it gets it back, to be read and approved alone.
 */
const reviewBulkApprove: Handler<'review.bulk_approve'> = async (ctx, c) => {
  const ids = c.payload.reviews.map((r) => r.reviewId);
  const low = await ctx.tx<{ id: string; confidence: number | null; line: number }[]>`
    select r.id, r.ai_confidence::float8 as confidence, l.line
    from (select coalesce(public.setting_numeric('bulk_approve_min_confidence'), 0.9)::float8 as line) l
    join public.reviews r on r.id = any(${ids}::uuid[]) and (r.ai_confidence is null or r.ai_confidence < l.line)`;
  const below = new Map(low.map((r) => [r.id, r]));
  const eligible = c.payload.reviews.filter((r) => !below.has(r.reviewId));
  const outcomes = eligible.length
    ? await decideReviews(
        ctx.tx,
        ctx.operatorId,
        ctx.now,
        eligible.map((r) => ({ ...r, status: 'approved' as const })),
      )
    : [];
  const approved = outcomes.flatMap((o) => (o instanceof Refusal ? [] : [o.reviewId]));
  const skipped = [
    ...low.map((r) => ({
      reviewId: r.id,
      reason: `its AI confidence ${r.confidence === null ? 'is unknown' : r.confidence.toFixed(2)}${r.confidence === null ? '' : ` is below the bulk-approval line ${r.line.toFixed(2)}`}; approve it on its own after reading it`,
    })),
    ...outcomes.flatMap((o, i) => (o instanceof Refusal ? [{ reviewId: eligible[i]!.reviewId, reason: o.verdict.reason ?? 'refused' }] : [])),
  ];
  if (approved.length === 0) {
    throw new Refusal({ kind: 'refused', reason: `none of the ${skipped.length} reviews could be approved: ${skipped[0]!.reason}`, details: { skipped } });
  }
  return { subjectType: 'review', subjectId: `bulk:${approved.length}`, before: null, after: { approved }, details: { approved, skipped } };
};

async function refundDecision(ctx: CommandContext, c: Command<'refund.approve' | 'refund.deny'>, decision: 'approve' | 'deny'): Promise<Applied> {
  const { refundRequestId: id, businessId } = c.payload;
  const [row] = await ctx.tx<(VersionedRow & { amount_cents: number })[]>`
    select rr.id, rr.business_id, rr.status, rr.version, rr.decided_by, p.display_name as decided_by_name, rr.decided_at,
           pa.amount_cents
    from public.refund_requests rr
    join public.payment_audit pa on pa.id = rr.payment_id
    left join public.profiles p on p.id = rr.decided_by
    where rr.id = ${id} for update of rr`;
  const before = checkVersioned('refund request', row, id, businessId, c.baseVersion);
  const result = await decideRefundWithin(
    ctx.tx,
    ctx.stripe,
    { requestId: id, decision, operatorId: ctx.operatorId, decisionId: c.id, note: c.payload.note ?? null },
    ctx.now,
  );
  if (result.outcome !== 'applied') throw new Refusal({ kind: 'refused', reason: result.reason ?? `refund request is ${result.status}` });
  return {
    subjectType: 'refund_request',
    subjectId: id,
    before: { status: before.status, version: before.version },
    after: { status: result.status, stripe_refund_id: result.stripe_refund_id ?? null },
    amountCents: decision === 'approve' ? -row!.amount_cents : null,
    details: { stripeRefundId: result.stripe_refund_id ?? null, amountCents: row!.amount_cents },
  };
}

const jobRunNow: Handler<'job.run_now'> = async (ctx) => {
  const run = await ctx.runDailyJob(ctx.operatorId);
  if (run.status !== 'success') throw new Refusal({ kind: 'refused', reason: `the daily job failed after ${run.attempts} attempts: ${run.error}` });
  return { subjectType: 'cron_job', subjectId: run.runId, before: null, after: run.result, details: { runId: run.runId, attempts: run.attempts } };
};

const aiModeSet: Handler<'ai_mode.set'> = async (ctx, c) => {
  const [row] = await ctx.tx<{ value: string }[]>`select value from public.feature_flags where key = 'AI_MODE' for update`;
  await ctx.tx`
    insert into public.feature_flags (key, value, updated_by) values ('AI_MODE', ${c.payload.mode}, ${ctx.operatorId})
    on conflict (key) do update set value = excluded.value, updated_by = excluded.updated_by`;
  return { subjectType: 'feature_flag', subjectId: 'AI_MODE', before: { value: row?.value ?? null }, after: { value: c.payload.mode } };
};

/** Playbook 2: an orphaned payment, or a waiting one a free slot is for, activated now (never a queue jump: migration 2900). */
const activateOrphan: Handler<'placement.activate_orphan'> = async (ctx, c) => {
  const [row] = await ctx.tx<{ r: { outcome: string; reason?: string; placement_id?: string; featured_until?: string } }[]>`
    select public.activate_paid_payment(${c.payload.paymentId}, ${ctx.operatorId}, ${ctx.now}) as r`;
  if (row!.r.outcome !== 'applied') throw new Refusal({ kind: 'refused', reason: row!.r.reason ?? 'not activated' });
  return { subjectType: 'payment', subjectId: c.payload.paymentId, before: { placement: null }, after: row!.r, details: row!.r };
};

/**
 * Reconciliation's fix for a payment recorded as succeeded that Stripe never
 * took (spec 2.3: "charge failed but recorded"): asked of Stripe first, so a
 * payment Stripe did take is never marked failed. Its placement ends (or its
 * queue entry leaves the queue), the slot goes to the next in line, audited.
 */
const paymentMarkFailed: Handler<'payment.mark_failed'> = async (ctx, c) => {
  const [p] = await ctx.tx<{ id: string; status: string; council_id: string; amount_cents: number; charge: string | null; intent: string | null }[]>`
    select id, status, council_id, amount_cents, stripe_charge_id as charge, stripe_payment_intent_id as intent
    from public.payment_audit where id = ${c.payload.paymentId} for update`;
  if (!p) throw new Refusal({ kind: 'not_found', reason: `payment ${c.payload.paymentId} does not exist` });
  if (p.status !== 'succeeded') throw new Refusal({ kind: 'refused', reason: `the payment is ${p.status}; only a succeeded payment can be marked failed` });
  const stripeSays = async (): Promise<string | null> => {
    try {
      if (p.charge) return (await ctx.stripe.charges.retrieve(p.charge)).status;
      if (p.intent) return (await ctx.stripe.paymentIntents.retrieve(p.intent)).status;
      return null;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return null; // Stripe has no such charge
      throw err;
    }
  };
  const status = await stripeSays();
  if (status === 'succeeded') {
    throw new Refusal({
      kind: 'refused',
      reason: `Stripe shows ${p.charge ?? p.intent} succeeded (${formatAud(p.amount_cents)}): the payment did not fail, so it is not marked`,
    });
  }
  await ctx.tx`select public.lock_council_slots(${p.council_id})`;
  await ctx.tx`
    update public.payment_audit
    set status = 'failed', notes = concat_ws('; ', notes, ${`marked failed after reconciliation: Stripe has ${status === null ? 'no such charge' : `it as ${status}`}`}::text)
    where id = ${p.id}`;
  const ended = await ctx.tx`
    update public.featured_placements set status = 'expired', featured_until = least(featured_until, ${ctx.now}::timestamptz)
    where payment_id = ${p.id} and status = 'active' returning id`;
  const left = await ctx.tx`
    update public.featured_queue set cancelled_at = ${ctx.now}
    where payment_id = ${p.id} and promoted_at is null and cancelled_at is null returning id`;
  await ctx.tx`select public.promote_from_queue(array[${p.council_id}], ${ctx.now})`;
  return {
    subjectType: 'payment',
    subjectId: p.id,
    before: { status: 'succeeded' },
    after: { status: 'failed' },
    details: { stripe: status ?? 'no such charge', placementEnded: ended.length > 0, leftQueue: left.length > 0 },
  };
};

const accountFlag: Handler<'account.flag'> = async (ctx, c) => {
  const [row] = await ctx.tx<{ role: string; account_status: string; flagged_at: Date | null }[]>`
    select role, account_status, flagged_at from public.profiles where id = ${c.payload.profileId} for update`;
  if (!row) throw new Refusal({ kind: 'not_found', reason: `account ${c.payload.profileId} does not exist` });
  if (row.role !== 'trainer') throw new Refusal({ kind: 'refused', reason: 'only trainer accounts can be flagged for review' });
  if (row.account_status === 'flagged_for_review') {
    throw new Refusal({ kind: 'refused', reason: `account is already flagged for review (since ${when(row.flagged_at)})` });
  }
  await ctx.tx`
    update public.profiles set account_status = 'flagged_for_review', flagged_reason = ${c.payload.reason}, flagged_at = ${ctx.now}
    where id = ${c.payload.profileId}`;
  return {
    subjectType: 'profile',
    subjectId: c.payload.profileId,
    before: { account_status: row.account_status },
    after: { account_status: 'flagged_for_review', flagged_reason: c.payload.reason },
  };
};

const alertResolve: Handler<'alert.resolve'> = async (ctx, c) => {
  const [row] = await ctx.tx<{ resolved_at: Date | null; kind: string }[]>`
    select resolved_at, kind from public.alerts where id = ${c.payload.alertId} for update`;
  if (!row) throw new Refusal({ kind: 'not_found', reason: `alert ${c.payload.alertId} does not exist` });
  if (row.resolved_at) throw new Refusal({ kind: 'refused', reason: `alert was already resolved at ${when(row.resolved_at)}` });
  await ctx.tx`
    update public.alerts
    set resolved_at = greatest(${ctx.now}, opened_at), acknowledged_by = ${ctx.operatorId}, acknowledged_at = ${ctx.now},
        details = details || jsonb_build_object('resolution_note', ${c.payload.note ?? null}::text)
    where id = ${c.payload.alertId}`;
  return {
    subjectType: 'alert',
    subjectId: c.payload.alertId,
    before: { resolved: false, kind: row.kind },
    after: { resolved: true, note: c.payload.note ?? null },
  };
};

const incidentWrite: Handler<'incident.write'> = async (ctx, c) => {
  const p = c.payload;
  const [before] = await ctx.tx`select title, severity, resolved_at from public.incidents where id = ${p.incidentId} for update`;
  await ctx.tx`
    insert into public.incidents (id, title, severity, kind, started_at, resolved_at, root_cause, response, resolution, user_impact, created_by)
    values (${p.incidentId}, ${p.title}, ${p.severity}, ${p.kind}, ${p.startedAt}, ${p.resolvedAt ?? null}, ${p.rootCause ?? null},
            ${p.response ?? null}, ${p.resolution ?? null}, ${p.userImpact ?? null}, ${ctx.operatorId})
    on conflict (id) do update set title = excluded.title, severity = excluded.severity, kind = excluded.kind,
        started_at = excluded.started_at, resolved_at = excluded.resolved_at, root_cause = excluded.root_cause,
        response = excluded.response, resolution = excluded.resolution, user_impact = excluded.user_impact`;
  return {
    subjectType: 'incident',
    subjectId: p.incidentId,
    before: before ?? null,
    after: { title: p.title, severity: p.severity, resolvedAt: p.resolvedAt ?? null },
  };
};

/** The spec's trainer emails, with the facts filled in by the server (never typed by hand). */
const emailSend: Handler<'email.send'> = async (ctx, c) => {
  const { businessId, template } = c.payload;
  const [contact] = await ctx.tx<{ email: string | null; name: string; business: string; council: string }[]>`
    select * from public.business_contact(${businessId})`;
  if (!contact?.business) throw new Refusal({ kind: 'not_found', reason: `business ${businessId} does not exist` });
  if (!contact.email) throw new Refusal({ kind: 'refused', reason: `${contact.business} has no email address` });
  const base = { name: contact.name, business: contact.business, council: contact.council };
  let payload: Record<string, unknown>;
  if (template === 'featured_queued' || template === 'queue_position_reply') {
    const [q] = await ctx.tx<{ payment_id: string; amount_cents: number; paid_at: Date; queue_position: number; eta: Date | null; slots: number }[]>`
      select fq.payment_id, pa.amount_cents, fq.paid_at, qp.queue_position, qp.eta,
             coalesce(public.setting_numeric('featured_slots_per_council'), 5)::int as slots
      from public.featured_queue fq
      join public.payment_audit pa on pa.id = fq.payment_id
      cross join lateral public.queue_position(fq.payment_id, now()) qp
      where fq.business_id = ${businessId} and fq.promoted_at is null and fq.cancelled_at is null
      order by fq.paid_at limit 1`;
    if (!q) throw new Refusal({ kind: 'refused', reason: `${contact.business} has no purchase waiting in a queue` });
    // The reply explains a free slot too; the queued notice is only for a wait.
    if (q.queue_position === 0 && template === 'featured_queued') {
      throw new Refusal({ kind: 'refused', reason: `${contact.business} is not waiting: a slot is free and the promoter places it within minutes` });
    }
    payload = { ...base, amount_cents: q.amount_cents, position: q.queue_position, eta: q.eta, received_at: q.paid_at, slots: q.slots };
  } else if (template === 'search_help') {
    const [b] = await ctx.tx<{ criteria: string; hidden: string | null }[]>`
      select ${searchCriteria(ctx.tx, 'your business name')} as criteria,
             public.business_hidden_reason(b.status, b.deleted, b.age_specialties, b.behavior_issues) as hidden
      from public.businesses b join public.councils c on c.id = b.council_id where b.id = ${businessId}`;
    payload = { ...base, criteria: b!.criteria, hidden: b!.hidden };
  } else {
    const [p] = await ctx.tx<{ featured_until: Date; amount_cents: number }[]>`
      select fp.featured_until, pa.amount_cents from public.featured_placements fp join public.payment_audit pa on pa.id = fp.payment_id
      where fp.business_id = ${businessId} and fp.status = 'active' order by fp.featured_until desc limit 1`;
    if (!p) throw new Refusal({ kind: 'refused', reason: `${contact.business} has no active featured placement` });
    payload = { ...base, amount_cents: p.amount_cents, until: p.featured_until };
  }
  const [row] = await ctx.tx<{ id: string | null }[]>`
    select public.queue_email(${contact.email}, ${template}, ${ctx.tx.json(payload as never)}, ${'operator_email:' + c.id}) as id`;
  return { subjectType: 'business', subjectId: businessId, before: null, after: { template, to: contact.email }, details: { emailId: row!.id } };
};

/** Why a review was refused, as the reviewer reads it. */
const REJECTED_FOR: Record<string, string> = {
  spam: 'it reads as spam',
  profanity: 'it contains profanity',
  off_topic: 'it is not about the training',
  other: 'it does not meet our review guidelines',
};

/** 2.5 scenario 3: the reviewer hears the review's outcome, decided by its status, never typed by hand. */
const emailReviewReply: Handler<'email.review_reply'> = async (ctx, c) => {
  const { reviewId, businessId, to, note } = c.payload;
  const [r] = await ctx.tx<{ status: string; rejection_reason: string | null; business: string }[]>`
    select r.status, r.rejection_reason, b.name as business
    from public.reviews r join public.businesses b on b.id = r.business_id
    where r.id = ${reviewId} and r.business_id = ${businessId}`;
  if (!r) throw new Refusal({ kind: 'not_found', reason: `review ${reviewId} of business ${businessId} does not exist` });
  if (r.status === 'pending') throw new Refusal({ kind: 'refused', reason: 'the review is still waiting for a decision; decide it first' });
  const decision = r.status === 'approved' ? 'approved' : 'denied';
  const why = decision === 'approved' ? 'it follows our review guidelines' : (REJECTED_FOR[r.rejection_reason ?? 'other'] ?? REJECTED_FOR.other!);
  const reason = note ? `${why} (${note})` : why;
  const [row] = await ctx.tx<{ id: string | null }[]>`
    select public.queue_email(${to}, 'review_dispute_reply', ${ctx.tx.json({ business: r.business, decision, reason } as never)}, ${'operator_email:' + c.id}) as id`;
  return { subjectType: 'review', subjectId: reviewId, before: null, after: { template: 'review_dispute_reply', to, decision }, details: { emailId: row!.id } };
};

const HANDLERS: { [T in CommandType]: Handler<T> } = {
  'review.approve': reviewApprove,
  'review.reject': reviewReject,
  'review.reinstate': reviewReinstate,
  'review.bulk_approve': reviewBulkApprove,
  'refund.approve': (ctx, c) => refundDecision(ctx, c, 'approve'),
  'refund.deny': (ctx, c) => refundDecision(ctx, c, 'deny'),
  'job.run_now': jobRunNow,
  'ai_mode.set': aiModeSet,
  'placement.activate_orphan': activateOrphan,
  'account.flag': accountFlag,
  'alert.resolve': alertResolve,
  'incident.write': incidentWrite,
  'email.send': emailSend,
  'email.review_reply': emailReviewReply,
  'payment.mark_failed': paymentMarkFailed,
  'complaint.close': closeComplaint,
};

export type { CommandPayload };

export { Refusal };

export function applyCommand(ctx: CommandContext, cmd: Command): Promise<Applied> {
  return (HANDLERS[cmd.type] as Handler<CommandType>)(ctx, cmd);
}

/**
 * Commands that must not share the batch's transaction: the daily job commits
 * its own attempts on other connections and would wait on locks the batch
 * holds (an alert row it refreshes, say) while the batch waits for it.
 */
export const OWN_TRANSACTION: ReadonlySet<CommandType> = new Set(['job.run_now']);
