// The findings' plans: each finding that needs no judgement carries the steps
// that answer it, from the closed set (recover, activate, email, check_queue),
// in the order the console takes them; the sentences stay as they were.
import { describe, expect, it } from 'vitest';
import type { Dossier } from '../../../../../shared/api/investigation.ts';
import { findingsOf } from './findings.ts';

type Facts = Omit<Dossier, 'findings'>;
type Payment = Dossier['payments'][number];

const base = (over: Partial<Facts> = {}): Facts => ({
  business: {
    id: 'b1',
    name: 'Sit Stay',
    councilId: 'yarra',
    councilName: 'City of Yarra',
    status: 'active',
    deleted: false,
    ownerId: 'p1',
    ownerName: 'Jo',
    ownerEmail: 'jo@example.test',
    accountStatus: 'active',
    flaggedReason: null,
  },
  featured: null,
  queue: null,
  payments: [],
  unrecorded: [],
  refunds: [],
  search: { visible: true, reason: null, criteria: 'puppy in City of Yarra' },
  reviews: [],
  complaints: [],
  ...over,
});
const payment = (over: Partial<Payment>): Payment => ({
  id: 'pay-1',
  amountCents: 2200,
  currency: 'aud',
  status: 'succeeded',
  paidAt: '2026-03-01T00:00:00Z',
  chargeId: 'ch_1',
  paymentIntentId: 'pi_1',
  notes: null,
  standing: 'featured',
  stripe: { status: 'succeeded', amountCents: 2200, currency: 'aud', refunded: false },
  stripeError: null,
  ...over,
});
const queue = (position: number): NonNullable<Facts['queue']> => ({
  paymentId: 'pay-q',
  paidAt: '2026-03-01T00:00:00Z',
  position,
  eta: '2026-03-20T00:00:00Z',
  waitingInCouncil: 6,
  activeInCouncil: 5,
  slots: 5,
});
/** Each finding's sentence start and its steps. */
const plans = (f: Facts) => findingsOf(f).map((x) => [x.text.slice(0, 24), x.actions]);

describe('the findings’ plans', () => {
  it('missed webhook: recover, then activate the payment the fresh dossier names (its id unknown before the sweep)', () => {
    const f = findingsOf(
      base({
        unrecorded: [
          { chargeId: 'ch_missed', paymentIntentId: 'pi_missed', amountCents: 2200, currency: 'aud', createdAt: '2026-03-01T00:00:00Z', status: 'succeeded' },
        ],
      }),
    );
    expect(f[0]).toEqual({
      severity: 'problem',
      text: expect.stringMatching(
        /^Stripe took \$22\.00 on .* \(ch_missed\) but no webhook recorded it: .* Recover it from Stripe, then activate the placement\.$/,
      ),
      actions: [{ kind: 'recover' }, { kind: 'activate' }],
    });
    // A failed charge the webhook missed is nothing to recover or activate.
    const failed = findingsOf(
      base({
        unrecorded: [{ chargeId: 'ch_f', paymentIntentId: null, amountCents: 2200, currency: 'aud', createdAt: '2026-03-01T00:00:00Z', status: 'failed' }],
      }),
    );
    expect(failed.flatMap((x) => x.actions)).toEqual([]);
  });

  it('orphaned payment and a free slot: activate that payment (the activation emails the trainer itself, so no email step follows)', () => {
    expect(plans(base({ payments: [payment({ id: 'pay-o', standing: 'orphaned' })] }))).toEqual([
      ['ch_1 ($22.00, paid 1 Mar', [{ kind: 'activate', paymentId: 'pay-o' }]],
      ['Shown in search: try pup', []],
    ]);
    const free = findingsOf(base({ queue: queue(0), payments: [payment({ id: 'pay-q', standing: 'queued' })] }));
    expect(free).toEqual([
      {
        severity: 'problem',
        text: expect.stringMatching(/^A featured slot is free for the purchase paid .* \(5 of 5 slots in City of Yarra taken\): activate the placement now/),
        actions: [{ kind: 'activate', paymentId: 'pay-q' }],
      },
      expect.objectContaining({ actions: [] }),
    ]);
  });

  it('waiting in the queue: check the queue order, then email the position and ETA', () => {
    const f = findingsOf(base({ queue: queue(5), payments: [payment({ id: 'pay-q', standing: 'queued' })] }));
    expect(f[0]).toEqual({
      severity: 'info',
      text: expect.stringMatching(
        /^Waiting at position #5 in the City of Yarra queue .* email the trainer the position and ETA, after checking the queue order\.$/,
      ),
      actions: [{ kind: 'check_queue' }, { kind: 'email', template: 'queue_position_reply' }],
    });
  });

  it('hidden from search: the search help for an incomplete profile; a deleted or suspended business needs the operator’s words', () => {
    const hidden = (over: Partial<Facts['business']>, reason: string) =>
      findingsOf(base({ business: { ...base().business, ...over }, search: { visible: false, reason, criteria: 'puppy in City of Yarra' } })).find((x) =>
        x.text.startsWith('Not shown in search'),
      );
    expect(hidden({}, 'the business lists no behaviour issues')).toEqual({
      severity: 'problem',
      text: 'Not shown in search because the business lists no behaviour issues: tell the trainer to complete the profile (email them the search help).',
      actions: [{ kind: 'email', template: 'search_help' }],
    });
    expect(hidden({ status: 'suspended' }, 'the business is suspended')).toEqual({
      severity: 'problem',
      text: 'Not shown in search because the business is suspended: explain why it is suspended.',
      actions: [],
    });
    expect(hidden({ deleted: true }, 'the business is deleted')?.actions).toEqual([]);
  });

  it('what needs judgement carries no step: rejected reviews, Stripe disagreeing, a held purchase, a flagged account, plain notes', () => {
    const review = { status: 'rejected' } as Dossier['reviews'][number];
    const f = findingsOf(
      base({
        featured: { placementId: 'fp1', paymentId: 'pay-1', from: '2026-03-01T00:00:00Z', until: '2026-03-31T00:00:00Z' },
        payments: [
          payment({ id: 'pay-1' }),
          payment({ id: 'pay-2', chargeId: 'ch_2', stripe: null }),
          payment({ id: 'pay-3', chargeId: 'ch_3', standing: 'held' }),
          payment({ id: 'pay-4', chargeId: 'ch_4', stripe: { status: 'succeeded', amountCents: 2200, currency: 'aud', refunded: true } }),
        ],
        reviews: [review],
        business: { ...base().business, accountStatus: 'flagged_for_review', flaggedReason: 'three refunds' },
      }),
    );
    expect(f.map((x) => x.text.slice(0, 24))).toEqual([
      'ch_2 is recorded as paid',
      'ch_3 was a second purcha',
      'ch_4 is recorded as paid',
      'Featured now, until 31 M',
      'Shown in search: try pup',
      '1 rejected review: read ',
      "The owner's account is f",
    ]);
    expect(f.flatMap((x) => x.actions)).toEqual([]);
  });
});
