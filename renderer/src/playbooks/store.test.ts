// The playbook run on screen, against a fake API: opened from a signal and
// shown, a step's action followed by the step recorded with its command,
// offline the run going on (steps marked waiting, the last evidence kept and
// said so), a skip needing its reason, and the report saved at the run's
// version, finished, and its file fetched.
import { describe, expect, it } from 'vitest';
import { EXAMPLE_INCIDENT, exampleEvidence, exampleRun, exampleSuggested, zaiFacts } from '../../../shared/api/playbook-examples.ts';
import type { PlaybookEvidence } from '../../../shared/api/playbooks.ts';
import { ConsoleError } from '../../../shared/ipc/result.ts';
import { createFakeApi, type FakeHandlers } from '../bridge/fake.ts';
import { createPlaybooksStore } from './store.ts';

const OFFLINE = 'Reading the playbook evidence needs a connection to the server (it reads the live records), and you are offline.';

function world(handlers: FakeHandlers = {}) {
  const state = { evidence: exampleEvidence('zai_down') as PlaybookEvidence, online: true };
  const fake = createFakeApi({
    openPlaybook: () => ({
      outcome: { commandId: 'open-1', status: 'applied', details: { incidentId: EXAMPLE_INCIDENT, resumed: false } },
      incidentId: EXAMPLE_INCIDENT,
    }),
    playbook: () => {
      if (!state.online) throw new ConsoleError('offline', OFFLINE);
      return state.evidence;
    },
    setAiMode: () => ({ commandId: 'mode-1', status: 'applied' }),
    recordStep: (_id, step, outcome) => {
      if (!state.online) return { commandId: `step-${step}`, status: 'queued' };
      const run = state.evidence.run;
      state.evidence = {
        ...state.evidence,
        run: { ...run, steps: run.steps.map((s) => (s.id === step ? { ...s, status: outcome, at: '2026-11-26T03:50:00Z' } : s)) },
      };
      return { commandId: `step-${step}`, status: 'applied' };
    },
    ...handlers,
  });
  const store = createPlaybooksStore(fake.api);
  return { fake, store, state, methods: () => fake.calls.map((c) => c.method) };
}

describe('opening a run', () => {
  it('opens it from its alert, shows the run the server answered and reads its evidence', async () => {
    const w = world();
    const alertId = '1b1c2a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0a';
    expect(await w.store.getState().open('zai_down', { kind: 'alert', id: alertId })).toBe(EXAMPLE_INCIDENT);
    expect(w.fake.calls[0]!.args).toEqual(['zai_down', { kind: 'alert', id: alertId }]);
    expect(w.fake.calls[1]).toEqual({ method: 'playbook', args: [EXAMPLE_INCIDENT] });
    expect(w.store.getState()).toMatchObject({ incidentId: EXAMPLE_INCIDENT, evidence: w.state.evidence, readError: null });
  });

  it("says the server's reason when it refuses, and shows no run", async () => {
    const w = world({ openPlaybook: () => ({ outcome: { commandId: 'x', status: 'rejected', reason: 'signal.id must be a uuid' }, incidentId: null }) });
    expect(await w.store.getState().open('cron_failed', { kind: 'palette', id: null })).toBeNull();
    expect(w.store.getState()).toMatchObject({ incidentId: null, error: 'Refused: signal.id must be a uuid' });
    expect(w.methods()).toEqual(['openPlaybook']);
  });
});

describe('a step', () => {
  it("switches the mode, then records the step with the switch's command", async () => {
    const w = world();
    await w.store.getState().show(EXAMPLE_INCIDENT);
    expect(await w.store.getState().switchMode('switch', 'deterministic')).toBe(true);
    expect(w.methods()).toEqual(['playbook', 'setAiMode', 'recordStep', 'playbook']);
    expect(w.fake.calls[1]!.args).toEqual(['deterministic']);
    expect(w.fake.calls[2]!.args).toEqual([EXAMPLE_INCIDENT, 'switch', 'done', 'Switched emergency triage to deterministic', 'mode-1']);
    expect(w.store.getState().evidence!.run.steps.find((s) => s.id === 'switch')).toMatchObject({ status: 'done' });
    expect(w.store.getState()).toMatchObject({ done: 'Switched emergency triage to deterministic', error: null, busy: false });
  });

  it('a refused action records no step and says why', async () => {
    const w = world({ setAiMode: () => ({ commandId: 'mode-2', status: 'rejected', reason: 'the mode is already deterministic' }) });
    await w.store.getState().show(EXAMPLE_INCIDENT);
    expect(await w.store.getState().switchMode('switch', 'deterministic')).toBe(false);
    expect(w.methods()).toEqual(['playbook', 'setAiMode']);
    expect(w.store.getState().error).toBe('Refused: the mode is already deterministic');
  });

  it('offline: the step waits to sync, marked here, the last evidence stays and says when it was read', async () => {
    const w = world({ emailTrainer: () => ({ commandId: 'mail-1', status: 'queued' }) });
    await w.store.getState().show(EXAMPLE_INCIDENT);
    w.state.online = false;
    await w.store.getState().complete('notify', 'Told the product team');
    expect(w.store.getState().waiting).toEqual({ notify: { outcome: 'done', note: 'Told the product team' } });
    expect(w.store.getState().done).toBe('Step recorded. Queued: sent when the connection is back.');
    await w.store.getState().load();
    expect(w.store.getState()).toMatchObject({ readError: OFFLINE, evidence: { readAt: '2026-11-26T03:42:00.000Z' } });

    // Back online: once the server shows the step recorded it no longer waits here.
    w.state.online = true;
    w.state.evidence = exampleEvidence('zai_down', {
      run: { steps: exampleRun().steps.map((s) => (s.id === 'notify' ? { ...s, status: 'done' as const, at: '2026-11-26T04:00:00Z' } : s)) },
    });
    await w.store.getState().load();
    expect(w.store.getState()).toMatchObject({ waiting: {}, readError: null });
  });

  it('a skip needs a reason; with one, it is recorded skipped', async () => {
    const w = world();
    await w.store.getState().show(EXAMPLE_INCIDENT);
    w.store.getState().askSkip('notify');
    expect(await w.store.getState().skip('   ')).toBe(false);
    expect(w.methods()).toEqual(['playbook']);
    expect(await w.store.getState().skip('Told them by phone')).toBe(true);
    expect(w.fake.calls[1]!.args).toEqual([EXAMPLE_INCIDENT, 'notify', 'skipped', 'Told them by phone', undefined]);
    expect(w.store.getState()).toMatchObject({ skipping: null, done: 'Step skipped.' });
  });

  it('runs the four cases live and records step 3 with how many answered as expected', async () => {
    const check = {
      at: '2026-11-26T03:55:00Z',
      mode: 'deterministic',
      cases: [
        { text: 'Bleeding from paw', expected: 'medical', got: 'medical', source: 'rules', ok: true, error: null },
        { text: "Won't listen", expected: 'normal', got: 'crisis', source: 'rules', ok: false, error: null },
      ],
      allOk: false,
    };
    const w = world({ triageCheck: () => check });
    await w.store.getState().show(EXAMPLE_INCIDENT);
    await w.store.getState().runTriage('test');
    expect(w.store.getState().triage).toEqual(check);
    expect(w.fake.calls.find((c) => c.method === 'recordStep')!.args).toEqual([
      EXAMPLE_INCIDENT,
      'test',
      'done',
      '1 of 2 cases as expected in deterministic mode',
      undefined,
    ]);
  });

  it('the probe reads the evidence again: recovery shows when Z.AI answers', async () => {
    const w = world({ probeZai: () => ({ at: '2026-11-26T04:10:00Z', ok: true, latencyMs: 640, error: null }) });
    await w.store.getState().show(EXAMPLE_INCIDENT);
    w.state.evidence = exampleEvidence('zai_down', { facts: zaiFacts({ mode: 'deterministic', recovered: true }) });
    await w.store.getState().probeZai();
    expect(w.store.getState().probe).toMatchObject({ ok: true, latencyMs: 640 });
    expect(w.store.getState().evidence!.facts).toMatchObject({ recovered: true });
  });
});

describe('the report', () => {
  const fields = exampleSuggested({ resolution: 'Switched back at 3:20 pm AEDT' });

  it('saves the draft at the version shown, then finishes it and reads the run again as final', async () => {
    const w = world({
      saveReport: () => ({ commandId: 'save-1', status: 'applied' }),
      finishReport: () => {
        w.state.evidence = exampleEvidence('zai_down', { run: { status: 'final', version: 3 } });
        return { commandId: 'fin-1', status: 'applied' };
      },
    });
    w.state.evidence = exampleEvidence('zai_down', { run: { version: 2 } });
    await w.store.getState().show(EXAMPLE_INCIDENT);
    expect(await w.store.getState().saveReport(fields)).toBe(true);
    expect(w.fake.calls[1]!.args).toEqual([EXAMPLE_INCIDENT, 2, fields]);
    expect(await w.store.getState().finishReport(fields)).toBe(true);
    expect(w.store.getState().evidence!.run).toMatchObject({ status: 'final', version: 3 });
    expect(w.store.getState().done).toBe('The report is final and archived');
  });

  it('offline, the draft waits to sync (said so) and finishing says it needs a connection', async () => {
    const w = world({
      saveReport: () => ({ commandId: 'save-2', status: 'queued' }),
      finishReport: () => {
        throw new ConsoleError('offline', 'Finishing the incident report needs a connection to the server, and you are offline.');
      },
    });
    await w.store.getState().show(EXAMPLE_INCIDENT);
    expect(await w.store.getState().saveReport(fields)).toBe(true);
    expect(w.store.getState().done).toBe('Draft saved here. Queued: sent when the connection is back.');
    expect(await w.store.getState().finishReport(fields)).toBe(false);
    expect(w.store.getState().error).toMatch(/^Finishing the incident report needs a connection/);
  });

  it('fetches a final report file and says its SHA-256', async () => {
    const file = { fileName: 'incident_2026-11-26_zai_down.txt', mimeType: 'text/plain', base64: 'SU5DSURFTlQ=', sha256: 'a'.repeat(64) };
    const w = world({ incidentFile: () => file });
    expect(await w.store.getState().file(EXAMPLE_INCIDENT, 'txt')).toEqual(file);
    expect(w.store.getState().done).toBe(`Saved incident_2026-11-26_zai_down.txt (SHA-256 ${'a'.repeat(64)})`);
  });
});
