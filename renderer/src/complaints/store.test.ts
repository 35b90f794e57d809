import { describe, expect, it } from 'vitest';
import type { Dossier, InvestigateAnswer } from '../../../shared/api/investigation.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import type { CommandOutcome, ComplaintView } from '../../../shared/ipc/contract.ts';
import { createFakeApi } from '../bridge/fake.ts';
import { createNoticesStore } from '../ui/notices.ts';
import { createComplaintsStore } from './store.ts';

const complaint = { id: 'c1', businessId: 'b1', businessName: 'Sit Stay', kind: 'not_featured', minutes: 25, localDecision: null } as unknown as ComplaintView;
const dossier = { business: { id: 'b1', name: 'Sit Stay', councilId: 'yarra', ownerEmail: 'jo@example.test', ownerId: 'p1' } } as unknown as Dossier;
const answer = (d: Dossier | null = dossier): InvestigateAnswer => ({ query: 'b1', matches: [], dossier: d });

/** How many calls the store made before it first showed `field` (the verdict), from the call count when `act` began. */
async function callsToShow(fake: ReturnType<typeof createFakeApi>, store: ReturnType<typeof createComplaintsStore>, act: () => Promise<void>) {
  const start = fake.calls.length;
  let seen: number | null = null;
  const stop = store.subscribe((s) => {
    if (seen === null && (s.done !== null || s.error !== null)) seen = fake.calls.length - start;
  });
  await act();
  stop();
  return seen;
}

describe('complaints store', () => {
  it('opens a complaint on its business; an action shows its verdict from its one call, then reads the dossier again', async () => {
    const fake = createFakeApi({
      investigate: () => answer(),
      activateOrphan: () => ({ commandId: 'cmd-1', status: 'applied' }),
    });
    const store = createComplaintsStore(fake.api, createNoticesStore());
    await store.getState().open(complaint);
    expect(store.getState()).toMatchObject({ current: { id: 'c1' }, answer: { dossier: { business: { id: 'b1' } } } });
    await expect(callsToShow(fake, store, () => store.getState().activate('pay-1'))).resolves.toBe(1);
    expect(store.getState()).toMatchObject({ done: 'Placement activated; the trainer is emailed that it is active', error: null, busy: false });
    // The verdict first, from main; then the dossier read again to show the placement. Nothing else asked.
    expect(fake.calls.map((c) => c.method)).toEqual(['investigate', 'activateOrphan', 'investigate']);
  });

  it('says when the action waits offline, and shows the server’s refusal in its words, without reading the dossier again', async () => {
    let outcome: CommandOutcome = { commandId: 'cmd-2', status: 'queued' };
    const fake = createFakeApi({ investigate: () => answer(), emailTrainer: () => outcome });
    const store = createComplaintsStore(fake.api, createNoticesStore());
    await store.getState().investigate('b1');
    await expect(callsToShow(fake, store, () => store.getState().email('queue_position_reply'))).resolves.toBe(1);
    expect(store.getState().done).toBe('Emailed jo@example.test the queue position and its ETA: queued, sent when you are back online');
    outcome = { commandId: 'cmd-3', status: 'rejected', reason: 'Sit Stay has no purchase waiting in a queue' };
    await store.getState().email('queue_position_reply');
    expect(store.getState()).toMatchObject({ done: null, error: 'Refused: Sit Stay has no purchase waiting in a queue' });
    expect(fake.calls.map((c) => c.method)).toEqual(['investigate', 'emailTrainer', 'emailTrainer']);
  });

  it("offline the investigation keeps main's sentence and the complaint can still be closed (queued)", async () => {
    const fake = createFakeApi({
      investigate: () => {
        throw new ConsoleError('offline', 'Investigating needs a connection to the server');
      },
      closeComplaint: () => ({ commandId: 'cmd-3', status: 'queued' }),
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
