// Escalations in the console (spec Part 7): each cached one with its age
// against its urgency (overdue on the dashboard), the legal freeze on every
// view of the business it holds (refunds, complaints) and the refund
// decision refused at once while it holds, the draft read online, the
// answer and the closing queued at the version shown (the freeze lifts with
// the pull that brings the closing).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerEscalation, closeEscalation, openEscalation } from '../../../shared/commands/escalations.ts';
import { BUSINESS, complaint, createWorld, escalation, failureOf, id, refund, type World } from '../testing/world.ts';

let w: World;
beforeEach(() => {
  // The world's clock: 27 Nov; the fixture was sent 26 Nov and is due 3 Dec.
  w = createWorld();
});
afterEach(() => w.close());

describe('escalations in the cache', () => {
  it('are listed newest first, overdue only when still open past their due time', async () => {
    const due = escalation({ subject: 'Due next week' });
    const late = escalation({
      subject: 'Late',
      situation: 'infrastructure',
      team: 'devops',
      urgency: 'immediate',
      openedAt: '2026-11-26T22:00:00.000Z',
      dueAt: '2026-11-26T23:00:00.000Z',
    });
    const answered = escalation({ subject: 'Answered late', status: 'answered', answer: 'Go ahead', dueAt: '2026-11-26T01:00:00.000Z' });
    await w.load({ escalations: [due, late, answered] });
    const list = await w.api.escalations();
    expect(list.map((e) => [e.subject, e.overdue])).toEqual([
      ['Late', true],
      ['Due next week', false],
      ['Answered late', false],
    ]);
    expect((await w.api.overview()).overdueEscalations.map((e) => e.subject)).toEqual(['Late']);
    // Time passes with no sync: the first one falls due too.
    w.time.now = Date.parse('2026-12-04T00:00:00.000Z');
    expect((await w.api.overview()).overdueEscalations.map((e) => e.subject)).toEqual(['Late', 'Due next week']);
  });
});

describe('the legal freeze as the console shows it', () => {
  it('marks the frozen business on its refunds and complaints, refuses its refund decision at once, and leaves other businesses alone', async () => {
    const frozen = refund({ businessId: BUSINESS, businessName: 'Paws & Co' });
    const other = refund({ businessId: id(), businessName: 'Sit Stay' });
    const legal = escalation();
    await w.load({
      refunds: [frozen, other],
      complaints: [complaint()],
      escalations: [legal, escalation({ situation: 'financial', team: 'finance', businessId: other.businessId })],
    });
    const refunds = await w.api.refunds();
    expect(refunds.find((r) => r.id === frozen.id)!.freeze).toEqual({
      escalationId: legal.id,
      subject: legal.subject,
      businessName: 'Paws & Co',
      openedAt: legal.openedAt,
    });
    // A financial escalation freezes nothing.
    expect(refunds.find((r) => r.id === other.id)!.freeze).toBeNull();
    expect((await w.api.complaints())[0]!.freeze).toMatchObject({ escalationId: legal.id });

    expect(await failureOf(() => w.api.decideRefund(frozen.id, { kind: 'approve' }))).toEqual({
      kind: 'refused',
      message: `Frozen by the legal escalation "${legal.subject}": refund decisions for Paws & Co wait for legal guidance. Close the escalation to lift the freeze.`,
    });
    expect(await w.api.outbox()).toEqual([]);
    expect(typeof (await w.api.decideRefund(other.id, { kind: 'approve' }))).toBe('string');
  });

  it('closes at the version shown; the freeze lifts with the pull that brings the closing', async () => {
    const frozen = refund();
    const legal = escalation({ version: 3 });
    await w.load({ refunds: [frozen], escalations: [legal] });
    // The server applies the closing and its next pull says so.
    w.server.judge = (c) => {
      if (c.type === closeEscalation.type) Object.assign(w.server.rows.escalations[0]!, { status: 'closed', closeNote: 'Legal: refund it', version: 4 });
      return { status: 'applied' };
    };
    expect(await w.api.closeEscalation(legal.id, 3, 'Legal: refund it')).toMatchObject({ status: 'applied' });
    expect(w.server.received).toEqual([
      expect.objectContaining({ type: closeEscalation.type, baseVersion: 3, payload: { escalationId: legal.id, note: 'Legal: refund it' } }),
    ]);
    expect((await w.api.refunds())[0]!.freeze).toBeNull();
    expect(typeof (await w.api.decideRefund(frozen.id, { kind: 'approve' }))).toBe('string');
  });

  it('records an answer offline: queued at the version shown, marked waiting on the escalation, the freeze still on', async () => {
    const legal = escalation({ version: 2 });
    await w.load({ refunds: [refund()], escalations: [legal] });
    w.server.online = false;
    expect(await w.api.answerEscalation(legal.id, 2, 'Hold until we call')).toMatchObject({ status: 'queued' });
    expect(await w.api.outbox()).toEqual([expect.objectContaining({ type: answerEscalation.type, label: 'Record the answer to an escalation' })]);
    expect((await w.api.escalations())[0]!.localDecision).toMatchObject({ words: 'answered' });
    expect((await w.api.refunds())[0]!.freeze).not.toBeNull();
  });
});

describe('sending an escalation', () => {
  it('reads the draft online, and sends the note and the evidence as one online command', async () => {
    const source = { kind: 'complaint' as const, id: id() };
    const draft = {
      situation: 'legal_compliance',
      source,
      team: 'legal',
      urgency: 'medium',
      to: 'legal@dogtrainersdirectory.com.au',
      answerWithin: '7 days',
      businessId: BUSINESS,
      businessName: 'Paws & Co',
      subject: 'Complaint about Paws & Co (not_featured)',
      evidence: 'DOSSIER\nFINDINGS\n- PROBLEM: paid, not featured',
    };
    w.http.set('operator/escalation/draft', draft);
    expect(await w.api.escalationDraft('legal_compliance', source)).toEqual(draft);
    expect(w.httpCalls).toEqual([{ path: 'operator/escalation/draft', body: { situation: 'legal_compliance', source } }]);

    const outcome = await w.api.openEscalation('legal_compliance', source, draft.subject, 'May we refund?', draft.evidence);
    expect(outcome.status).toBe('applied');
    expect(w.server.received).toEqual([
      expect.objectContaining({
        type: openEscalation.type,
        payload: expect.objectContaining({ situation: 'legal_compliance', source, note: 'May we refund?', evidence: draft.evidence }),
      }),
    ]);
  });

  it('says it needs a connection offline, and queues nothing', async () => {
    w.server.online = false;
    const source = { kind: 'alert' as const, id: id() };
    expect(await failureOf(() => w.api.escalationDraft('infrastructure', source))).toMatchObject({ kind: 'offline' });
    expect(await failureOf(() => w.api.openEscalation('infrastructure', source, 'Supabase down', '', 'ALERT'))).toMatchObject({
      kind: 'offline',
      message: expect.stringContaining('Sending the escalation needs a connection'),
    });
    expect(await w.api.outbox()).toEqual([]);
  });
});
