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

describe('one complaint after another', () => {
  it('closing one opens the next waiting (oldest first) and says so; the last leaves the dossier', async () => {
    const next = { ...complaint, id: 'c2', businessId: 'b2', businessName: 'Paws & Co' } as ComplaintView;
    let waiting: ComplaintView[] = [next];
    const fake = createFakeApi({
      investigate: (q) => answer({ business: { ...dossier.business, id: q } } as unknown as Dossier),
      closeComplaint: () => ({ commandId: 'cmd-9', status: 'applied' }),
      complaints: () => waiting,
    });
    const store = createComplaintsStore(fake.api, createNoticesStore());
    await store.getState().open(complaint);
    await store.getState().close('Recovered and activated');
    expect(store.getState()).toMatchObject({ current: { id: 'c2' }, done: 'Complaint closed: Recovered and activated. Next: Paws & Co' });
    expect(fake.calls.filter((c) => c.method === 'investigate').map((c) => c.args)).toEqual([['b1'], ['b2']]);
    waiting = [];
    await store.getState().close('Emailed the position');
    expect(store.getState()).toMatchObject({ current: null, done: 'Complaint closed: Emailed the position' });
  });
});

/** A dossier as the server writes it, down to what the plan reads: the findings' steps, the queue, search and the payments. */
const facts = (over: Partial<Dossier>): Dossier =>
  ({
    business: { id: 'b1', name: 'Sit Stay', councilId: 'yarra', councilName: 'City of Yarra', ownerEmail: 'jo@example.test', ownerId: 'p1' },
    featured: null,
    queue: null,
    payments: [],
    unrecorded: [],
    search: { visible: true, reason: null, criteria: 'puppy in City of Yarra' },
    findings: [],
    ...over,
  }) as unknown as Dossier;
const hidden = { visible: false, reason: 'the business lists no behaviour issues', criteria: 'puppy in City of Yarra' };
const searchHelp: Dossier['findings'][number] = {
  severity: 'problem',
  text: 'Not shown in search because …',
  actions: [{ kind: 'email', template: 'search_help' }],
};
/** Playbook 2 with an incomplete profile besides: the missed charge, then (after the sweep) the recovered payment a free slot waits for, then featured. */
const missed = facts({
  unrecorded: [{ chargeId: 'ch_9', paymentIntentId: null, amountCents: 2200, currency: 'aud', createdAt: '2026-03-01T00:00:00Z', status: 'succeeded' }],
  search: hidden,
  findings: [{ severity: 'problem', text: 'Stripe took $22.00 …', actions: [{ kind: 'recover' }, { kind: 'activate' }] }, searchHelp],
});
const recovered = facts({
  payments: [{ id: 'pay-9', amountCents: 2200, paidAt: '2026-03-01T00:00:00Z', standing: 'queued' } as Dossier['payments'][number]],
  queue: { paymentId: 'pay-9', paidAt: '2026-03-01T00:00:00Z', position: 0, eta: null, waitingInCouncil: 1, activeInCouncil: 4, slots: 5 },
  search: hidden,
  findings: [{ severity: 'problem', text: 'A featured slot is free …', actions: [{ kind: 'activate', paymentId: 'pay-9' }] }, searchHelp],
});
const featured = facts({
  featured: { placementId: 'fp-9', paymentId: 'pay-9', from: '2026-03-01T00:00:00Z', until: '2026-03-31T00:00:00Z' },
  search: hidden,
  findings: [searchHelp],
});
const waiting = facts({
  queue: { paymentId: 'pay-5', paidAt: '2026-03-01T00:00:00Z', position: 5, eta: '2026-04-01T00:00:00Z', waitingInCouncil: 7, activeInCouncil: 5, slots: 5 },
  findings: [{ severity: 'info', text: 'Waiting at position #5 …', actions: [{ kind: 'check_queue' }, { kind: 'email', template: 'queue_position_reply' }] }],
});
const applied = (id: string): CommandOutcome => ({ commandId: id, status: 'applied' });

describe('do what the findings say', () => {
  it('lists the steps before the click, then takes them in order with the dossier read again after each, and pre-fills the log line', async () => {
    // The server's dossier as each step leaves it: the activation names the payment the sweep recovered (unknown before it).
    let now = missed;
    const fake = createFakeApi({
      investigate: () => answer(now),
      recoverMissedPayments: () => {
        now = recovered;
        return { seen: 3, applied: 1, alreadyProcessed: 2 };
      },
      activateOrphan: () => {
        now = featured;
        return applied('cmd-a');
      },
      emailTrainer: () => applied('cmd-e'),
    });
    const store = createComplaintsStore(fake.api, createNoticesStore());
    await store.getState().open(complaint);
    expect(store.getState().plan()).toEqual([{ kind: 'recover' }, { kind: 'activate' }, { kind: 'email', template: 'search_help' }]);
    expect(store.getState().logLine).toBe('');

    await store.getState().doFindings();
    expect(fake.calls.map((c) => [c.method, ...c.args])).toEqual([
      ['investigate', 'b1'],
      ['recoverMissedPayments'],
      ['investigate', 'b1'],
      ['activateOrphan', 'pay-9'],
      ['investigate', 'b1'],
      ['emailTrainer', 'b1', 'search_help'],
      ['investigate', 'b1'],
    ]);
    const s = store.getState();
    expect(s.run?.steps.map((x) => [x.words, x.state])).toEqual([
      ['Recover the charges Stripe took that no webhook recorded (the missed-webhook sweep)', 'done'],
      ['Activate the placement of the recovered payment (this emails the trainer that it is active)', 'done'],
      ['Email jo@example.test what to complete and what to search for', 'done'],
    ]);
    expect(s).toMatchObject({ busy: false, error: null, done: 'Did what the findings say: 3 steps.', current: { id: 'c1' } });
    expect(s.logLine).toBe(
      'Webhook missed: recovered the charge from Stripe, activated the placement, emailed the trainer that it is active, emailed the search help: not shown because the business lists no behaviour issues.',
    );
    // The search help sent is not offered again, though the profile is still incomplete: nothing is left to do in one click.
    expect(s.plan()).toEqual([]);

    // The log line is the operator's to edit; closing sends what they wrote.
    fake.handlers.closeComplaint = () => applied('cmd-c');
    fake.handlers.complaints = () => [];
    store.getState().setLogLine(`${s.logLine} Trainer phoned back.`);
    await expect(store.getState().close(store.getState().logLine)).resolves.toBe(true);
    expect(fake.calls.at(-2)?.args).toEqual(['c1', `${s.logLine} Trainer phoned back.`]);
    expect(store.getState().logLine).toBe('');
  });

  it('stops at the first refusal, saying which step, and takes none after it', async () => {
    let now = missed;
    const fake = createFakeApi({
      investigate: () => answer(now),
      recoverMissedPayments: () => {
        now = recovered;
        return { seen: 1, applied: 1, alreadyProcessed: 0 };
      },
      activateOrphan: () => ({ commandId: 'cmd-a', status: 'rejected', reason: 'Sit Stay waits at position #1: activating it would jump the queue' }),
      emailTrainer: () => applied('cmd-e'),
    });
    const store = createComplaintsStore(fake.api, createNoticesStore());
    await store.getState().open(complaint);
    await store.getState().doFindings();
    expect(fake.calls.map((c) => c.method)).toEqual(['investigate', 'recoverMissedPayments', 'investigate', 'activateOrphan']);
    const s = store.getState();
    expect(s.run?.steps.map((x) => x.state)).toEqual(['done', 'failed', 'waiting']);
    expect(s).toMatchObject({
      busy: false,
      done: null,
      error:
        'Stopped at step 2 of 3, “Activate the placement of the recovered payment (this emails the trainer that it is active)”: refused: Sit Stay waits at position #1: activating it would jump the queue. The steps before it are done; the rest were not run.',
    });
    // Only what was done is in the log line.
    expect(s.logLine).toBe('Webhook missed: recovered the charge from Stripe.');
  });

  it('queue dispute: checks the order, then emails the position; an out-of-order queue stops it before the trainer is told', async () => {
    let outcome: 'in_order' | 'out_of_order' = 'out_of_order';
    const fake = createFakeApi({
      investigate: () => answer(waiting),
      checkQueue: () => ({ outcome, council: 'City of Yarra', message: outcome === 'in_order' ? undefined : 'Queue position out of order in City of Yarra' }),
      emailTrainer: () => applied('cmd-e'),
    });
    const store = createComplaintsStore(fake.api, createNoticesStore());
    await store.getState().open({ ...complaint, kind: 'queue_position' });
    await store.getState().doFindings();
    expect(fake.calls.map((c) => c.method)).toEqual(['investigate', 'checkQueue']);
    expect(store.getState().error).toMatch(
      /^Stopped at step 1 of 2, “Check the order of the City of Yarra queue \(the run stops here unless it is in payment order\)”: the queue is out of order/,
    );

    outcome = 'in_order';
    await store.getState().open({ ...complaint, id: 'c2', kind: 'queue_position' });
    const before = fake.calls.length;
    await store.getState().doFindings();
    expect(fake.calls.slice(before).map((c) => c.method)).toEqual(['checkQueue', 'investigate', 'emailTrainer', 'investigate']);
    expect(store.getState().logLine).toBe('Checked the queue order (in payment order), emailed the position #5 and its ETA.');
  });

  it('the steps taken one by one pre-fill the log line too, until the operator edits it', async () => {
    const fake = createFakeApi({ investigate: () => answer(facts({ search: hidden, findings: [searchHelp] })), emailTrainer: () => applied('cmd-e') });
    const store = createComplaintsStore(fake.api, createNoticesStore());
    await store.getState().open({ ...complaint, kind: 'not_in_search' });
    await store.getState().email('search_help');
    expect(store.getState().logLine).toBe('Emailed the search help: not shown because the business lists no behaviour issues.');
    store.getState().setLogLine('Profile incomplete; search help emailed');
    await store.getState().email('search_help');
    expect(store.getState().logLine).toBe('Profile incomplete; search help emailed');
    // Another complaint starts its own line.
    await store.getState().open({ ...complaint, id: 'c9' });
    expect(store.getState()).toMatchObject({ logLine: '', taken: [] });
  });
});
