import { describe, expect, it } from 'vitest';
import type { Dossier, InvestigateAnswer } from '../../../shared/api/investigation.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import type { ComplaintView } from '../../../shared/ipc/contract.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createNoticesStore } from '../ui/notices.ts';
import { createComplaintsStore } from './store.ts';

const complaint = { id: 'c1', businessId: 'b1', businessName: 'Sit Stay', kind: 'not_featured', minutes: 25, localDecision: null } as unknown as ComplaintView;
const dossier = { business: { id: 'b1', name: 'Sit Stay', councilId: 'yarra', ownerEmail: 'jo@example.test', ownerId: 'p1' } } as unknown as Dossier;
const answer = (d: Dossier | null = dossier): InvestigateAnswer => ({ query: 'b1', matches: [], dossier: d });

describe('complaints store', () => {
  it('opens a complaint on its business, and an action queued then sent reads the dossier again', async () => {
    const fake = createFakeApi({
      investigate: () => answer(),
      activateOrphan: () => 'cmd-1',
      syncNow: () => ({ pushed: 1, applied: 1, rejected: 0, failed: 0, dead: 0, pulled: 0 }),
      verdicts: () => [],
      outbox: () => [],
    });
    const store = createComplaintsStore(fake.api, createNoticesStore());
    await store.getState().open(complaint);
    expect(store.getState()).toMatchObject({ current: { id: 'c1' }, answer: { dossier: { business: { id: 'b1' } } } });
    await store.getState().activate('pay-1');
    expect(store.getState().done).toBe('Placement activated; the trainer is emailed that it is active');
    expect(fake.calls.map((c) => c.method)).toEqual(['investigate', 'activateOrphan', 'syncNow', 'verdicts', 'outbox', 'investigate']);
  });

  it('says when the action waits offline, and shows the server’s refusal in its words', async () => {
    let queued = true;
    const fake = createFakeApi({
      investigate: () => answer(),
      emailTrainer: () => 'cmd-2',
      syncNow: () => ({ pushed: 0, applied: 0, rejected: 0, failed: 0, dead: 0, pulled: 0 }),
      verdicts: () => (queued ? [] : [{ commandId: 'cmd-2', reason: 'Sit Stay has no purchase waiting in a queue' } as never]),
      outbox: () => (queued ? [{ commandId: 'cmd-2' } as never] : []),
    });
    const store = createComplaintsStore(fake.api, createNoticesStore());
    await store.getState().investigate('b1');
    await store.getState().email('queue_position_reply');
    expect(store.getState().done).toBe('Emailed jo@example.test the queue position and its ETA: queued, sent when you are back online');
    queued = false;
    await store.getState().email('queue_position_reply');
    expect(store.getState()).toMatchObject({ done: null, error: 'Refused: Sit Stay has no purchase waiting in a queue' });
  });

  it("offline the investigation keeps main's sentence and the complaint can still be closed (queued)", async () => {
    const fake = createFakeApi({
      investigate: () => {
        throw new ConsoleError('offline', 'Investigating needs a connection to the server');
      },
      closeComplaint: () => 'cmd-3',
      syncNow: () => {
        throw new ConsoleError('offline', 'offline');
      },
      complaints: () => [],
    });
    const store = createComplaintsStore(fake.api, createNoticesStore());
    await store.getState().open(complaint);
    expect(store.getState()).toMatchObject({ error: 'Investigating needs a connection to the server', current: { id: 'c1' } });
    await expect(store.getState().close('Recovered and activated')).resolves.toBe(true);
    expect(store.getState()).toMatchObject({ current: null, done: 'Complaint closed: Recovered and activated', complaints: [] });
    expect(fake.calls.find((c) => c.method === 'closeComplaint')?.args).toEqual(['c1', 'Recovered and activated']);
  });
});
