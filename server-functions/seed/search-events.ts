// Public searches for both data sets: a few thousand a day, busiest on
// Mondays and quietest on Saturdays, in the evening more than at night.
// Filters only, under the keys the search function records (ageSpecialties,
// behaviorIssues, serviceType, hasText); the result count is the first page
// the search would really have returned from the seeded businesses (visible
// ones, in that council, having every filter).
import { AGE_SEARCH_WEIGHTS, AGE_SPECIALTIES, BEHAVIOR_ISSUES, ISSUE_SEARCH_WEIGHTS, SERVICE_SEARCH_WEIGHTS, SERVICE_TYPES } from './catalog.ts';
import { DAY_MS, HOUR_MS, addDays, isoTimestamp, localDate, localTime, weekday } from './calendar.ts';
import { copyText } from './copy.ts';
import type { Random } from './random.ts';

export const SEARCH_EVENT_COLUMNS = ['occurred_at', 'council_id', 'filters', 'result_count', 'latency_ms'] as const;

/** Sunday..Saturday, relative: Monday peaks, Saturday dips (spec: "↓ weekday"). */
const WEEKDAY_FACTORS = [0.95, 1.18, 1.06, 1.0, 0.98, 0.93, 0.85];
/** Local hour of day 0..23. */
const HOUR_WEIGHTS = [2, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 8, 8, 7, 7, 7, 8, 9, 10, 11, 11, 9, 6, 4].map((w, h) => [h, w] as const);
/** Default page size of the search function; result_count is one page's rows. */
const SEARCH_PAGE = 20;
/** Share of searches that name no council (they search every council). */
const NO_COUNCIL = 0.08;

/** What search matches on, as bit masks over the catalog's lists. */
export interface Facets {
  ages: number;
  issues: number;
  services: number;
}

function maskOf(values: readonly string[], list: readonly string[]): number {
  let mask = 0;
  for (const v of values) {
    const i = list.indexOf(v);
    if (i >= 0) mask |= 1 << i;
  }
  return mask;
}

export function facetsOf(ages: readonly string[], issues: readonly string[], services: readonly string[]): Facets {
  return { ages: maskOf(ages, AGE_SPECIALTIES), issues: maskOf(issues, BEHAVIOR_ISSUES), services: maskOf(services, SERVICE_TYPES) };
}

interface Filter {
  json: string; // already escaped for COPY
  facets: Facets;
  /** Share of matches a typed text (q) leaves; 1 when the search had no text. */
  textShare: number;
}

/**
 * A pool of filter combinations drawn with the spec's popularity; events pick
 * from it uniformly. Keys are what the search function records
 * (ageSpecialties, behaviorIssues, serviceType, hasText): never the text itself.
 */
function filterPool(rng: Random, size: number): Filter[] {
  const pool: Filter[] = [];
  for (let i = 0; i < size; i++) {
    const ages = rng.chance(0.75) ? [rng.weighted(AGE_SEARCH_WEIGHTS)] : [];
    const issues = new Set<string>();
    if (rng.chance(0.65)) {
      issues.add(rng.weighted(ISSUE_SEARCH_WEIGHTS));
      if (rng.chance(0.3)) issues.add(rng.weighted(ISSUE_SEARCH_WEIGHTS));
    }
    const service = rng.chance(0.12) ? rng.weighted(SERVICE_SEARCH_WEIGHTS) : null;
    const hasText = rng.chance(0.1);
    const filters = {
      ...(ages.length ? { ageSpecialties: ages } : {}),
      ...(issues.size ? { behaviorIssues: [...issues] } : {}),
      ...(service ? { serviceType: service } : {}),
      ...(hasText ? { hasText: true } : {}),
    };
    pool.push({
      json: copyText(JSON.stringify(filters)),
      facets: facetsOf(ages, [...issues], service ? [service] : []),
      textShare: hasText ? rng.between(0, 0.4) : 1,
    });
  }
  return pool;
}

export interface SearchEventOptions {
  rng: Random;
  /** Events fall in (from, to]. */
  from: number;
  to: number;
  /** Exactly this many events, spread over the days by weekday. */
  total: number;
  timeZone: string;
  /** Councils searched, with their share of searches. */
  councils: readonly (readonly [string, number])[];
  /** Facets of every business that shows in search, by council. */
  visible: ReadonlyMap<string, readonly Facets[]>;
}

/** Events per local day (each day's share of the window times its weekday factor), summing to `total`. */
function dayPlan(opts: SearchEventOptions): { start: number; end: number; count: number; hours: number[] }[] {
  const days: { start: number; end: number; weight: number; count: number; hours: number[] }[] = [];
  let date = localDate(opts.from, opts.timeZone);
  for (;;) {
    const dayStart = localTime(date, 0, opts.timeZone);
    if (dayStart >= opts.to) break;
    const next = addDays(date, 1);
    const dayEnd = localTime(next, 0, opts.timeZone);
    const start = Math.max(dayStart, opts.from);
    const end = Math.min(dayEnd, opts.to);
    if (end > start) {
      // Start of each local hour, worked out once per day (time-zone lookups are slow).
      const hours = Array.from({ length: 24 }, (_, h) => localTime(date, h, opts.timeZone));
      days.push({ start, end, weight: ((end - start) / DAY_MS) * WEEKDAY_FACTORS[weekday(date)]!, count: 0, hours });
    }
    date = next;
  }
  const totalWeight = days.reduce((s, d) => s + d.weight, 0);
  let assigned = 0;
  for (const d of days) {
    d.count = Math.floor((opts.total * d.weight) / totalWeight);
    assigned += d.count;
  }
  // Hand out what rounding left over, heaviest days first.
  const byWeight = days.slice().sort((a, b) => b.weight - a.weight);
  for (let i = 0; assigned < opts.total; i = (i + 1) % byWeight.length, assigned++) byWeight[i]!.count++;
  return days;
}

/** COPY lines for public.search_events (SEARCH_EVENT_COLUMNS), in time order. */
export function* searchEventLines(opts: SearchEventOptions): Generator<string> {
  const rng = opts.rng;
  const pool = filterPool(rng.fork('filters'), 400);
  const everyone = [...opts.visible.values()].flat();
  const counts = new Map<string, Int32Array>(); // council ('' = all) → result count per pool filter, -1 = not yet counted
  const resultCount = (council: string, index: number): number => {
    let memo = counts.get(council);
    if (!memo) counts.set(council, (memo = new Int32Array(pool.length).fill(-1)));
    if (memo[index]! < 0) {
      const f = pool[index]!.facets;
      let n = 0;
      for (const b of council ? (opts.visible.get(council) ?? []) : everyone) {
        if ((b.ages & f.ages) === f.ages && (b.issues & f.issues) === f.issues && (b.services & f.services) === f.services) n++;
      }
      // What the first page showed: the search function returns at most SEARCH_PAGE rows.
      memo[index] = Math.min(SEARCH_PAGE, Math.floor(n * pool[index]!.textShare));
    }
    return memo[index]!;
  };

  for (const day of dayPlan(opts)) {
    const times = new Float64Array(day.count);
    for (let i = 0; i < day.count; i++) {
      let at = NaN;
      for (let tries = 0; tries < 20 && !(at >= day.start && at < day.end); tries++) {
        const hour = rng.weighted(HOUR_WEIGHTS);
        at = day.hours[hour]! + rng.next() * HOUR_MS;
      }
      if (!(at >= day.start && at < day.end)) at = day.start + rng.next() * (day.end - day.start);
      // (from, to]: never exactly at `from`.
      times[i] = Math.max(Math.floor(at), opts.from + 1);
    }
    times.sort();
    for (let i = 0; i < times.length; i++) {
      const council = rng.chance(NO_COUNCIL) ? '' : rng.weighted(opts.councils);
      const index = Math.floor(rng.next() * pool.length);
      const latency = rng.chance(0.02) ? rng.int(200, 900) : rng.int(12, 90);
      yield `${isoTimestamp(times[i]!)}\t${council || '\\N'}\t${pool[index]!.json}\t${resultCount(council, index)}\t${latency}\n`;
    }
  }
}
