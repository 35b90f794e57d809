// The demo's trainers and their businesses: one trainer, one business, in
// the councils of the catalog, with a few listings search must leave out
// (suspended, deleted, or missing ages or issues) and one account the
// operator has flagged for review.
import { AGE_SPECIALTIES, BEHAVIOR_ISSUES, FIRST_NAMES, LAST_NAMES, SERVICE_TYPES, businessName, type CouncilPlan } from './catalog.ts';
import { DAY_MS } from './calendar.ts';
import type { Random } from './random.ts';

export interface Trainer {
  id: string;
  email: string;
  displayName: string;
  createdAt: number;
  /** Set on the one account flagged for review: it may not buy featured placements. */
  flagged?: { at: number; reason: string };
}

export interface DemoBusiness {
  id: string;
  owner: Trainer;
  councilId: string;
  name: string;
  suburb: string;
  ages: string[];
  issues: string[];
  services: string[];
  status: 'active' | 'suspended';
  deleted: boolean;
  createdAt: number;
  /** Shows in search (public.business_is_visible): the only ones that buy featured placements. */
  visible: boolean;
  description: string;
  phone: string;
  website: string;
}

/** Listings search must skip, so its visibility rule has something to exclude. */
export const HIDDEN_LISTINGS = { suspended: 6, deleted: 4, noIssues: 3, noAges: 2 } as const;

const AGE_ODDS: Record<string, number> = { puppy: 0.7, adolescent: 0.5, adult: 0.85, senior: 0.35 };

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function someOf(rng: Random, items: readonly string[], min: number, max: number): string[] {
  const chosen = new Set(rng.sample(items, rng.int(min, max)));
  return items.filter((item) => chosen.has(item)); // keep the catalog's order: stable, readable arrays
}

export function buildDirectory(rng: Random, councils: readonly CouncilPlan[], now: number) {
  const trainers: Trainer[] = [];
  const businesses: DemoBusiness[] = [];
  const names = new Set<string>();
  let n = 0;

  for (const council of councils) {
    for (let i = 0; i < council.trainers; i++) {
      n++;
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      // Most trainers joined one to three years ago; some joined this year.
      const createdAt = now - (rng.chance(0.12) ? rng.between(20, 330) : rng.between(400, 1100)) * DAY_MS;
      const trainer: Trainer = {
        id: rng.uuid(),
        email: `${slug(first)}.${slug(last)}.${n}@example.com`,
        displayName: `${first} ${last}`,
        createdAt: Math.round(createdAt),
      };
      trainers.push(trainer);

      const suburb = rng.pick(council.suburbs);
      let name = businessName(rng.pick, first, last, suburb);
      for (let tries = 0; names.has(name); tries++) {
        name = tries < 20 ? businessName(rng.pick, first, last, rng.pick(council.suburbs)) : `${name} ${n}`;
      }
      names.add(name);

      let ages = AGE_SPECIALTIES.filter((age) => rng.chance(AGE_ODDS[age]!));
      if (ages.length === 0) ages = ['adult'];
      const issues = someOf(rng, BEHAVIOR_ISSUES, 2, 6);
      const services = someOf(rng, SERVICE_TYPES, 1, 3);
      businesses.push({
        id: rng.uuid(),
        owner: trainer,
        councilId: council.id,
        name,
        suburb,
        ages,
        issues,
        services,
        status: 'active',
        deleted: false,
        createdAt: trainer.createdAt + rng.int(5, 90) * 60_000,
        visible: true,
        description:
          `Reward-based training for ${ages.join(', ')} dogs in ${suburb} and nearby. ` + `Help with ${issues.map((s) => s.replace(/_/g, ' ')).join(', ')}.`,
        phone: `04${rng.int(10, 99)} ${rng.int(100, 999)} ${rng.int(100, 999)}`,
        website: `https://${slug(name)}.example.com`,
      });
    }
  }

  // Hide a few listings, but only where the council keeps plenty of visible
  // trainers for its featured placements and queue.
  const spare = new Set(councils.filter((c) => c.trainers - c.active - c.queued >= 8).map((c) => c.id));
  const candidates = rng.shuffle(businesses.filter((b) => spare.has(b.councilId)));
  const hide = (count: number, change: (b: DemoBusiness) => void) => {
    for (let i = 0; i < count; i++) {
      const b = candidates.pop()!;
      change(b);
      b.visible = false;
    }
  };
  hide(HIDDEN_LISTINGS.suspended, (b) => (b.status = 'suspended'));
  hide(HIDDEN_LISTINGS.deleted, (b) => (b.deleted = true));
  hide(HIDDEN_LISTINGS.noIssues, (b) => (b.issues = []));
  hide(HIDDEN_LISTINGS.noAges, (b) => (b.ages = []));

  // One account under review (blocks featured purchases): it buys nothing.
  const flagged = candidates.pop()!;
  flagged.owner.flagged = {
    at: now - 9 * DAY_MS - 3_600_000 * 5,
    reason: 'Card holder disputed a featured charge as not authorised; hold featured purchases until the trainer confirms',
  };

  const buyers = new Map<string, DemoBusiness[]>();
  for (const b of businesses) {
    if (!b.visible || b.owner.flagged) continue;
    const list = buyers.get(b.councilId) ?? [];
    list.push(b);
    buyers.set(b.councilId, list);
  }
  return { trainers, businesses, buyers };
}

export type Directory = ReturnType<typeof buildDirectory>;
