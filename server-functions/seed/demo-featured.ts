// The demo's money: a year of $22 featured purchases per council, replayed
// through the slot and queue rules (featured-history.ts), ending exactly at
// the dashboard's state; their payments, placements and queue entries; two
// refunds approved and one denied in past batches; three refund requests
// waiting for this week's batch; the daily job's recent runs.
import { DAILY_JOB } from '../../shared/jobs/schedule.ts';
import { DAY_MS, HOUR_MS, dailyRuns, lastWeekdayAt, localDate, localTime } from './calendar.ts';
import type { CouncilPlan } from './catalog.ts';
import type { CopyValue } from './copy.ts';
import type { DemoBusiness, Directory } from './demo-directory.ts';
import { settleCouncil, simulateCouncil, type CouncilHistory, type FeaturedRules, type Purchase, type PurchaseOutcome } from './featured-history.ts';
import type { Random } from './random.ts';
import type { SeedSettings } from './target.ts';

type Row = Record<string, CopyValue>;

/**
 * Purchases paid in the last 12 months: 1,127 kept at $22 is $24,794, the
 * spec's "$24,800 LTM", plus the 2 that were refunded.
 */
export const DEMO_PURCHASES_LAST_YEAR = 1129;
export const DEMO_APPROVED_REFUNDS = 2;
export const DEMO_FAILED_PAYMENTS = 16;
/** Daily-job runs recorded in cron_jobs (older history is not kept in the demo). */
export const DEMO_CRON_RUNS = 14;

/** The operator decides refunds in the Thursday batch. */
const BATCH_WEEKDAY = 4;
const BATCH_HOUR = 11;

export type AuditEntry = {
  occurred_at: Date;
  actor_id: string | null;
  actor_kind: 'operator' | 'system' | 'stripe' | 'trainer';
  action: string;
  subject_type: string;
  subject_id: string;
  amount_cents: number | null;
  details: Record<string, unknown>;
};

export interface FeaturedContext {
  rng: Random;
  councils: readonly CouncilPlan[];
  directory: Directory;
  settings: SeedSettings;
  now: number;
  operatorId: string;
}

/**
 * `n` candidate purchase times over [start, now), in draw order (not sorted):
 * busier towards now (the directory is growing), in local daytime. Taking the
 * first k of them gives k purchases drawn the same way, for any k.
 */
function candidateTimes(rng: Random, n: number, start: number, now: number, timeZone: string): number[] {
  const growth = 0.4; // demand at the end of the year is 40 % above its start
  return Array.from({ length: n }, () => {
    const u = rng.next();
    const x = (-1 + Math.sqrt(1 + 2 * growth * u * (1 + growth / 2))) / growth; // inverse CDF of 1 + growth·x
    const day = localDate(start + x * (now - start), timeZone);
    const at = localTime(day, 0, timeZone) + Math.round(rng.between(7, 22) * HOUR_MS);
    return Math.min(Math.max(at, start), now - 60_000);
  });
}

function firstPurchases(times: readonly number[], n: number): Purchase[] {
  return times
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((paidAt) => ({ paidAt }));
}

/** The first Thursday-batch instant after `at`. */
function nextBatch(at: number, timeZone: string): number {
  return lastWeekdayAt(at + 7 * DAY_MS, BATCH_WEEKDAY, BATCH_HOUR, timeZone);
}

function closesAt(o: PurchaseOutcome): number {
  return o.cancelledAt ?? o.placement?.closedAt ?? Infinity;
}

function isOpen(o: PurchaseOutcome): boolean {
  return o.placement?.status === 'active' || (o.queued && o.promotedAt === undefined && o.cancelledAt === undefined);
}

export function buildFeatured(ctx: FeaturedContext) {
  const { rng, councils, settings, now, operatorId } = ctx;
  const tz = settings.timeZone;
  const slots = settings.slotsPerCouncil;
  const windowMs = settings.refundWindowHours * HOUR_MS;
  // One hour inside the 12 months, so every purchase counts in "last 12 months" however it is measured.
  const start = now - 365 * DAY_MS + HOUR_MS;
  const rules: FeaturedRules = { slots, featuredMs: settings.featuredDays * DAY_MS, runs: dailyRuns(start, now, 2, tz), now };

  // -- Purchases, council by council, settled at the dashboard's figures ------
  const purchases = new Map<string, Purchase[]>();
  const histories = new Map<string, CouncilHistory>();
  const laterRngs = new Map(councils.map((c) => [c.id, rng.fork(`later/${c.id}`)]));
  const settle = (c: CouncilPlan) => {
    const target = c.queued > 0 ? { active: slots, queued: c.queued } : { active: Math.min(c.active, slots), queued: 0 };
    const later = laterRngs.get(c.id)!;
    // Top-ups land in the last ten days, between the newest purchase and now.
    const next = (after: number) => {
      const from = Math.max(after, now - 10 * DAY_MS);
      return Math.round(from + (now - from) * later.between(0.15, 0.85));
    };
    histories.set(c.id, settleCouncil(purchases.get(c.id)!, target, rules, next));
  };
  const withQueue = councils.filter((c) => c.queued > 0);
  const withoutQueue = councils.filter((c) => c.queued === 0);
  // A council with a queue gets the fewest purchases whose replay leaves at
  // least its queue waiting: demand outgrew its slots gradually, and people
  // kept buying up to today (trimming many newest purchases would leave a
  // strange lull before now).
  const maxPurchases = Math.ceil((365 / settings.featuredDays) * slots * 3);
  for (const c of withQueue) {
    const times = candidateTimes(rng.fork(`purchases/${c.id}`), maxPurchases, start, now, tz);
    let n = slots + c.queued;
    while (n < maxPurchases && simulateCouncil(firstPurchases(times, n), rules).waiting < c.queued) n++;
    purchases.set(c.id, firstPurchases(times, n));
    settle(c);
  }
  // The rest of the year's purchases are shared by the other councils. Settling
  // trims or tops up a few, so hand out what is still missing (or extra) again.
  const shares = withoutQueue.reduce((sum, c) => sum + c.share, 0);
  const candidates = new Map(withoutQueue.map((c) => [c.id, candidateTimes(rng.fork(`purchases/${c.id}`), maxPurchases, start, now, tz)]));
  const wanted = new Map(withoutQueue.map((c) => [c.id, 0]));
  const total = () => councils.reduce((sum, c) => sum + (purchases.get(c.id)?.length ?? 0), 0);
  let missing = DEMO_PURCHASES_LAST_YEAR - total();
  for (let round = 0; round < 4 && Math.abs(missing) > 2; round++) {
    for (const c of withoutQueue) {
      const n = Math.min(maxPurchases, Math.max(0, wanted.get(c.id)! + Math.round((missing * c.share) / shares)));
      wanted.set(c.id, n);
      purchases.set(c.id, firstPurchases(candidates.get(c.id)!, n));
      settle(c);
    }
    missing = DEMO_PURCHASES_LAST_YEAR - total();
  }

  // -- Past refund decisions -------------------------------------------------
  // Approved refunds are for direct placements paid 40–200 days ago: a refund
  // changes nothing before it, so the purchase stays a placement when replayed.
  const refundRng = rng.fork('refunds');
  const decided: { outcome: PurchaseOutcome; councilId: string; requestedAt: number; decidedAt: number; approved: boolean }[] = [];
  const past = (fromDays: number, toDays: number, direct: boolean) =>
    councils.flatMap((c) =>
      histories
        .get(c.id)!
        .outcomes.filter((o) => now - o.purchase.paidAt >= fromDays * DAY_MS && now - o.purchase.paidAt <= toDays * DAY_MS)
        .filter((o) => !direct || (!o.queued && o.placement !== undefined))
        .map((outcome) => ({ outcome, councilId: c.id })),
    );
  const refundCouncils = new Set<string>();
  for (const pick of refundRng.shuffle(past(40, 200, true))) {
    if (refundCouncils.size === DEMO_APPROVED_REFUNDS) break;
    if (refundCouncils.has(pick.councilId)) continue;
    refundCouncils.add(pick.councilId);
    const requestedAt = pick.outcome.purchase.paidAt + Math.round(refundRng.between(0.05, 0.8) * windowMs);
    const decidedAt = nextBatch(requestedAt, tz);
    pick.outcome.purchase.refundAt = decidedAt;
    decided.push({ ...pick, requestedAt, decidedAt, approved: true });
  }
  for (const c of councils) if (refundCouncils.has(c.id)) settle(c);
  for (const d of decided) {
    // Re-settling replays the council: find the same purchase's new outcome.
    d.outcome = histories.get(d.councilId)!.outcomes.find((o) => o.purchase.refundAt === d.decidedAt)!;
    if (d.outcome?.placement?.status !== 'refunded') throw new Error('demo seed: a refunded purchase did not replay as refunded');
  }
  const denied = refundRng.pick(past(50, 90, false).filter((p) => p.outcome.purchase.refundAt === undefined));
  const deniedAsk = denied.outcome.purchase.paidAt + windowMs + Math.round(refundRng.between(10, 40) * HOUR_MS);
  decided.push({ ...denied, requestedAt: deniedAsk, decidedAt: nextBatch(deniedAsk, tz), approved: false });

  // -- Who bought what ---------------------------------------------------------
  // A business holds at most one open purchase (featured or waiting) at a
  // time; returning customers are three times as likely to buy again.
  const buyerOf = new Map<PurchaseOutcome, DemoBusiness>();
  const councilOf = new Map<PurchaseOutcome, string>();
  const buyerRng = rng.fork('buyers');
  for (const c of councils) {
    const pool = ctx.directory.buyers.get(c.id) ?? [];
    const busyUntil = new Map<DemoBusiness, number>();
    for (const o of histories.get(c.id)!.outcomes) {
      const paidAt = o.purchase.paidAt;
      const free = pool.filter((b) => b.createdAt < paidAt - DAY_MS && (busyUntil.get(b) ?? 0) <= paidAt);
      if (free.length === 0) throw new Error(`demo seed: no free business in ${c.id} for a purchase`);
      const buyer = buyerRng.weighted(free.map((b) => [b, busyUntil.has(b) ? 3 : 1] as const));
      busyUntil.set(buyer, closesAt(o));
      buyerOf.set(o, buyer);
      councilOf.set(o, c.id);
    }
  }
  const outcomes = [...buyerOf.keys()].sort((a, b) => a.purchase.paidAt - b.purchase.paidAt);

  // -- This week's refund requests: two inside the window, one outside --------
  // The first was asked in time but is older than the window by the batch:
  // the server-stamped request time decides, not the day the operator looks.
  // Two are for featured placements (approving frees a slot), one for a purchase still waiting.
  const asks = [
    { age: 5 * DAY_MS, after: Math.round(windowMs * (2 / 3)), featured: true, reason: 'Featured did not bring any enquiries, please refund.' },
    { age: 30 * HOUR_MS, after: Math.round(windowMs * 0.28), featured: false, reason: 'Bought it twice by mistake for the same listing.' },
    { age: 10 * DAY_MS, after: windowMs + 28 * HOUR_MS, featured: true, reason: 'Closing over the holidays, would like my money back.' },
  ];
  const pending: { outcome: PurchaseOutcome; requestedAt: number; reason: string }[] = [];
  const asked = new Set<DemoBusiness>(decided.map((d) => buyerOf.get(d.outcome)!));
  for (const ask of asks) {
    const open = outcomes.filter((o) => isOpen(o) && !asked.has(buyerOf.get(o)!) && now - o.purchase.paidAt >= ask.after + HOUR_MS);
    const preferred = open.filter((o) => (o.placement?.status === 'active') === ask.featured);
    const best = (preferred.length ? preferred : open).sort(
      (a, b) => Math.abs(now - a.purchase.paidAt - ask.age) - Math.abs(now - b.purchase.paidAt - ask.age),
    )[0];
    if (!best) throw new Error('demo seed: no open purchase to ask a refund for');
    asked.add(buyerOf.get(best)!);
    pending.push({ outcome: best, requestedAt: best.purchase.paidAt + ask.after, reason: ask.reason });
  }

  // -- Rows ----------------------------------------------------------------------
  const ids = rng.fork('ids');
  const payments: Row[] = [];
  const placements: Row[] = [];
  const queue: Row[] = [];
  const audit: AuditEntry[] = [];
  const paymentId = new Map<PurchaseOutcome, string>();
  const pendingOn = new Set(pending.map((p) => p.outcome));
  const date = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) ? null : new Date(ms));
  const stripeIds = () => ({
    stripe_payment_intent_id: `pi_${ids.token(24)}`,
    stripe_charge_id: `ch_${ids.token(24)}`,
    stripe_checkout_session_id: `cs_${ids.token(40)}`,
  });

  for (const o of outcomes) {
    const business = buyerOf.get(o)!;
    const councilId = councilOf.get(o)!;
    const paidAt = o.purchase.paidAt;
    const refundedAt = o.purchase.refundAt;
    const id = ids.uuid();
    paymentId.set(o, id);
    payments.push({
      id,
      business_id: business.id,
      council_id: councilId,
      ...stripeIds(),
      amount_cents: settings.priceCents,
      currency: settings.currency,
      status: refundedAt === undefined ? 'succeeded' : 'refunded',
      paid_at: date(paidAt),
      refunded_at: date(refundedAt),
      stripe_refund_id: refundedAt === undefined ? null : `re_${ids.token(24)}`,
      last_stripe_event_at: date(refundedAt ?? paidAt),
      notes: null,
      created_at: date(paidAt - ids.int(40, 300) * 1000),
      updated_at: date(refundedAt ?? paidAt),
    });
    audit.push({
      occurred_at: new Date(paidAt),
      actor_id: null,
      actor_kind: 'stripe',
      action: 'payment.succeeded',
      subject_type: 'payment',
      subject_id: id,
      amount_cents: settings.priceCents,
      details: { business_id: business.id, council_id: councilId },
    });
    let placementId: string | null = null;
    if (o.placement) {
      const p = o.placement;
      placementId = ids.uuid();
      placements.push({
        id: placementId,
        business_id: business.id,
        council_id: councilId,
        payment_id: id,
        status: p.status,
        featured_from: date(p.from),
        featured_until: date(p.until),
        refund_status: p.status === 'refunded' ? 'refunded' : pendingOn.has(o) ? 'pending' : null,
        refunded_at: p.status === 'refunded' ? date(p.closedAt) : null,
        created_at: date(p.from),
        updated_at: date(p.closedAt ?? p.from),
      });
    }
    if (o.queued) {
      queue.push({
        id: ids.uuid(),
        business_id: business.id,
        council_id: councilId,
        payment_id: id,
        paid_at: date(paidAt),
        promoted_at: date(o.promotedAt),
        placement_id: o.promotedAt === undefined ? null : placementId,
        cancelled_at: date(o.cancelledAt),
        created_at: date(paidAt + 2000),
      });
    }
  }

  // A few declined cards: recorded, never featured, never counted as revenue.
  const failRng = rng.fork('failed');
  const buyers = [...ctx.directory.buyers.values()].flat();
  for (let i = 0; i < DEMO_FAILED_PAYMENTS; i++) {
    const business = failRng.pick(buyers);
    const at = Math.round(start + failRng.next() * (now - start - HOUR_MS));
    payments.push({
      id: ids.uuid(),
      business_id: business.id,
      council_id: business.councilId,
      ...stripeIds(),
      amount_cents: settings.priceCents,
      currency: settings.currency,
      status: 'failed',
      paid_at: null,
      refunded_at: null,
      stripe_refund_id: null,
      last_stripe_event_at: date(at + 20_000),
      notes: failRng.pick(['card_declined: insufficient_funds', 'card_declined: expired_card', 'card_declined: do_not_honor']),
      created_at: date(at),
      updated_at: date(at + 20_000),
    });
  }

  const refundRequests: Row[] = [];
  const emails: Row[] = [];
  const dateText = (ms: number) => new Intl.DateTimeFormat('en-AU', { timeZone: tz, dateStyle: 'long' }).format(ms);
  const request = (o: PurchaseOutcome, requestedAt: number, reason: string, decision?: { at: number; approved: boolean }) => {
    const business = buyerOf.get(o)!;
    const id = ids.uuid();
    const hours = Math.floor((requestedAt - o.purchase.paidAt) / HOUR_MS);
    const note =
      decision && !decision.approved
        ? `Asked ${hours} hours after the purchase on ${dateText(o.purchase.paidAt)}; refunds are only available within ${settings.refundWindowHours} hours.`
        : null;
    refundRequests.push({
      id,
      payment_id: paymentId.get(o)!,
      business_id: business.id,
      requested_by: business.owner.id,
      requested_at: date(requestedAt),
      reason,
      status: decision ? (decision.approved ? 'approved' : 'denied') : 'pending',
      decided_by: decision ? operatorId : null,
      decided_at: date(decision?.at),
      decision_note: note,
      version: decision ? 2 : 1,
      created_at: date(requestedAt),
      updated_at: date(decision?.at ?? requestedAt),
    });
    audit.push({
      occurred_at: new Date(requestedAt),
      actor_id: business.owner.id,
      actor_kind: 'trainer',
      action: 'refund_request.submitted',
      subject_type: 'refund_request',
      subject_id: id,
      amount_cents: settings.priceCents,
      details: { payment_id: paymentId.get(o) },
    });
    if (!decision) return;
    const template = decision.approved ? 'refund_approved' : 'refund_denied';
    const days = Math.floor((decision.at - o.purchase.paidAt) / DAY_MS);
    audit.push({
      occurred_at: new Date(decision.at),
      actor_id: operatorId,
      actor_kind: 'operator',
      action: decision.approved ? 'refund.approved' : 'refund.denied',
      subject_type: 'refund_request',
      subject_id: id,
      amount_cents: decision.approved ? settings.priceCents : null,
      details: { payment_id: paymentId.get(o), hours_after_purchase: hours },
    });
    emails.push({
      id: ids.uuid(),
      to_email: business.owner.email,
      template,
      subject: decision.approved ? 'Your featured placement refund' : 'About your refund request',
      body_text: decision.approved
        ? `Hi ${business.owner.displayName}, your refund of $${(settings.priceCents / 100).toFixed(2)} for ${business.name} is processed. Look for it in 3–5 business days.`
        : `Hi ${business.owner.displayName}, unfortunately, refunds are only available within ${settings.refundWindowHours / 24} days of purchase. ` +
          `Your purchase was on ${dateText(o.purchase.paidAt)}, which is ${days} days ago. We cannot process this refund.`,
      payload: { request_id: id, business_name: business.name, purchased_at: new Date(o.purchase.paidAt).toISOString(), days },
      status: 'sent',
      provider_message_id: `msg_${ids.token(20)}`,
      attempts: 1,
      last_error: null,
      created_at: date(decision.at),
      sent_at: date(decision.at + 45_000),
      dedupe_key: `${template}:${id}`,
    });
  };
  for (const d of decided.sort((a, b) => a.requestedAt - b.requestedAt)) {
    request(d.outcome, d.requestedAt, d.approved ? 'Featured did not suit us after all.' : 'Not getting the calls I hoped for.', {
      at: d.decidedAt,
      approved: d.approved,
    });
  }
  for (const p of pending) request(p.outcome, p.requestedAt, p.reason);

  // -- The daily job's recent runs (one needed a second attempt) --------------
  const cronRng = rng.fork('cron');
  const cronJobs: Row[] = [];
  const recentRuns = rules.runs.filter((at) => at <= now).slice(-DEMO_CRON_RUNS);
  recentRuns.forEach((at, i) => {
    const tally = { expired: 0, promoted: 0 };
    for (const h of histories.values()) {
      const t = h.runs.get(at);
      if (t) {
        tally.expired += t.expired;
        tally.promoted += t.promoted;
      }
    }
    const runId = cronRng.uuid();
    const base = { job_name: DAILY_JOB, run_id: runId, max_attempts: settings.cronMaxAttempts, trigger: 'schedule', triggered_by: null };
    let startedAt = at;
    if (i === recentRuns.length - 6) {
      cronJobs.push({
        ...base,
        attempt: 1,
        started_at: date(at),
        finished_at: date(at + 30_000),
        duration_ms: 30_000,
        status: 'failure',
        error: 'canceling statement due to statement timeout',
        result: null,
      });
      startedAt = at + 90_000;
    }
    const duration = cronRng.int(350, 2400);
    cronJobs.push({
      ...base,
      attempt: startedAt === at ? 1 : 2,
      started_at: date(startedAt),
      finished_at: date(startedAt + duration),
      duration_ms: duration,
      status: 'success',
      error: null,
      result: tally,
    });
  });

  return { payments, placements, queue, refundRequests, emails, cronJobs, audit, histories };
}
