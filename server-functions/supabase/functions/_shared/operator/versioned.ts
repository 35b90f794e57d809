// The checks every decision on a versioned item shares (owner, version,
// still pending) and the Refusal a command throws when a rule says no.
import type { CommandVerdict } from '../../../../../shared/api/operator.ts';

export class Refusal extends Error {
  constructor(readonly verdict: Omit<CommandVerdict, 'status'>) {
    super(verdict.reason);
  }
}

// The operator reads Melbourne time (as the console shows it), to the second.
const melbourne = new Intl.DateTimeFormat('en-AU', {
  timeZone: 'Australia/Melbourne',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});
export const when = (d: Date | string | null) => (d ? melbourne.format(new Date(d)) : 'an unknown time');

export interface VersionedRow {
  id: string;
  business_id: string;
  status: string;
  version: number;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
}

/** The item's owner, version and decider checks every decision shares; most decide a pending item, an appeal a decided one. */
export function checkVersioned(
  kind: string,
  row: VersionedRow | undefined,
  id: string,
  businessId: string,
  baseVersion: number | null,
  expected = 'pending',
): VersionedRow {
  if (!row) throw new Refusal({ kind: 'not_found', reason: `${kind} ${id} does not exist` });
  if (row.business_id !== businessId) {
    throw new Refusal({ kind: 'refused', reason: `${kind} ${id} belongs to another business, not ${businessId}` });
  }
  if (baseVersion !== row.version) {
    // A person by their name; an account without one is "another operator", never an id.
    const who = row.decided_by_name ?? (row.decided_by ? 'another operator' : 'someone else');
    throw new Refusal({
      kind: 'stale',
      reason:
        row.status === 'pending'
          ? `${kind} changed since you saw it (you saw version ${baseVersion}, it is now ${row.version}); look again and decide`
          : `${kind} was already ${row.status} by ${who} at ${when(row.decided_at)} (you saw version ${baseVersion}, it is now ${row.version})`,
      current: { status: row.status, version: row.version },
      decidedBy: { id: row.decided_by, name: row.decided_by_name, at: row.decided_at ? new Date(row.decided_at).toISOString() : null },
    });
  }
  if (row.status !== expected) throw new Refusal({ kind: 'refused', reason: `${kind} ${id} is ${row.status}, not ${expected}` });
  return row;
}
