// Trainer complaints (spec 2.5) and the dossier's actions on them: closing a
// complaint, replying to a reviewer, approving a rejected review on appeal.
// Each is ONE call costing at most two HTTP requests (a push and a pull) that
// answers the server's verdict: applied, rejected in the server's words (kept
// in the verdict inbox), or queued when offline. The investigation itself is
// online only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeComplaint } from '../../../shared/commands/complaints.ts';
import { replyToReviewer } from '../../../shared/commands/emails.ts';
import { reinstateReview } from '../../../shared/commands/reviews.ts';
import { complaint, createWorld, failureOf, review, type World } from '../testing/world.ts';

let w: World;
beforeEach(() => {
  w = createWorld();
});
afterEach(() => w.close());

const queueComplaint = complaint({ kind: 'queue_position', message: 'I paid first! Why am I #5 in queue?', version: 2 });
const rejected = review({ status: 'rejected', rejectionReason: 'spam', version: 4 });
const RESOLUTION = 'Queue in order; position and ETA emailed';
const dossierActions = [
  ['closeComplaint', closeComplaint.type, () => w.api.closeComplaint(queueComplaint.id, RESOLUTION), `Close a complaint (${RESOLUTION})`],
  [
    'replyToReviewer',
    replyToReviewer.type,
    () => w.api.replyToReviewer(rejected.id, rejected.businessId, 'sam@x.example', undefined),
    'Reply to a reviewer about Paws & Co',
  ],
  [
    'reinstateReview',
    reinstateReview.type,
    () => w.api.reinstateReview(rejected.id, rejected.businessId, rejected.version, 'ai_false_positive', 'Not spam'),
    'Approve a rejected review on appeal (Paws & Co)',
  ],
] as const;
const load = () => w.load({ complaints: [queueComplaint], reviews: [rejected] });

describe('the complaints list', () => {
  it('lists pending complaints oldest first with the minutes the spec gives each kind; all of them on asking', async () => {
    const notFeatured = complaint({ kind: 'not_featured' });
    const closed = complaint({ kind: 'other', status: 'closed', resolution: 'Explained' });
    await w.load({ complaints: [queueComplaint, notFeatured, closed] });
    expect((await w.api.complaints()).map((c) => [c.id, c.minutes, c.localDecision])).toEqual([
      [queueComplaint.id, 15, null],
      [notFeatured.id, 25, null],
    ]);
    expect(await w.api.complaints({ status: 'all' })).toHaveLength(3);
  });
});

describe('a dossier action on a complaint', () => {
  it.each(dossierActions)('%s: applied in one call of one push and one pull', async (_name, type, act) => {
    await load();
    const outcome = await act();
    expect(outcome).toEqual({ commandId: outcome.commandId, status: 'applied' });
    expect(w.server.requests.length).toBeLessThanOrEqual(2);
    expect(w.server.requests).toEqual(['push', 'pull']);
    expect(w.server.received.map((c) => [c.id, c.type])).toEqual([[outcome.commandId, type]]);
  });

  it.each(dossierActions)('%s: refused, answers the server reason and lands in the verdict inbox', async (_name, _type, act, label) => {
    await load();
    const reason = 'This was already done by Robin Second';
    w.server.judge = () => ({ status: 'rejected', kind: 'stale', reason });
    const outcome = await act();
    expect(outcome).toEqual({ commandId: outcome.commandId, status: 'rejected', reason });
    expect(w.server.requests.length).toBeLessThanOrEqual(2);
    expect(await w.api.verdicts()).toEqual([expect.objectContaining({ commandId: outcome.commandId, label, kind: 'stale', reason })]);
  });

  it.each(dossierActions)('%s: offline, is queued in the outbox under its words', async (_name, _type, act, label) => {
    await load();
    w.server.online = false;
    const outcome = await act();
    expect(outcome).toEqual({ commandId: outcome.commandId, status: 'queued' });
    expect(await w.api.outbox()).toEqual([expect.objectContaining({ commandId: outcome.commandId, state: 'pending', label })]);
  });

  it('closes a complaint at the version the operator saw; once applied it leaves the pending list', async () => {
    await load();
    const outcome = await w.api.closeComplaint(queueComplaint.id, RESOLUTION);
    expect(w.server.received).toEqual([
      expect.objectContaining({
        baseVersion: 2,
        payload: { complaintId: queueComplaint.id, businessId: queueComplaint.businessId, resolution: RESOLUTION },
      }),
    ]);
    expect(outcome.status).toBe('applied');
    expect(await w.api.complaints()).toEqual([]);
    expect(await w.api.complaints({ status: 'all' })).toEqual([expect.objectContaining({ id: queueComplaint.id, status: 'closed', resolution: RESOLUTION })]);
  });

  it('offline, marks the complaint closed here until it is sent', async () => {
    await load();
    w.server.online = false;
    const { commandId } = await w.api.closeComplaint(queueComplaint.id, RESOLUTION);
    expect((await w.api.complaints())[0]!.localDecision).toMatchObject({ commandId, words: 'closed' });
  });

  it('approves a rejected review on appeal at the version the dossier showed, with its cause', async () => {
    await load();
    await w.api.reinstateReview(rejected.id, rejected.businessId, 4, 'operator_error', undefined);
    expect(w.server.received).toEqual([
      expect.objectContaining({ baseVersion: 4, payload: { reviewId: rejected.id, businessId: rejected.businessId, cause: 'operator_error' } }),
    ]);
  });

  it('says a complaint not in the cache is not found, and sends nothing', async () => {
    await load();
    const missing = complaint();
    expect(await failureOf(() => w.api.closeComplaint(missing.id, RESOLUTION))).toEqual({
      kind: 'not_found',
      message: `complaint ${missing.id} is not in the local cache; sync, then try again`,
    });
    expect(w.server.requests).toEqual([]);
  });
});

describe('the investigation', () => {
  it('offline, says it needs a connection because it reads the live records', async () => {
    w.server.online = false;
    expect(await failureOf(() => w.api.investigate('Paws & Co'))).toEqual({
      kind: 'offline',
      message: 'Investigating needs a connection to the server (it reads the live records and asks Stripe), and you are offline.',
    });
  });
});
