// Replays a council's featured purchases through the product's rules so that
// the demo's history is one the real system could have produced:
//  - a purchase takes a free slot at once, otherwise joins the council's FIFO
//    queue (ordered by payment time; nobody ever jumps it);
//  - the daily job (2:00 AM business time) expires placements whose period has
//    passed, then promotes from the queue into the free slots;
//  - an approved refund frees its slot (the queue advances at once) or takes a
//    waiting purchase out of the queue.
// `settleCouncil` then trims or tops up the newest purchases until the state
// at `now` is exactly the dashboard's (N active, M waiting).

export interface Purchase {
  paidAt: number;
  /** When an approved refund took effect; absent for purchases that were kept. */
  refundAt?: number;
}

export interface Placement {
  from: number;
  until: number;
  status: 'active' | 'expired' | 'refunded';
  /** Daily-job run that expired it, or the moment its refund freed the slot. */
  closedAt?: number;
}

export interface PurchaseOutcome {
  purchase: Purchase;
  /** Slots were full when it was paid, so it went into the queue first. */
  queued: boolean;
  promotedAt?: number;
  /** Refunded while still waiting: it left the queue unpromoted. */
  cancelledAt?: number;
  placement?: Placement;
}

export interface RunTally {
  expired: number;
  promoted: number;
}

export interface CouncilHistory {
  outcomes: PurchaseOutcome[];
  /** What each daily-job run did in this council, by run instant. */
  runs: Map<number, RunTally>;
  active: number;
  waiting: number;
}

export interface FeaturedRules {
  slots: number;
  featuredMs: number;
  /** Daily-job run instants, ascending. */
  runs: readonly number[];
  now: number;
}

const RUN = 0;
const REFUND = 1;
const PURCHASE = 2;

/** Replays `purchases` (ascending by paidAt) up to `now`. */
export function simulateCouncil(purchases: readonly Purchase[], rules: FeaturedRules): CouncilHistory {
  const outcomes: PurchaseOutcome[] = purchases.map((purchase) => ({ purchase, queued: false }));
  const events: [number, number, number][] = []; // [at, kind, outcome index]; runs first on a tie
  for (const at of rules.runs) if (at <= rules.now) events.push([at, RUN, -1]);
  outcomes.forEach((o, i) => {
    if (o.purchase.paidAt <= rules.now) events.push([o.purchase.paidAt, PURCHASE, i]);
    const refundAt = o.purchase.refundAt;
    if (refundAt !== undefined && refundAt <= rules.now) events.push([refundAt, REFUND, i]);
  });
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);

  const active: PurchaseOutcome[] = [];
  const queue: PurchaseOutcome[] = [];
  const runs = new Map<number, RunTally>();

  const place = (o: PurchaseOutcome, at: number) => {
    o.placement = { from: at, until: at + rules.featuredMs, status: 'active' };
    active.push(o);
  };
  const promote = (at: number): number => {
    let promoted = 0;
    while (active.length < rules.slots && queue.length > 0) {
      const next = queue.shift()!;
      next.promotedAt = at;
      place(next, at);
      promoted++;
    }
    return promoted;
  };

  for (const [at, kind, index] of events) {
    if (kind === RUN) {
      let expired = 0;
      for (let i = active.length - 1; i >= 0; i--) {
        const placement = active[i]!.placement!;
        if (placement.until <= at) {
          placement.status = 'expired';
          placement.closedAt = at;
          active.splice(i, 1);
          expired++;
        }
      }
      runs.set(at, { expired, promoted: promote(at) });
    } else if (kind === PURCHASE) {
      const o = outcomes[index]!;
      if (active.length < rules.slots && queue.length === 0) {
        place(o, at);
      } else {
        o.queued = true;
        queue.push(o);
      }
    } else {
      const o = outcomes[index]!;
      const slot = active.indexOf(o);
      if (slot >= 0) {
        o.placement!.status = 'refunded';
        o.placement!.closedAt = at;
        active.splice(slot, 1);
        promote(at);
      } else {
        const waiting = queue.indexOf(o);
        if (waiting >= 0) {
          queue.splice(waiting, 1);
          o.cancelledAt = at;
        }
      }
    }
  }
  return { outcomes, runs, active: active.length, waiting: queue.length };
}

/**
 * Adjusts the newest purchases until the council ends with exactly `active`
 * placements and `queued` waiting purchases. Removing the newest purchase
 * never changes anything before it, and when the queue is not empty the
 * newest purchase is its tail, so trimming is safe; `later(after)` supplies
 * the time of a purchase added after `after` when more are needed.
 * Mutates and returns `purchases`' final history.
 */
export function settleCouncil(
  purchases: Purchase[],
  target: { active: number; queued: number },
  rules: FeaturedRules,
  later: (after: number) => number,
): CouncilHistory {
  if (target.active > rules.slots || (target.queued > 0 && target.active !== rules.slots)) {
    throw new Error(`a council with a queue has all ${rules.slots} slots taken (asked for ${target.active} active, ${target.queued} waiting)`);
  }
  for (let attempt = 0; attempt < 5000; attempt++) {
    const history = simulateCouncil(purchases, rules);
    const tooMany = history.waiting > target.queued || (history.waiting === 0 && history.active > target.active);
    if (tooMany) {
      purchases.pop();
      continue;
    }
    if (history.active < target.active || history.waiting < target.queued) {
      const last = purchases.length ? purchases[purchases.length - 1]!.paidAt : rules.now - rules.featuredMs;
      purchases.push({ paidAt: later(last) });
      continue;
    }
    return history;
  }
  throw new Error(`could not settle a council at ${target.active} active and ${target.queued} waiting`);
}
