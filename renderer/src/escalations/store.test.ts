// The escalations store: a screen starts one from its evidence, the chosen
// situation reads the draft (the newest choice wins), the packet shown is the
// one composed from it, a send that was applied closes the dialog and says
// so anywhere, a refusal keeps the dialog with the reason; answering and
// closing carry the version shown; the freeze of a business as the cache knows it.
import { describe, expect, it } from 'vitest';
import { composePacket, type EscalationDraft } from '../../../shared/api/escalations.ts';
import type { EscalationView } from '../../../shared/ipc/contract.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createNoticesStore } from '../ui/notices.ts';
import { createEscalationsStore, freezeOf, packetOf } from './store.ts';

const source = { kind: 'complaint' as const, id: '00000000-0000-4000-8000-00000000000c' };
const draft = (over: Partial<EscalationDraft> = {}): EscalationDraft => ({
  situation: 'legal_compliance',
  source,
  team: 'legal',
  urgency: 'medium',
  to: 'legal@dogtrainersdirectory.com.au',
  answerWithin: '7 days',
  businessId: 'b1',
  businessName: 'Paws & Co',
  subject: 'Complaint about Paws & Co (not_featured)',
  evidence: 'DOSSIER\n- PROBLEM: paid, not featured',
  ...over,
});
const view = (over: Partial<EscalationView> = {}): EscalationView => ({
  id: 'e1',
  situation: 'legal_compliance',
  team: 'legal',
  urgency: 'medium',
  status: 'open',
  sourceKind: 'complaint',
  sourceId: source.id,
  businessId: 'b1',
  businessName: 'Paws & Co',
  subject: 'Refund dispute',
  note: null,
  packet: 'ESCALATION: Refund dispute\n',
  packetSha256: 'f'.repeat(64),
  to: 'legal@dogtrainersdirectory.com.au',
  openedAt: '2026-12-01T00:00:00Z',
  openedByName: 'Alex',
  dueAt: '2026-12-08T00:00:00Z',
  answer: null,
  answeredAt: null,
  closedAt: null,
  closeNote: null,
  version: 2,
  updatedAt: '2026-12-01T00:00:00Z',
  overdue: false,
  localDecision: null,
  ...over,
});

describe('escalations store', () => {
  it('reads the draft for the chosen situation, keeping only the newest choice', async () => {
    const answers: Record<string, (v: EscalationDraft) => void> = {};
    const fake = createFakeApi({ escalationDraft: (situation) => new Promise((ok) => (answers[situation] = ok)) });
    const store = createEscalationsStore(fake.api, createNoticesStore());
    store.getState().start(source, 'the dossier of Paws & Co');
    const first = store.getState().choose('financial');
    const second = store.getState().choose('legal_compliance');
    answers.legal_compliance!(draft());
    await second;
    answers.financial!(draft({ situation: 'financial', team: 'finance' }));
    await first;
    expect(store.getState().compose).toMatchObject({ situation: 'legal_compliance', reading: false, draft: { team: 'legal' } });
  });

  it('shows the packet the server will store, and sends the note with the evidence as read', async () => {
    const d = draft();
    expect(packetOf(d, 'Refund dispute', 'May we refund?')).toBe(
      composePacket({ ...d, subject: 'Refund dispute', note: 'May we refund?', evidence: d.evidence }),
    );
    expect(packetOf(d, 'Refund dispute', 'May we refund?')).toContain("Freeze: the operator's refund decisions, activations, flags and emails for Paws & Co");
    const fake = createFakeApi({
      escalationDraft: () => d,
      openEscalation: () => ({ commandId: 'c1', status: 'applied', details: { packetSha256: 'abcdef0123456789' } }),
      escalations: () => [view()],
    });
    const notices = createNoticesStore();
    const store = createEscalationsStore(fake.api, notices);
    store.getState().start(source, 'the dossier');
    await store.getState().choose('legal_compliance');
    expect(await store.getState().send(' Refund dispute ', ' May we refund? ')).toBe(true);
    expect(fake.calls.find((c) => c.method === 'openEscalation')!.args).toEqual(['legal_compliance', source, 'Refund dispute', 'May we refund?', d.evidence]);
    expect(store.getState()).toMatchObject({ compose: null, escalations: [{ id: 'e1' }] });
    expect(notices.getState().notices[0]!.message).toBe(
      'Escalated to Legal (legal@dogtrainersdirectory.com.au); actions for Paws & Co are frozen until you close it. Packet SHA-256 abcdef012345…',
    );
  });

  it('keeps the dialog open with the reason when the server refuses the send', async () => {
    const fake = createFakeApi({
      escalationDraft: () => draft(),
      openEscalation: () => ({ commandId: 'c1', status: 'rejected', reason: 'no complaint to escalate from' }),
    });
    const store = createEscalationsStore(fake.api, createNoticesStore());
    store.getState().start(source, 'the dossier');
    await store.getState().choose('legal_compliance');
    expect(await store.getState().send('Refund dispute', '')).toBe(false);
    expect(store.getState()).toMatchObject({ error: 'Refused: no complaint to escalate from', compose: { situation: 'legal_compliance' } });
  });

  it('answers and closes at the version shown, and says the freeze lifts', async () => {
    const fake = createFakeApi({
      answerEscalation: () => ({ commandId: 'a', status: 'applied' }),
      closeEscalation: () => ({ commandId: 'c', status: 'applied' }),
      escalations: () => [],
    });
    const store = createEscalationsStore(fake.api, createNoticesStore());
    expect(await store.getState().answer(view(), ' Hold the refund ')).toBe(true);
    expect(await store.getState().close(view({ version: 3 }), 'Legal: refund it')).toBe(true);
    expect(fake.calls.filter((c) => c.method !== 'escalations').map((c) => c.args)).toEqual([
      ['e1', 2, 'Hold the refund'],
      ['e1', 3, 'Legal: refund it'],
    ]);
    expect(store.getState().done).toBe('Closed "Refund dispute": the freeze on Paws & Co is lifted');
  });

  it('knows a business frozen only by an open legal escalation, the oldest naming it', () => {
    const list = [
      view({ id: 'new', openedAt: '2026-12-02T00:00:00Z' }),
      view({ id: 'old', openedAt: '2026-11-30T00:00:00Z' }),
      view({ id: 'money', situation: 'financial', businessId: 'b2' }),
      view({ id: 'done', status: 'closed', businessId: 'b3' }),
    ];
    expect(freezeOf(list, 'b1')).toEqual({ escalationId: 'old', subject: 'Refund dispute', businessName: 'Paws & Co', openedAt: '2026-11-30T00:00:00Z' });
    expect(freezeOf(list, 'b2')).toBeNull();
    expect(freezeOf(list, 'b3')).toBeNull();
  });
});
