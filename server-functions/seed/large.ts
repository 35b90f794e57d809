// The `large` data set, for benchmarks: 50,000 trainers' businesses,
// 1,000,000 payments (with their placements), 200,000 reviews and 5,000,000
// searches, times `scale`. Loaded with COPY in one transaction, then analysed
// so the planner sees real statistics. Goal: under 3 minutes at scale 1 on
// 2 cores, so plain indexes are built after the load and foreign keys are
// checked once per constraint instead of once per row (see target.ts).
//
// What is realistic here and what is not: today's state follows the rules
// (each council with a business has all its slots taken by recent purchases,
// and a FIFO queue behind them paid later), and every paid charge has its
// placement. Three years of history at this volume cannot fit 5 slots per
// council, so past placements overlap freely; they are all expired or
// refunded, which is what the rules look at.
import type { Sql } from 'postgres';
import { AGE_SPECIALTIES, BEHAVIOR_ISSUES, DEMO_COUNCILS, EXTRA_COUNCILS, FIRST_NAMES, LAST_NAMES, SERVICE_TYPES } from './catalog.ts';
import { DAY_MS, HOUR_MS, isoTimestamp } from './calendar.ts';
import { copyLines, copyRows, copyText, pgTextArray } from './copy.ts';
import type { SeedResult } from './demo.ts';
import { createRandom, type Random, type SeedValue } from './random.ts';
import { SEARCH_EVENT_COLUMNS, facetsOf, searchEventLines, type Facets } from './search-events.ts';
import { SeedError, claimEmptyDirectory, onlyForeignKeyTriggers, readSettings, verifyForeignKeys, withIndexesBuiltAfter } from './target.ts';

export const LARGE_SEED = 'dtd-large';
/** Rows at scale 1. */
export const LARGE_FIGURES = { businesses: 50_000, payments: 1_000_000, reviews: 200_000, searchEvents: 5_000_000 } as const;
const HISTORY_YEARS = 3;
/** Every table the large set writes rows into, in load order. */
/** Triggers that only keep public.unplaced_payments: off during the load, redone by renote_unplaced_payments after. */
const UNPLACED_TRIGGERS = ['payment_audit_note_unplaced', 'featured_placements_clear_unplaced', 'featured_queue_clear_unplaced'];

const LOADED = [
  'auth.users',
  'public.profiles',
  'public.businesses',
  'public.payment_audit',
  'public.featured_placements',
  'public.featured_queue',
  'public.reviews',
  'public.search_events',
] as const;
const FAILED_SHARE = 0.01;
const REFUNDED_SHARE = 0.02;
const PENDING_REVIEW_SHARE = 0.005;

export interface LargeOptions {
  /** Multiplies every row count (0.002 gives 100 businesses, 2,000 payments, 10,000 searches). */
  scale?: number;
  seed?: SeedValue;
  now?: Date;
  /** Progress lines (one per table) for the CLI. */
  log?: (line: string) => void;
}

/** Counts for a scale: rounded, at least 1 business so every other table has an owner to point at. */
export function largeCounts(scale: number) {
  if (!Number.isFinite(scale) || scale <= 0 || scale > 10) throw new SeedError(`scale must be a number above 0 and at most 10 (got ${scale})`);
  return {
    businesses: Math.max(1, Math.round(LARGE_FIGURES.businesses * scale)),
    payments: Math.round(LARGE_FIGURES.payments * scale),
    reviews: Math.round(LARGE_FIGURES.reviews * scale),
    searchEvents: Math.round(LARGE_FIGURES.searchEvents * scale),
  };
}

/**
 * Ids in UUIDv7 layout from (time, kind, row number): unique without being
 * stored, and written in time order they append to the primary-key index
 * instead of landing all over it.
 */
function largeId(kind: string, ms: number, index: number): string {
  const t = Math.floor(ms).toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${kind}00-8000-${index.toString(16).padStart(12, '0')}`;
}

/** A Stripe-looking id that sorts by row number (same index-locality reason). */
function stripeId(prefix: string, index: number, rng: Random): string {
  return `${prefix}_${index.toString(36).padStart(6, '0')}${rng.token(18)}`;
}

const iso = isoTimestamp;

export async function seedLarge(sql: Sql, opts: LargeOptions = {}): Promise<SeedResult> {
  const counts0 = largeCounts(opts.scale ?? 1);
  const log = opts.log ?? (() => undefined);
  return sql.begin(async (tx) => {
    const started = performance.now();
    await claimEmptyDirectory(tx, 'large');
    const settings = await readSettings(tx);
    const now = (opts.now ?? new Date()).getTime();
    const rng = createRandom(opts.seed ?? LARGE_SEED);
    const counts: Record<string, number> = {};
    const step = async (table: string, load: () => Promise<number>) => {
      const t = performance.now();
      const cpu = process.cpuUsage();
      counts[table] = await load();
      const used = process.cpuUsage(cpu);
      log(`${table}: ${counts[table]} rows in ${((performance.now() - t) / 1000).toFixed(1)} s (node cpu ${((used.user + used.system) / 1e6).toFixed(1)} s)`);
    };

    // Foreign-key triggers cost more than the rest of COPY together (one lookup
    // per row, 5 million of them for searches). When those are the only
    // triggers on the tables, switch triggers off for this transaction and
    // check every foreign key afterwards with one set-based query each.
    const checkKeysAfter = await onlyForeignKeyTriggers(tx, LOADED, UNPLACED_TRIGGERS);
    if (checkKeysAfter) await tx`set local session_replication_role = replica`;

    const councils = [
      ...DEMO_COUNCILS.map((c) => ({ id: c.id, name: c.name, suburbs: c.suburbs, weight: c.trainers })),
      ...EXTRA_COUNCILS.map((c) => ({ ...c, weight: 12 })),
    ];
    await tx`insert into public.councils ${tx(
      councils.map((c) => ({ id: c.id, name: c.name })),
      'id',
      'name',
    )} on conflict (id) do nothing`;
    counts['public.councils'] = councils.length;
    let indexesFrom = 0;
    await withIndexesBuiltAfter(tx, LOADED, async () => {
      // -- Trainers and businesses (kept as compact arrays for the tables that point at them)
      const n = counts0.businesses;
      const dir = rng.fork('directory');
      const ownerIds: string[] = [];
      const businessIds: string[] = [];
      const councilOf = new Int32Array(n);
      const createdAt = new Float64Array(n);
      const visible = new Map<string, Facets[]>();
      const businessLines: string[] = [];
      const councilPicks = councils.map((c, i) => [i, c.weight] as const);
      for (let i = 0; i < n; i++) {
        ownerIds.push(dir.uuid());
        businessIds.push(dir.uuid());
        const c = dir.weighted(councilPicks);
        councilOf[i] = c;
        createdAt[i] = now - dir.between(60, HISTORY_YEARS * 365 + 400) * DAY_MS;
        const council = councils[c]!;
        const suburb = dir.pick(council.suburbs);
        let ages: string[] = AGE_SPECIALTIES.filter(() => dir.chance(0.6));
        let issues: string[] = BEHAVIOR_ISSUES.filter(() => dir.chance(0.35));
        const services = SERVICE_TYPES.filter(() => dir.chance(0.3));
        const hidden = dir.next();
        if (hidden < 0.01) ages = [];
        else if (hidden < 0.02) issues = [];
        const status = hidden >= 0.02 && hidden < 0.03 ? 'suspended' : 'active';
        const deleted = hidden >= 0.03 && hidden < 0.04;
        if (ages.length && issues.length && status === 'active' && !deleted) {
          const list = visible.get(council.id) ?? [];
          list.push(facetsOf(ages, issues, services));
          visible.set(council.id, list);
        }
        const name = `${dir.pick(FIRST_NAMES)} ${dir.pick(LAST_NAMES)} Dog Training ${i + 1}`;
        const created = iso(createdAt[i]!);
        businessLines.push(
          [
            businessIds[i]!,
            ownerIds[i]!,
            council.id,
            copyText(name),
            copyText(`Reward-based training in ${suburb}.`),
            status,
            deleted ? 't' : 'f',
            pgTextArray(ages),
            pgTextArray(issues),
            pgTextArray(services),
            copyText(suburb),
            `04${dir.int(10, 99)} ${dir.int(100, 999)} ${dir.int(100, 999)}`,
            `hello${i + 1}@example.com`,
            `https://trainer${i + 1}.example.com`,
            created,
            created,
          ].join('\t') + '\n',
        );
      }
      await step('auth.users', () =>
        copyRows(
          tx,
          'auth.users',
          ['id', 'email', 'raw_app_meta_data', 'created_at', 'updated_at'],
          ownerIds.map((id, i) => [id, `trainer${i + 1}@example.com`, { role: 'trainer' }, new Date(createdAt[i]!), new Date(createdAt[i]!)]),
        ),
      );
      await step('public.profiles', () =>
        copyRows(
          tx,
          'public.profiles',
          ['id', 'role', 'display_name', 'email', 'created_at', 'updated_at'],
          ownerIds.map((id, i) => [id, 'trainer', `Trainer ${i + 1}`, `trainer${i + 1}@example.com`, new Date(createdAt[i]!), new Date(createdAt[i]!)]),
        ),
      );
      await step('public.businesses', () =>
        copyLines(
          tx,
          'public.businesses',
          [
            'id',
            'owner_id',
            'council_id',
            'name',
            'description',
            'status',
            'deleted',
            'age_specialties',
            'behavior_issues',
            'service_types',
            'suburb',
            'phone',
            'email',
            'website',
            'created_at',
            'updated_at',
          ],
          businessLines,
        ),
      );
      businessLines.length = 0;

      // -- Payments: history (all closed), then today's slots and queues ---------
      const money = rng.fork('money');
      const slots = settings.slotsPerCouncil;
      const featuredMs = settings.featuredDays * DAY_MS;
      const byCouncil = new Map<number, number[]>();
      for (let i = 0; i < n; i++) {
        const list = byCouncil.get(councilOf[i]!) ?? [];
        list.push(i);
        byCouncil.set(councilOf[i]!, list);
      }
      // Today: every council with a business is full, most with a queue; at most half the payments.
      const current: { council: number; queued: number }[] = [];
      let currentTotal = 0;
      for (const [council] of [...byCouncil].sort((a, b) => a[0] - b[0])) {
        const queued = money.chance(0.6) ? money.int(1, 20) : 0;
        if (currentTotal + slots + queued > counts0.payments / 2) break;
        current.push({ council, queued });
        currentTotal += slots + queued;
      }
      const P = counts0.payments;
      const H = P - currentTotal;
      const paidAt = new Float64Array(P);
      const buyer = new Int32Array(P);
      const status = new Uint8Array(P); // 0 succeeded, 1 refunded, 2 failed
      const queuedAt = new Uint8Array(P); // 1 = waiting in the queue today
      const historyStart = now - HISTORY_YEARS * 365 * DAY_MS;
      const historyEnd = now - featuredMs - DAY_MS;
      for (let i = 0; i < H; i++) {
        // Evenly spaced with jitter: ascending without a sort.
        paidAt[i] = Math.floor(historyStart + ((i + money.next()) * (historyEnd - historyStart)) / H);
        buyer[i] = money.int(0, n - 1);
        const r = money.next();
        status[i] = r < FAILED_SHARE ? 2 : r < FAILED_SHARE + REFUNDED_SHARE ? 1 : 0;
      }
      let k = H;
      for (const { council, queued } of current) {
        const owners = byCouncil.get(council)!;
        // Featured now: paid 8–28 days ago; waiting: paid after all of them.
        const featured = Array.from({ length: slots }, () => now - money.between(8, 28) * DAY_MS).sort((a, b) => a - b);
        const newest = featured[featured.length - 1]!;
        const waiting = Array.from({ length: queued }, () => newest + money.next() * (now - 60_000 - newest)).sort((a, b) => a - b);
        for (const [j, at] of [...featured, ...waiting].entries()) {
          paidAt[k] = Math.floor(at);
          buyer[k] = money.pick(owners);
          queuedAt[k] = j >= slots ? 1 : 0;
          k++;
        }
      }

      const money2 = rng.fork('stripe');
      const refundedAt = (i: number) => paidAt[i]! + (1 + (i % 70)) * HOUR_MS;
      await step('public.payment_audit', () =>
        copyLines(
          tx,
          'public.payment_audit',
          [
            'id',
            'business_id',
            'council_id',
            'stripe_payment_intent_id',
            'stripe_charge_id',
            'stripe_checkout_session_id',
            'amount_cents',
            'currency',
            'status',
            'paid_at',
            'refunded_at',
            'stripe_refund_id',
            'last_stripe_event_at',
            'created_at',
            'updated_at',
          ],
          (function* () {
            for (let i = 0; i < P; i++) {
              const paid = iso(paidAt[i]!);
              const s = status[i]!;
              const refunded = s === 1 ? iso(refundedAt(i)) : '\\N';
              const last = s === 1 ? refunded : paid;
              yield `${largeId('a', paidAt[i]!, i)}\t${businessIds[buyer[i]!]}\t${councils[councilOf[buyer[i]!]!]!.id}\t${stripeId('pi', i, money2)}\t` +
                `${stripeId('ch', i, money2)}\t${stripeId('cs', i, money2)}\t${settings.priceCents}\t${settings.currency}\t` +
                `${s === 0 ? 'succeeded' : s === 1 ? 'refunded' : 'failed'}\t${s === 2 ? '\\N' : paid}\t${refunded}\t` +
                `${s === 1 ? stripeId('re', i, money2) : '\\N'}\t${last}\t${iso(paidAt[i]! - 60_000)}\t${last}\n`;
            }
          })(),
        ),
      );
      await step('public.featured_placements', () =>
        copyLines(
          tx,
          'public.featured_placements',
          [
            'id',
            'business_id',
            'council_id',
            'payment_id',
            'status',
            'featured_from',
            'featured_until',
            'refund_status',
            'refunded_at',
            'created_at',
            'updated_at',
          ],
          (function* () {
            for (let i = 0; i < P; i++) {
              if (status[i] === 2 || queuedAt[i]) continue;
              const from = paidAt[i]!;
              const state = status[i] === 1 ? 'refunded' : i < H ? 'expired' : 'active';
              const closed = state === 'refunded' ? refundedAt(i) : state === 'expired' ? from + featuredMs : from;
              yield `${largeId('b', from, i)}\t${businessIds[buyer[i]!]}\t${councils[councilOf[buyer[i]!]!]!.id}\t${largeId('a', from, i)}\t` +
                `${state}\t${iso(from)}\t${iso(from + featuredMs)}\t${state === 'refunded' ? 'refunded' : '\\N'}\t` +
                `${state === 'refunded' ? iso(closed) : '\\N'}\t${iso(from)}\t${iso(closed)}\n`;
            }
          })(),
        ),
      );
      await step('public.featured_queue', () =>
        copyLines(
          tx,
          'public.featured_queue',
          ['id', 'business_id', 'council_id', 'payment_id', 'paid_at', 'created_at'],
          (function* () {
            for (let i = H; i < P; i++) {
              if (!queuedAt[i]) continue;
              yield `${largeId('c', paidAt[i]!, i)}\t${businessIds[buyer[i]!]}\t${councils[councilOf[buyer[i]!]!]!.id}\t` +
                `${largeId('a', paidAt[i]!, i)}\t${iso(paidAt[i]!)}\t${iso(paidAt[i]! + 2000)}\n`;
            }
          })(),
        ),
      );

      // -- Reviews: a pool of texts, most approved, a few rejected, the newest pending
      const words = rng.fork('reviews');
      const R = counts0.reviews;
      const texts = Array.from({ length: 200 }, (_, i) =>
        copyText(
          `${words.pick(['Great', 'Patient', 'Helpful', 'Kind', 'Clear'])} trainer, our dog ${words.pick(BEHAVIOR_ISSUES).replace(/_/g, ' ')} is much better. Review ${i}.`,
        ),
      );
      await step('public.reviews', () =>
        copyLines(
          tx,
          'public.reviews',
          [
            'id',
            'business_id',
            'rating',
            'body',
            'status',
            'ai_confidence',
            'ai_flags',
            'rejection_reason',
            'moderated_at',
            'version',
            'created_at',
            'updated_at',
          ],
          (function* () {
            const pendingFrom = Math.floor(R * (1 - PENDING_REVIEW_SHARE));
            for (let i = 0; i < R; i++) {
              const created = historyStart + ((i + words.next()) * (now - HOUR_MS - historyStart)) / R;
              const pending = i >= pendingFrom;
              const rejected = !pending && words.chance(0.03);
              const decided = pending ? '\\N' : iso(created + words.between(1, 7) * DAY_MS);
              yield `${largeId('d', created, i)}\t${businessIds[words.int(0, n - 1)]}\t${words.int(1, 5)}\t${words.pick(texts)}\t` +
                `${pending ? 'pending' : rejected ? 'rejected' : 'approved'}\t${words.between(rejected ? 0.05 : 0.5, rejected ? 0.5 : 0.999).toFixed(3)}\t` +
                `${rejected ? '{spam}' : '{}'}\t${rejected ? 'spam' : '\\N'}\t${decided}\t${pending ? 1 : 2}\t${iso(created)}\t` +
                `${pending ? iso(created) : decided}\n`;
            }
          })(),
        ),
      );

      await step('public.search_events', () =>
        copyLines(
          tx,
          'public.search_events',
          SEARCH_EVENT_COLUMNS,
          searchEventLines({
            rng: rng.fork('searches'),
            from: now - 365 * DAY_MS,
            to: now,
            total: counts0.searchEvents,
            timeZone: settings.timeZone,
            councils: councils.map((c) => [c.id, c.weight] as const),
            visible,
          }),
        ),
      );
      indexesFrom = performance.now();
    });
    log(`indexes: built in ${((performance.now() - indexesFrom) / 1000).toFixed(1)} s`);

    let t = performance.now();
    if (checkKeysAfter) {
      await tx`set local session_replication_role = origin`;
      const keys = await verifyForeignKeys(tx, LOADED);
      log(`foreign keys: ${keys} checked in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      // The unplaced-payment triggers (migration 3500) were off too: their work, once, set-based.
      t = performance.now();
      const [noted] = await tx<{ n: number }[]>`select public.renote_unplaced_payments() as n`;
      log(`unplaced payments: ${noted!.n} noted in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    t = performance.now();
    await tx.unsafe(`analyze ${LOADED.join(', ')}`);
    log(`analyze: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    // The metrics rollup the daily job keeps (25 months of days), so the metrics snapshot reads rolled days from the start.
    t = performance.now();
    const [rolled] = await tx<{ n: number }[]>`select public.rollup_metrics(${new Date(now)}) as n`;
    counts['public.metrics_daily (days)'] = rolled!.n;
    log(`metrics rollup: ${rolled!.n} days in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    return { dataSet: 'large' as const, counts, seconds: (performance.now() - started) / 1000 };
  });
}
