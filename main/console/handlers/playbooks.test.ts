// The playbook runs from the console: opening one (online: the server
// answers the run's id, a resumed run's when one is open), its evidence and
// live checks (online reads: offline they say they need a connection), its
// steps and draft (queued and sent at once, so the run goes on offline) and
// its final report and archived files.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLE_INCIDENT, exampleEvidence, exampleSuggested } from '../../../shared/api/playbook-examples.ts';
import { finishIncident, openPlaybook, recordStep, updateIncident } from '../../../shared/commands/incidents.ts';
import { createWorld, failureOf, id, type World } from '../testing/world.ts';

let w: World;
beforeEach(() => {
  w = createWorld();
});
afterEach(() => w.close());

const alertId = id();

describe('opening a playbook', () => {
  it('answers the run the server opened, or the open one it resumed', async () => {
    await w.load();
    const resumed = id();
    w.server.judge = () => ({ status: 'applied', details: { incidentId: resumed, resumed: true } });
    const { outcome, incidentId } = await w.api.openPlaybook('zai_down', { kind: 'alert', id: alertId });
    expect(outcome).toMatchObject({ status: 'applied' });
    expect(incidentId).toBe(resumed);
    expect(w.server.received).toEqual([
      expect.objectContaining({
        type: openPlaybook.type,
        baseVersion: null,
        payload: { incidentId: expect.any(String), playbook: 'zai_down', signal: { kind: 'alert', id: alertId } },
      }),
    ]);
  });

  it('answers no run when the server refuses, in its words', async () => {
    await w.load();
    w.server.judge = () => ({ status: 'rejected', kind: 'invalid', reason: 'signal.id must be a uuid' });
    const { outcome, incidentId } = await w.api.openPlaybook('cron_failed', { kind: 'palette', id: null });
    expect(outcome).toMatchObject({ status: 'rejected', reason: 'signal.id must be a uuid' });
    expect(incidentId).toBeNull();
  });

  it('offline, says it needs a connection and queues nothing', async () => {
    await w.load();
    w.server.online = false;
    expect(await failureOf(() => w.api.openPlaybook('zai_down', { kind: 'palette', id: null }))).toMatchObject({
      kind: 'offline',
      message: expect.stringMatching(/^Opening the playbook needs a connection to the server/),
    });
    expect(await w.api.outbox()).toEqual([]);
  });
});

describe('the evidence and the live checks', () => {
  it('reads the run with its evidence for the run asked for', async () => {
    const evidence = exampleEvidence('zai_down');
    w.http.set('operator/playbook', evidence);
    expect(await w.api.playbook(EXAMPLE_INCIDENT)).toEqual(evidence);
    expect(w.httpCalls).toEqual([{ path: 'operator/playbook', body: { incidentId: EXAMPLE_INCIDENT } }]);
  });

  it.each([
    ['triageCheck', 'operator/playbook/triage-check', { at: '2026-11-26T03:45:00Z', mode: 'deterministic', cases: [], allOk: true }],
    ['webhookHealth', 'operator/playbook/webhook-health', { at: '2026-11-26T03:45:00Z', ok: true, status: 200, ms: 84, answer: '{"received":true}' }],
  ] as const)('%s runs the live check on the server for the run', async (method, path, answer) => {
    w.http.set(path, answer);
    expect(await w.api[method](EXAMPLE_INCIDENT)).toEqual(answer);
    expect(w.httpCalls).toEqual([{ path, body: { incidentId: EXAMPLE_INCIDENT } }]);
  });

  it("probeZai reads the server's probe answer and gives the check; no call made says why", async () => {
    const check = { at: '2026-11-26T03:45:00Z', ok: true, latencyMs: 640, error: null };
    w.http.set('operator/playbook/probe-zai', { probed: true, reason: null, lastCheck: check });
    expect(await w.api.probeZai(EXAMPLE_INCIDENT)).toEqual(check);
    expect(w.httpCalls).toEqual([{ path: 'operator/playbook/probe-zai', body: { incidentId: EXAMPLE_INCIDENT } }]);
    w.http.set('operator/playbook/probe-zai', { probed: false, reason: 'Z.AI is not configured (no ZAI_API_KEY): there is nothing to probe', lastCheck: null });
    expect(await failureOf(() => w.api.probeZai(EXAMPLE_INCIDENT))).toMatchObject({
      kind: 'server',
      message: expect.stringMatching(/Z\.AI was not re-tested: Z\.AI is not configured/),
    });
  });

  it('says plainly when the server answers evidence this console cannot read', async () => {
    w.http.set('operator/playbook', { readAt: 'now' });
    expect(await failureOf(() => w.api.playbook(EXAMPLE_INCIDENT))).toMatchObject({
      kind: 'server',
      message: expect.stringMatching(/^Reading the playbook evidence failed: the server's playbook evidence answer is not in the shape/),
    });
  });

  it('offline, each says it needs a connection', async () => {
    w.server.online = false;
    expect(await failureOf(() => w.api.playbook(EXAMPLE_INCIDENT))).toMatchObject({
      kind: 'offline',
      message: expect.stringMatching(/^Reading the playbook evidence needs a connection to the server/),
    });
    expect(await failureOf(() => w.api.triageCheck(EXAMPLE_INCIDENT))).toMatchObject({ kind: 'offline' });
  });
});

describe('a step', () => {
  it('is recorded done with the command its action sent, in one push and one pull', async () => {
    await w.load();
    const action = id();
    const outcome = await w.api.recordStep(EXAMPLE_INCIDENT, 'switch', 'done', 'Switched to deterministic', action);
    expect(outcome).toEqual({ commandId: outcome.commandId, status: 'applied' });
    expect(w.server.requests).toEqual(['push', 'pull']);
    expect(w.server.received).toEqual([
      expect.objectContaining({
        type: recordStep.type,
        payload: { incidentId: EXAMPLE_INCIDENT, step: 'switch', outcome: 'done', note: 'Switched to deterministic', commandId: action },
      }),
    ]);
  });

  it('skipped, needs a reason: refused here, nothing queued', async () => {
    await w.load();
    expect(await failureOf(() => w.api.recordStep(EXAMPLE_INCIDENT, 'notify', 'skipped', '  ', undefined))).toMatchObject({
      kind: 'invalid',
      message: 'A skipped step needs a reason: say why it was skipped.',
    });
    expect(await w.api.outbox()).toEqual([]);
  });

  it('offline, is queued under its words and sent when the console is back', async () => {
    await w.load();
    w.server.online = false;
    const outcome = await w.api.recordStep(EXAMPLE_INCIDENT, 'notify', 'skipped', 'Told them by phone', undefined);
    expect(outcome).toEqual({ commandId: outcome.commandId, status: 'queued' });
    expect(await w.api.outbox()).toEqual([expect.objectContaining({ commandId: outcome.commandId, label: 'Skip playbook step "notify"' })]);
    w.server.online = true;
    w.time.now += 60_000;
    await w.api.syncNow();
    expect(w.server.received.map((c) => c.id)).toEqual([outcome.commandId]);
    expect(await w.api.outbox()).toEqual([]);
  });
});

describe('the report', () => {
  const fields = exampleSuggested({ resolution: 'Z.AI answered again; switched back at 3:20 pm AEDT.' });

  it('a draft is saved at the version the screen showed', async () => {
    await w.load();
    const outcome = await w.api.saveReport(EXAMPLE_INCIDENT, 3, fields);
    expect(outcome).toMatchObject({ status: 'applied' });
    expect(w.server.received).toEqual([
      expect.objectContaining({ type: updateIncident.type, baseVersion: 3, payload: { incidentId: EXAMPLE_INCIDENT, fields } }),
    ]);
  });

  it('a stale draft is refused in the server words', async () => {
    await w.load();
    w.server.judge = () => ({ status: 'rejected', kind: 'stale', reason: 'the report is final; a final report is not edited' });
    expect(await w.api.saveReport(EXAMPLE_INCIDENT, 3, fields)).toMatchObject({
      status: 'rejected',
      reason: 'the report is final; a final report is not edited',
    });
  });

  it('is finished online at its version; offline it says so and queues nothing', async () => {
    await w.load();
    expect(await w.api.finishReport(EXAMPLE_INCIDENT, 4, fields)).toMatchObject({ status: 'applied' });
    expect(w.server.received).toEqual([
      expect.objectContaining({ type: finishIncident.type, baseVersion: 4, payload: { incidentId: EXAMPLE_INCIDENT, fields } }),
    ]);
    w.server.online = false;
    expect(await failureOf(() => w.api.finishReport(EXAMPLE_INCIDENT, 5, fields))).toMatchObject({
      kind: 'offline',
      message: expect.stringMatching(/^Finishing the incident report needs a connection/),
    });
    expect(await w.api.outbox()).toEqual([]);
  });

  it('hands over the archived file when its bytes match the archived SHA-256, and refuses it otherwise', async () => {
    const text = Buffer.from('INCIDENT REPORT\nZ.AI down for 42 minutes\n');
    const sha256 = createHash('sha256').update(text).digest('hex');
    const file = { fileName: 'incident_2026-11-26_zai_down.txt', mimeType: 'text/plain', base64: text.toString('base64'), sha256 };
    w.http.set('operator/incident-file', file);
    expect(await w.api.incidentFile(EXAMPLE_INCIDENT, 'txt')).toEqual(file);
    expect(w.httpCalls).toEqual([{ path: 'operator/incident-file', body: { incidentId: EXAMPLE_INCIDENT, format: 'txt' } }]);

    w.http.set('operator/incident-file', { ...file, sha256: 'f'.repeat(64) });
    expect(await failureOf(() => w.api.incidentFile(EXAMPLE_INCIDENT, 'txt'))).toMatchObject({
      kind: 'server',
      message: 'the TXT of incident_2026-11-26_zai_down.txt does not match its archived SHA-256; not saved',
    });
  });
});
