// The activity log: the audit entries the pull brought, newest first, and
// the operator's text filter over what each entry says (its action, who, its
// subject and details), without regard to case.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityItem } from '../../../shared/api/operator.ts';
import { createWorld, id, type World } from '../testing/world.ts';

let w: World;
beforeEach(() => {
  w = createWorld();
});
afterEach(() => w.close());

let activityId = 0;
const activity = (over: Partial<ActivityItem> = {}): ActivityItem => ({
  id: ++activityId,
  occurredAt: '2026-11-20T10:00:00.000Z',
  actorId: null,
  actorKind: 'operator',
  action: 'review.approved',
  subjectType: 'review',
  subjectId: id(),
  amountCents: null,
  details: {},
  ...over,
});

const refunded = activity({ action: 'refund.approved', subjectType: 'refund', amountCents: 2200, details: { business: 'Sit Stay' } });
const approved = activity({ action: 'review.approved', details: { business: 'Paws & Co' } });
const ran = activity({ action: 'job.completed', actorKind: 'system', subjectType: null, subjectId: null, details: { promoted: 3 } });

describe('the activity log', () => {
  it('lists every entry newest first without a filter (or with a blank one)', async () => {
    await w.load({ activity: [approved, ran, refunded] });
    const newestFirst = [ran.id, approved.id, refunded.id];
    expect((await w.api.activity()).map((a) => a.id)).toEqual(newestFirst);
    expect((await w.api.activity({ search: '   ' })).map((a) => a.id)).toEqual(newestFirst);
  });

  it.each([
    ['the action', 'REFUND', [refunded]],
    ['who acted', 'system', [ran]],
    ['the subject', approved.subjectId!, [approved]],
    ['the details', 'paws & co', [approved]],
    ['text no entry has', 'stripe', []],
  ])('filters on %s', async (_what, search, expected) => {
    await w.load({ activity: [approved, ran, refunded] });
    expect((await w.api.activity({ search })).map((a) => a.id)).toEqual(expected.map((a) => a.id));
  });
});
