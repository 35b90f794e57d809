// Complaints and investigations (spec 2.5, playbooks 2 and 4) against the real
// database and the Stripe double: a trainer files a complaint, the operator's
// pull brings it as a pending task, the investigation finds the business from
// what the trainer wrote and reads its dossier (Stripe asked now), the
// playbook's actions run as commands, and closing is exactly once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvestigateAnswer, QueueCheckAnswer } from '../../../../shared/api/investigation.ts';
import type { CommandResult, PullResponse } from '../../../../shared/api/operator.ts';
import { startStripeDouble, type StripeDouble } from '../../../local/doubles/stripe.ts';
import { signJwt } from '../../../local/stack/keys.ts';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { type BusinessOverrides, createBusiness, createCouncil, createPayment, createPerson, createPlacement, createReview } from '../../../test/fixtures.ts';
import { hs256Verifier } from '../_shared/auth.ts';
import { sweepMissedEvents } from '../_shared/payments/sweep.ts';
import { createStripe } from '../_shared/stripe.ts';
import { createComplaintHandler } from '../complaint/handler.ts';
import { createOperatorHandler } from './handler.ts';

const SECRET = 'investigate-test-secret';
const ISSUER = 'http://127.0.0.1:54321/auth/v1';
let db: TestDatabase;
let stripeDouble: StripeDouble;
let stripe: ReturnType<typeof createStripe>;
let operator: ReturnType<typeof createOperatorHandler>;
let complaint: ReturnType<typeof createComplaintHandler>;
let opToken: string;
let trainer: string;
let trainerToken: string;
let council: string;

const claims = (sub: string, role: 'operator' | 'trainer') => ({ iss: ISSUER, aud: 'authenticated', sub, role: 'authenticated', app_metadata: { role } });

beforeAll(async () => {
  db = await freshDatabase();
  stripeDouble = await startStripeDouble();
  stripe = createStripe('sk_test_double', stripeDouble.url);
  const verifier = hs256Verifier(SECRET, { issuer: ISSUER });
  operator = createOperatorHandler({ sql: db.sql, verifier, stripe, sleep: async () => {} });
  complaint = createComplaintHandler({ sql: db.sql, verifier });
  const alex = await createPerson(db.sql, { profileRole: 'operator' });
  await db.sql`update public.profiles set display_name = 'Alex Operator' where id = ${alex}`;
  opToken = await signJwt(SECRET, claims(alex, 'operator'), 600);
  trainer = await createPerson(db.sql, { email: 'jo@pawsitive.example' });
  await db.sql`update public.profiles set display_name = 'Jo Trainer' where id = ${trainer}`;
  trainerToken = await signJwt(SECRET, claims(trainer, 'trainer'), 600);
  council = await createCouncil(db.sql, 'stonnington', 'City of Stonnington');
});
afterAll(async () => {
  await stripeDouble?.close();
  await db?.drop();
});

const post = (h: (r: Request) => Promise<Response>, path: string, token: string, body: unknown) =>
  h(
    new Request(`http://x${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
const investigate = async (query: string) => {
  const res = await post(operator, '/operator/investigate', opToken, { query });
  expect(res.status).toBe(200);
  return (await res.json()) as InvestigateAnswer;
};
const push = async (type: string, payload: Record<string, unknown>, baseVersion: number | null = null) => {
  const res = await post(operator, '/operator/push', opToken, {
    commands: [{ id: randomUUID(), type, payload, baseVersion, decidedAt: new Date().toISOString() }],
  });
  return ((await res.json()) as { results: CommandResult[] }).results[0]!;
};
const file = (body: Record<string, unknown>, token = trainerToken) => post(complaint, '/complaint', token, body);

describe('a trainer files a complaint; the operator closes it', () => {
  it('files once per kind while pending, refuses what is not theirs naming the field, reaches the pull, and closes exactly once', async () => {
    const business = await createBusiness(db.sql, trainer, council, { name: 'Pawsitive Steps' });
    const someoneElse = await createBusiness(db.sql, await createPerson(db.sql), council, { name: 'Other Dogs' });
    const theirPayment = await createPayment(db.sql, someoneElse, council);

    const filed = await file({ businessId: business, kind: 'queue_position', message: 'I paid first! Why am I #5 in queue?' });
    expect(filed.status).toBe(201);
    const first = (await filed.json()) as { id: string; filed: boolean };
    const again = await file({ businessId: business, kind: 'queue_position', message: 'Sent twice' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: first.id, filed: false });

    const notTheirs = await file({ businessId: someoneElse, kind: 'other', message: 'not mine' });
    expect(notTheirs.status).toBe(403);
    expect(await notTheirs.json()).toMatchObject({ error: { field: 'businessId' } });
    const wrongPayment = await file({ businessId: business, kind: 'not_featured', message: 'paid', paymentId: theirPayment });
    expect(await wrongPayment.json()).toMatchObject({ error: { field: 'paymentId', message: expect.stringContaining('not a payment of this business') } });
    const bad = await file({ businessId: business, kind: 'refund', message: 'x' });
    expect(bad.status).toBe(400);
    expect(await db.sql`select count(*)::int as n from public.complaints where business_id = ${business}`).toEqual([{ n: 1 }]);

    const pull = (await (await post(operator, '/operator/pull', opToken, { cursor: null })).json()) as PullResponse;
    const item = pull.complaints.find((c) => c.id === first.id)!;
    expect(item).toMatchObject({
      businessName: 'Pawsitive Steps',
      councilName: 'City of Stonnington',
      ownerName: 'Jo Trainer',
      ownerEmail: 'jo@pawsitive.example',
      kind: 'queue_position',
      message: 'I paid first! Why am I #5 in queue?',
      status: 'pending',
      version: 1,
    });

    const close = { complaintId: first.id, businessId: business, resolution: 'Queue in order; position and ETA emailed' };
    expect(await push('complaint.close', close, 1)).toMatchObject({ status: 'applied' });
    expect(await push('complaint.close', close, 1)).toMatchObject({
      status: 'rejected',
      kind: 'stale',
      reason: expect.stringContaining('already closed by Alex Operator'),
    });
    const after = (await (await post(operator, '/operator/pull', opToken, { cursor: pull.cursor })).json()) as PullResponse;
    expect(after.complaints).toEqual([
      expect.objectContaining({ id: first.id, status: 'closed', resolution: close.resolution, decidedByName: 'Alex Operator' }),
    ]);
    const audit = await db.sql`select action from public.audit_log where subject_type = 'complaint' and subject_id = ${first.id} order by id`;
    expect(audit.map((a) => a.action)).toEqual(['complaint.filed', 'command.complaint.close']);
  });
});

describe('investigating "I paid $22 but my profile is not featured" (playbook 2)', () => {
  it('finds the business by email, sees the charge the webhook missed, recovers it, activates the placement and the trainer is emailed', async () => {
    const business = await createBusiness(db.sql, trainer, council, { name: 'Missed Webhook K9' });
    const paid = stripeDouble.createPaidCharge({
      amount: 2200,
      created: new Date(Date.now() - 3_600_000),
      metadata: { business_id: business, council_id: council },
    });

    const byCharge = await investigate(paid.charge.id);
    expect(byCharge.matches).toEqual([expect.objectContaining({ businessId: business, matchedBy: 'payment' })]);
    const answer = await investigate('Missed Webhook');
    expect(answer.matches).toHaveLength(1);
    const d = answer.dossier!;
    expect(d.payments).toEqual([]);
    expect(d.unrecorded).toEqual([expect.objectContaining({ chargeId: paid.charge.id, amountCents: 2200, status: 'succeeded' })]);
    // Its plan: the sweep, then the activation of whatever payment the dossier read after it names (its id unknown until then).
    expect(d.findings[0]).toEqual({
      severity: 'problem',
      text: expect.stringMatching(/^Stripe took \$22\.00 on .* but no webhook recorded it/),
      actions: [{ kind: 'recover' }, { kind: 'activate' }],
    });

    await sweepMissedEvents(db.sql, stripe, new Date());
    const recovered = (await investigate(paid.charge.id)).dossier!;
    expect(recovered.unrecorded).toEqual([]);
    expect(recovered.payments).toEqual([
      expect.objectContaining({ chargeId: paid.charge.id, standing: 'queued', stripe: expect.objectContaining({ status: 'succeeded', amountCents: 2200 }) }),
    ]);
    expect(recovered.queue).toMatchObject({ position: 0 }); // a slot is free: the promoter would place it once the queue settles
    expect(recovered.findings).toContainEqual({
      severity: 'problem',
      text: expect.stringContaining('A featured slot is free'),
      actions: [{ kind: 'activate', paymentId: recovered.payments[0]!.id }],
    });

    expect(await push('placement.activate_orphan', { paymentId: recovered.payments[0]!.id })).toMatchObject({ status: 'applied' });
    const featured = (await investigate(business)).dossier!;
    expect(featured.featured).toMatchObject({ paymentId: recovered.payments[0]!.id });
    expect(featured.payments[0]!.standing).toBe('featured');
    expect(await db.sql`select template from public.email_outbox where to_email = 'jo@pawsitive.example' and template = 'featured_activated'`).toHaveLength(1);
  });

  it('refuses to activate a waiting purchase when no slot is free: that would jump the queue', async () => {
    const full = await createCouncil(db.sql, `full${randomUUID().slice(0, 6)}`, 'Full Council');
    for (let i = 0; i < 5; i++) {
      const b = await createBusiness(db.sql, await createPerson(db.sql), full, { name: `Featured ${i}` });
      await createPlacement(db.sql, b, full, await createPayment(db.sql, b, full));
    }
    const waiting = await createBusiness(db.sql, await createPerson(db.sql), full, { name: 'Patient Paws' });
    const [r] = await db.sql<{ r: { payment_id: string } }[]>`
      select public.record_payment_succeeded(${waiting}, 2200, 'aud', now(), ${`pi_${randomUUID()}`}, ${`ch_${randomUUID()}`}, null, now(), now()) as r`;
    const verdict = await push('placement.activate_orphan', { paymentId: r!.r.payment_id });
    expect(verdict).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/waits at position #1 .* would jump the queue/) });
    const d = (await investigate('Patient Paws')).dossier!;
    expect(d.queue).toMatchObject({ position: 1, activeInCouncil: 5, slots: 5, waitingInCouncil: 1 });
    expect(d.queue!.eta).not.toBeNull();
    expect(d.findings).toContainEqual({
      severity: 'info',
      text: expect.stringMatching(/^Waiting at position #1 in the Full Council queue/),
      actions: [{ kind: 'check_queue' }, { kind: 'email', template: 'queue_position_reply' }],
    });

    const check = (await (await post(operator, '/operator/queue-check', opToken, { councilId: full })).json()) as QueueCheckAnswer;
    expect(check).toMatchObject({ outcome: 'in_order', council: 'Full Council' });
  });
});

describe('search visibility and reviews in the dossier (2.5 scenarios 2 and 3)', () => {
  it('names the exact reason a profile is hidden, for each reason', async () => {
    const cases: [BusinessOverrides, string][] = [
      [{ status: 'suspended' }, 'the business is suspended'],
      [{ deleted: true }, 'the business is deleted'],
      [{ ageSpecialties: [] }, 'the business lists no age specialties'],
      [{ behaviorIssues: [] }, 'the business lists no behaviour issues'],
    ];
    for (const [i, [overrides, reason]] of cases.entries()) {
      const id = await createBusiness(db.sql, trainer, council, { name: `Hidden ${i}`, ...overrides });
      const d = (await investigate(id)).dossier!;
      expect(d.search).toMatchObject({ visible: false, reason });
      // Only an incomplete profile gets the search help as a step; a suspended or deleted business needs the operator's words.
      const incomplete = !overrides.status && !overrides.deleted;
      expect(d.findings).toContainEqual({
        severity: 'problem',
        text: expect.stringContaining(`Not shown in search because ${reason}`),
        actions: incomplete ? [{ kind: 'email', template: 'search_help' }] : [],
      });
    }
    const shown = (await investigate(await createBusiness(db.sql, trainer, council, { name: 'Shown Dogs' }))).dossier!;
    expect(shown.search).toEqual({ visible: true, reason: null, criteria: 'puppy and pulling in City of Stonnington' });
  });

  it('gives each review its moderation history: the AI score at submission, then who decided, when, the reason and note', async () => {
    const business = await createBusiness(db.sql, trainer, council, { name: 'Reviewed Rovers' });
    const review = await createReview(db.sql, business);
    await db.sql`update public.reviews set ai_confidence = 0.41, ai_flags = '{spam}' where id = ${review}`;
    const reject = { reviewId: review, businessId: business, reason: 'spam', note: 'link to a shop' };
    expect(await push('review.reject', reject, 2)).toMatchObject({ status: 'applied' });
    const r = (await investigate('Reviewed Rovers')).dossier!.reviews[0]!;
    expect(r).toMatchObject({ status: 'rejected', rejectionReason: 'spam', aiConfidence: 0.41, aiFlags: ['spam'] });
    expect(r.history).toEqual([
      expect.objectContaining({ who: 'AI moderation', action: 'scored 0.41, flagged spam' }),
      expect.objectContaining({ who: 'Alex Operator', action: 'rejected', reason: 'spam', note: 'link to a shop' }),
    ]);
  });

  it('approves a wrongly rejected review on appeal once, keeps the cause as feedback, and the reviewer hears it was approved', async () => {
    const business = await createBusiness(db.sql, trainer, council, { name: 'Appealed Paws' });
    const review = await createReview(db.sql, business);
    const pending = await createReview(db.sql, business);
    await db.sql`update public.reviews set ai_confidence = 0.38, ai_flags = '{spam}' where id = ${review}`;
    expect(await push('review.reject', { reviewId: review, businessId: business, reason: 'spam' }, 2)).toMatchObject({ status: 'applied' });
    // The reviewer's dispute reaches the trainer, who files it; 55 newer reviews later the dossier still shows it, first.
    expect((await file({ businessId: business, kind: 'review_rejected', message: 'An honest review was rejected', reviewId: review })).status).toBe(201);
    await db.sql`insert into public.reviews (business_id, rating, body, status, ai_confidence, submitted_ip_hash, created_at)
                 select ${business}, 4, 'A later review ' || n, 'approved', 0.97, 'iphash', now() + n * interval '1 minute'
                 from generate_series(1, 55) n`;
    const listed = (await investigate('Appealed Paws')).dossier!.reviews;
    expect({ count: listed.length, first: listed[0]!.id, disputed: listed.filter((r) => r.disputed).map((r) => r.id) }).toEqual({
      count: 50,
      first: review,
      disputed: [review],
    });
    const seen = listed[0]!;
    const appeal = {
      reviewId: review,
      businessId: business,
      cause: 'ai_false_positive',
      note: 'an honest review; the AI took the vet’s phone number for spam',
    };

    // Only a rejected review, and only as the operator saw it.
    expect(await push('review.reinstate', { ...appeal, reviewId: pending }, 1)).toMatchObject({
      status: 'rejected',
      kind: 'refused',
      reason: `review ${pending} is pending, not rejected`,
    });
    expect(await push('review.reinstate', appeal, seen.version - 1)).toMatchObject({ status: 'rejected', kind: 'stale' });
    expect(await push('review.reinstate', { ...appeal, cause: 'because' }, seen.version)).toMatchObject({ status: 'rejected', kind: 'invalid' });
    expect(await push('review.reinstate', appeal, seen.version)).toMatchObject({ status: 'applied' });
    expect(await push('review.reinstate', appeal, seen.version)).toMatchObject({
      status: 'rejected',
      kind: 'stale',
      reason: expect.stringMatching(/^review was already approved by Alex Operator at /),
    });

    const [row] = await db.sql`select status, rejection_reason, moderated_at is not null as moderated from public.reviews where id = ${review}`;
    expect(row).toEqual({ status: 'approved', rejection_reason: null, moderated: true });
    const audit = await db.sql`select details -> 'before' as before, details -> 'after' as after from public.audit_log
                               where action = 'command.review.reinstate' and subject_id = ${review}`;
    expect(audit).toEqual([
      {
        before: { status: 'rejected', version: seen.version, rejection_reason: 'spam', rejection_note: null },
        after: { status: 'approved', version: seen.version + 1, cause: 'ai_false_positive', note: appeal.note },
      },
    ]);
    const r = (await investigate('Appealed Paws')).dossier!.reviews.find((x) => x.id === review)!;
    expect(r.history.slice(1).map((h) => [h.who, h.action, h.reason, h.note])).toEqual([
      ['Alex Operator', 'rejected', 'spam', null],
      ['Alex Operator', 'approved it on appeal, overturning the rejection', 'the AI flagged it wrongly', appeal.note],
    ]);

    expect(await push('email.review_reply', { reviewId: review, businessId: business, to: 'reviewer@example.test', note: 'sorry for the wait' })).toMatchObject(
      {
        status: 'applied',
      },
    );
    const [mail] = await db.sql`select body_text from public.email_outbox where to_email = 'reviewer@example.test' and template = 'review_dispute_reply'
                                order by created_at desc limit 1`;
    expect(mail!.body_text).toMatch(/approved/i);
  });

  it('asks for a narrower query when several businesses match, and answers none for nothing', async () => {
    await createBusiness(db.sql, trainer, council, { name: 'Twin Tails North' });
    await createBusiness(db.sql, trainer, council, { name: 'Twin Tails South' });
    const two = await investigate('twin tails');
    expect(two.matches.map((m) => m.businessName)).toEqual(['Twin Tails North', 'Twin Tails South']);
    expect(two.dossier).toBeNull();
    expect(await investigate('nobody@nowhere.example')).toEqual({ query: 'nobody@nowhere.example', matches: [], dossier: null });
    const res = await post(operator, '/operator/investigate', opToken, { query: 'x' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { field: 'query' } });
  });
});
