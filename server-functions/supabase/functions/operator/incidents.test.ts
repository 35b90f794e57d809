// Incident reports as playbook runs (spec Part 4) on the real database: a run
// opened from its signal once and resumed after; steps done (with their
// action's verdict) or skipped with a reason; the draft saved at the version
// the operator saw; the Z.AI playbook's timeline and pre-filled report from
// a planted outage (the alert, 300 triage calls answered without Z.AI, its
// recovery, the alert resolved); finished: final, archived as text and PDF
// with their SHA-256 in the audit entry, and append-only from then on.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult, PullResponse } from '../../../../shared/api/operator.ts';
import type { IncidentFile, PlaybookRun } from '../../../../shared/api/playbooks.ts';
import { startStripeDouble, type StripeDouble } from '../../../local/doubles/stripe.ts';
import { signJwt } from '../../../local/stack/keys.ts';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { createBusiness, createCouncil, createPerson } from '../../../test/fixtures.ts';
import { hs256Verifier } from '../_shared/auth.ts';
import { createStripe } from '../_shared/stripe.ts';
import { createOperatorHandler } from './handler.ts';

const SECRET = 'incidents-test-secret';
let db: TestDatabase;
let stripeDouble: StripeDouble;
let handler: ReturnType<typeof createOperatorHandler>;
let alex: string;
let opToken: string;
let trainerToken: string;

beforeAll(async () => {
  db = await freshDatabase();
  stripeDouble = await startStripeDouble();
  handler = createOperatorHandler({ sql: db.sql, verifier: hs256Verifier(SECRET), stripe: createStripe('sk_test_double', stripeDouble.url) });
  const claims = (sub: string, role: string) => ({ sub, aud: 'authenticated', role: 'authenticated', app_metadata: { role } });
  alex = await createPerson(db.sql, { profileRole: 'operator' });
  await db.sql`update public.profiles set display_name = 'Alex Operator' where id = ${alex}`;
  opToken = await signJwt(SECRET, claims(alex, 'operator'), 600);
  trainerToken = await signJwt(SECRET, claims(await createPerson(db.sql), 'trainer'), 600);
});
afterAll(async () => {
  await stripeDouble?.close();
  await db?.drop();
});

const call = (path: string, body: unknown, token = opToken) =>
  handler(
    new Request(`http://x/operator${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
const cmd = (type: string, payload: Record<string, unknown>, baseVersion: number | null = null) => ({
  id: randomUUID(),
  type,
  payload,
  baseVersion,
  decidedAt: new Date().toISOString(),
});
async function push(...commands: ReturnType<typeof cmd>[]) {
  const res = await call('/push', { commands });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: (CommandResult & { details?: Record<string, unknown>; kind?: string; reason?: string })[] }).results;
}
async function readRun(incidentId: string) {
  const res = await call('/incident', { incidentId });
  expect(res.status).toBe(200);
  return (await res.json()) as PlaybookRun;
}
const minutes = (m: number) => new Date(Date.now() + m * 60_000);
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A Z.AI outage as the health checks leave it: failing since 45 minutes ago, the alert raised 40 minutes ago. */
async function plantZaiOutage() {
  const failingSince = minutes(-45);
  const [alert] = await db.sql<{ id: string }[]>`
    insert into public.alerts (severity, kind, subject, message, details, opened_at)
    values ('RED', 'zai_down', 'z_ai', 'Z.AI failing for 40 minutes', ${db.sql.json({ failing_since: failingSince.toISOString(), failed_calls: 12 })}, ${minutes(-40)})
    returning id`;
  // A good answer before the outage is not a recovery.
  await db.sql`insert into public.ai_provider_health (provider, checked_at, ok, latency_ms) values ('z_ai', ${minutes(-50)}, true, 300)`;
  await db.sql`insert into public.ai_provider_health (provider, checked_at, ok, error) values ('z_ai', ${failingSince}, false, 'timeout')`;
  // 200 calls fell back while the mode was still z_ai, 100 answered by the deterministic rules after the switch: 300 Z.AI calls avoided.
  await db.sql`insert into public.triage_logs (occurred_at, provider, category, latency_ms, fell_back, error)
               select ${minutes(-44)}::timestamptz + make_interval(secs => g), 'z_ai', 'normal', 5000, true, 'timeout' from generate_series(1, 200) g`;
  await db.sql`insert into public.triage_logs (occurred_at, provider, category, latency_ms)
               select ${minutes(-10)}::timestamptz + make_interval(secs => g), 'deterministic', 'normal', 3 from generate_series(1, 100) g`;
  // Not avoided: Z.AI answering before the outage, and calls after it was resolved.
  await db.sql`insert into public.triage_logs (occurred_at, provider, category, latency_ms, cost_cents) values (${minutes(-55)}, 'z_ai', 'medical', 400, 0.1)`;
  await db.sql`insert into public.triage_logs (occurred_at, provider, category, latency_ms) values (${minutes(30)}, 'deterministic', 'stray', 3)`;
  return { alertId: alert!.id, failingSince };
}

describe('an incident report as a playbook run', () => {
  let zai: { alertId: string; failingSince: Date };
  let runId: string;

  it('opens once from its signal and resumes the open run when opened again', async () => {
    zai = await plantZaiOutage();
    runId = randomUUID();
    const [first] = await push(cmd('incident.open', { incidentId: runId, playbook: 'zai_down', signal: { kind: 'alert', id: zai.alertId } }));
    expect(first).toMatchObject({ status: 'applied', details: { incidentId: runId, resumed: false } });
    const [again] = await push(cmd('incident.open', { incidentId: randomUUID(), playbook: 'zai_down', signal: { kind: 'palette', id: null } }));
    expect(again).toMatchObject({ status: 'applied', details: { incidentId: runId, resumed: true } });
    expect(await db.sql`select id, status, version, title, severity, signal_kind from public.incidents where playbook = 'zai_down'`).toEqual([
      // Titled by the playbook and when its alert opened, Melbourne time (the alert's words go to Detection); the alert's severity.
      {
        id: runId,
        status: 'draft',
        version: 1,
        title: expect.stringMatching(/^Z\.AI down, \d{1,2} [A-Z][a-z]{2} \d{4}, \d{1,2}:\d{2}\s?[ap]m$/),
        severity: 'RED',
        signal_kind: 'alert',
      },
    ]);
    const pulled = (await (await call('/pull', { cursor: null })).json()) as PullResponse;
    expect(pulled.incidents.find((i) => i.id === runId)).toMatchObject({ status: 'draft', playbook: 'zai_down', version: 1 });
  });

  it('refuses a signal that does not exist or opens another playbook', async () => {
    const missing = randomUUID();
    const council = await createCouncil(db.sql, 'yarra');
    const owner = await createPerson(db.sql);
    const business = await createBusiness(db.sql, owner, council, { name: 'Alpha Dogs' });
    const [complaint] = await db.sql<{ id: string }[]>`
      insert into public.complaints (business_id, filed_by, kind, message) values (${business}, ${owner}, 'not_featured', 'I paid but I am not featured') returning id`;
    const results = await push(
      cmd('incident.open', { incidentId: randomUUID(), playbook: 'cron_failed', signal: { kind: 'alert', id: missing } }),
      cmd('incident.open', { incidentId: randomUUID(), playbook: 'queue_dispute', signal: { kind: 'complaint', id: missing } }),
      cmd('incident.open', { incidentId: randomUUID(), playbook: 'cron_failed', signal: { kind: 'alert', id: zai.alertId } }),
      cmd('incident.open', { incidentId: randomUUID(), playbook: 'queue_dispute', signal: { kind: 'complaint', id: complaint!.id } }),
    );
    expect(results.map((r) => [r.status, r.kind])).toEqual([
      ['rejected', 'not_found'],
      ['rejected', 'not_found'],
      ['rejected', 'refused'],
      ['rejected', 'refused'],
    ]);
    expect(results[0]!.reason).toBe(`alert ${missing} does not exist`);
    expect(results[2]!.reason).toMatch(/zai_down alert; the "Daily job failed all attempts" playbook opens from cron_failed alerts/);
    expect(results[3]!.reason).toMatch(/not_featured complaint; the "Queue position dispute" playbook opens from queue_position complaints/);
    expect(await db.sql`select 1 from public.incidents where playbook in ('cron_failed', 'queue_dispute')`).toHaveLength(0);
  });

  it('records steps done with their action’s verdict, or skipped with a reason; refuses a skip without one and an unknown step', async () => {
    const bad = await push(
      cmd('incident.step', { incidentId: runId, step: 'notify', outcome: 'skipped' }),
      cmd('incident.step', { incidentId: runId, step: 'fly', outcome: 'done' }),
    );
    expect(bad[0]).toMatchObject({ status: 'rejected', kind: 'invalid', reason: 'malformed incident.step payload: note a skipped step needs a reason' });
    expect(bad[1]).toMatchObject({
      status: 'rejected',
      kind: 'invalid',
      reason: 'step "fly" is not a step of the "Z.AI down" playbook; its steps are confirm, switch, test, notify, recover, report',
    });
    expect(await db.sql`select 1 from public.incident_steps`).toHaveLength(0);

    const mode = cmd('ai_mode.set', { mode: 'deterministic' });
    const results = await push(
      cmd('incident.step', { incidentId: runId, step: 'confirm', outcome: 'done', note: 'failing 45 minutes: switch to deterministic' }),
      mode,
      cmd('incident.step', { incidentId: runId, step: 'switch', outcome: 'done', commandId: mode.id }),
      cmd('incident.step', { incidentId: runId, step: 'notify', outcome: 'skipped', note: 'the product team is on leave; told by email' }),
    );
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(await db.sql`select step, outcome, command_label, command_status from public.incident_steps order by id`).toEqual([
      { step: 'confirm', outcome: 'done', command_label: null, command_status: null },
      { step: 'switch', outcome: 'done', command_label: 'Switch the AI mode to deterministic', command_status: 'applied' },
      { step: 'notify', outcome: 'skipped', command_label: null, command_status: null },
    ]);
    const run = await readRun(runId);
    expect(run.steps.map((s) => [s.id, s.status])).toEqual([
      ['confirm', 'done'],
      ['switch', 'done'],
      ['test', 'todo'],
      ['notify', 'skipped'],
      ['recover', 'todo'],
      ['report', 'todo'],
    ]);
    expect(run.steps[3]!.reason).toBe('the product team is on leave; told by email');
  });

  it('saves the draft at the version the operator saw, and refuses a stale one or an end before the start', async () => {
    const run = await readRun(runId);
    const fields = { ...run.suggested, rootCause: 'Z.AI API degradation (their status page said so)' };
    const [saved] = await push(cmd('incident.update', { incidentId: runId, fields }, 1));
    expect(saved).toMatchObject({ status: 'applied', details: { incidentId: runId, version: 2 } });
    const [stale] = await push(cmd('incident.update', { incidentId: runId, fields }, 1));
    expect(stale).toMatchObject({ status: 'rejected', kind: 'stale', current: { status: 'draft', version: 2 } });
    expect(stale!.reason).toMatch(/you saw version 1, it is now 2/);
    const [backwards] = await push(
      cmd('incident.update', { incidentId: runId, fields: { ...fields, resolvedAt: new Date(zai.failingSince.getTime() - 60_000).toISOString() } }, 2),
    );
    expect(backwards).toMatchObject({ status: 'rejected', kind: 'invalid', reason: 'fields.resolvedAt must not be before fields.startedAt' });
    expect((await readRun(runId)).report).toMatchObject({ rootCause: 'Z.AI API degradation (their status page said so)' });
    expect((await db.sql`select version from public.incidents where id = ${runId}`)[0]!.version).toBe(2);
  });

  it('builds the timeline from what happened and pre-fills the report from it', async () => {
    // Z.AI answers again (the probe's record), then the health check resolves the alert.
    await db.sql`insert into public.ai_provider_health (provider, checked_at, ok, latency_ms) values ('z_ai', ${minutes(5)}, true, 412)`;
    await db.sql`insert into public.ai_provider_health (provider, checked_at, ok, latency_ms) values ('z_ai', ${minutes(7)}, true, 380)`;
    await db.sql`update public.alerts set resolved_at = ${minutes(6)} where id = ${zai.alertId}`;
    const run = await readRun(runId);
    expect(run.timeline.map((e) => [e.kind, e.step])).toEqual([
      ['alert_opened', null],
      ['opened', null],
      ['step', 'confirm'],
      ['action', 'switch'],
      ['step', 'switch'],
      ['step', 'notify'],
      ['recovery', null],
      ['alert_resolved', null],
    ]);
    const texts = run.timeline.map((e) => e.text);
    expect(texts[0]).toMatch(/^RED alert opened: Z\.AI failing for 40 minutes \(Z\.AI failing since \d{4}-\d\d-\d\d \d\d:\d\d AE[DS]T\)$/);
    expect(texts[1]).toBe('Playbook 4.1 "Z.AI down" opened by Alex Operator');
    expect(texts[3]).toBe('Switch the AI mode to deterministic — applied');
    expect(texts[5]).toBe('Step 4 "Tell the product team" skipped: the product team is on leave; told by email');
    expect(texts[6]).toBe('Z.AI answered well again (412 ms)');
    expect(run.suggested).toEqual({
      title: run.report.title,
      startedAt: zai.failingSince.toISOString(),
      resolvedAt: run.timeline[7]!.at,
      rootCause: 'Z.AI API degradation',
      detection: 'Dashboard alert: Z.AI failing for 40 minutes',
      response: [
        '- Confirm how long Z.AI has been failing: done (failing 45 minutes: switch to deterministic)',
        '- Switch the AI mode: done, Switch the AI mode to deterministic — applied',
        '- Tell the product team: skipped (the product team is on leave; told by email)',
      ].join('\n'),
      resolution: 'Z.AI recovered, switched back',
      userImpact: 'None (transparent fallback)',
      costImpact: '-$0.30 (saved 300 Z.AI calls × $0.001)',
    });
  });

  it('finishes the report: final, archived as text and PDF with their SHA-256 in the audit entry', async () => {
    const run = await readRun(runId);
    const [finished] = await push(cmd('incident.finish', { incidentId: runId, fields: run.suggested }, run.version));
    expect(finished!.status).toBe('applied');
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Melbourne' }).format(zai.failingSince);
    const details = finished!.details as { textName: string; textSha256: string; pdfName: string; pdfSha256: string };
    expect(details).toMatchObject({ incidentId: runId, textName: `incident_${day}_z-ai-down.txt`, pdfName: `incident_${day}_z-ai-down.pdf` });
    expect(await db.sql`select status, finalized_by, report_text_sha256, report_pdf_sha256 from public.incidents where id = ${runId}`).toEqual([
      { status: 'final', finalized_by: alex, report_text_sha256: details.textSha256, report_pdf_sha256: details.pdfSha256 },
    ]);
    const [audit] = await db.sql<{ details: { after: Record<string, string> } }[]>`
      select details from public.audit_log where action = 'command.incident.finish' and subject_id = ${runId}`;
    expect(audit!.details.after).toMatchObject({ status: 'final', text_sha256: details.textSha256, pdf_sha256: details.pdfSha256 });

    const text = await call('/incident-file', { incidentId: runId, format: 'txt' });
    expect(text.status).toBe(200);
    const txt = (await text.json()) as IncidentFile;
    const bytes = Buffer.from(txt.base64, 'base64');
    expect({ name: txt.fileName, sha: sha(bytes), stored: txt.sha256 }).toEqual({
      name: details.textName,
      sha: details.textSha256,
      stored: details.textSha256,
    });
    const body = bytes.toString('utf8');
    expect(body).toMatch(/^INCIDENT REPORT: Z\.AI down, \d{1,2} [A-Z][a-z]{2} \d{4}, /m);
    for (const line of [
      'Root cause: Z.AI API degradation',
      'Detection: Dashboard alert: Z.AI failing for 40 minutes',
      'User impact: None (transparent fallback)',
      'Cost impact: -$0.30 (saved 300 Z.AI calls × $0.001)',
      'Duration: 51 minutes',
      'TIMELINE (Melbourne time)',
    ]) {
      expect(body).toContain(line);
    }
    expect(body).toMatch(/Start time: \d{4}-\d\d-\d\d \d\d:\d\d AE[DS]T/);
    expect(body).toMatch(/\d\d:\d\d AE[DS]T {2}Report finished by Alex Operator\n/);

    const pdf = (await (await call('/incident-file', { incidentId: runId, format: 'pdf' })).json()) as IncidentFile;
    const pdfBytes = Buffer.from(pdf.base64, 'base64');
    expect({ type: pdf.mimeType, magic: pdfBytes.subarray(0, 5).toString(), sha: sha(pdfBytes) }).toEqual({
      type: 'application/pdf',
      magic: '%PDF-',
      sha: details.pdfSha256,
    });

    const after = await readRun(runId);
    expect({
      status: after.status,
      report: after.steps.at(-1)!.status,
      files: after.files,
      final: after.timeline.find((e) => e.kind === 'final')?.text,
    }).toEqual({
      status: 'final',
      report: 'done',
      files: { textName: details.textName, textSha256: details.textSha256, pdfName: details.pdfName, pdfSha256: details.pdfSha256 },
      final: 'Report finished by Alex Operator',
    });
  });

  it('keeps a final report append-only: commands are refused and the database refuses a direct change', async () => {
    const run = await readRun(runId);
    const results = await push(
      cmd('incident.update', { incidentId: runId, fields: run.suggested }, run.version),
      cmd('incident.finish', { incidentId: runId, fields: run.suggested }, run.version),
      cmd('incident.step', { incidentId: runId, step: 'report', outcome: 'done' }),
      cmd('incident.write', { incidentId: runId, title: 'Rewritten', severity: 'YELLOW', kind: 'zai_down', startedAt: new Date().toISOString() }),
    );
    expect(results.map((r) => [r.status, r.kind])).toEqual([
      ['rejected', 'refused'],
      ['rejected', 'refused'],
      ['rejected', 'refused'],
      ['rejected', 'refused'],
    ]);
    expect(results[0]!.reason).toBe(`incident report ${runId} is final and append-only; it can no longer change`);
    expect(results[3]!.reason).toBe(`incident report ${runId} is final and append-only; write a new report instead`);
    await expect(db.sql`update public.incidents set title = 'Rewritten' where id = ${runId}`).rejects.toThrow(/is final and append-only: UPDATE refused/);
    await expect(db.sql`delete from public.incidents where id = ${runId}`).rejects.toThrow(/is final and append-only: DELETE refused/);
    await expect(db.sql`update public.incident_steps set note = 'changed'`).rejects.toThrow(/append-only/);
    // The playbook is free again: opening it starts a new run.
    const next = randomUUID();
    const [opened] = await push(cmd('incident.open', { incidentId: next, playbook: 'zai_down', signal: { kind: 'palette', id: null } }));
    expect(opened).toMatchObject({ status: 'applied', details: { incidentId: next, resumed: false } });
  });

  it('writes a report without a playbook as final, and never overwrites it', async () => {
    const id = randomUUID();
    const write = (title: string) =>
      cmd('incident.write', { incidentId: id, title, severity: 'YELLOW', kind: 'stripe_slow', startedAt: new Date().toISOString() });
    const [first] = await push(write('Stripe slow'));
    expect(first!.status).toBe('applied');
    const [second] = await push(write('Stripe slow, rewritten'));
    expect(second).toMatchObject({ status: 'rejected', kind: 'refused', reason: `incident report ${id} is final and append-only; write a new report instead` });
    expect(await db.sql`select title, status, playbook from public.incidents where id = ${id}`).toEqual([
      { title: 'Stripe slow', status: 'final', playbook: null },
    ]);
    // It has no run and no archived files.
    expect((await call('/incident', { incidentId: id })).status).toBe(404);
    expect((await call('/incident-file', { incidentId: id, format: 'txt' })).status).toBe(409);
  });
});

describe('the incident routes', () => {
  it('answers 409 for a draft’s files, 404 naming an unknown id and 400 naming a bad field', async () => {
    const draft = randomUUID();
    await push(cmd('incident.open', { incidentId: draft, playbook: 'refund_rate', signal: { kind: 'palette', id: null } }));
    const conflict = await call('/incident-file', { incidentId: draft, format: 'pdf' });
    expect(conflict.status).toBe(409);
    expect(((await conflict.json()) as { error: { message: string } }).error.message).toBe(
      `incident report ${draft} is still a draft; finish it to archive its text and PDF`,
    );
    const missing = randomUUID();
    const notFound = await call('/incident', { incidentId: missing });
    expect(notFound.status).toBe(404);
    expect(((await notFound.json()) as { error: { message: string } }).error.message).toContain(missing);
    for (const [path, body, field] of [
      ['/incident', { incidentId: 'nope' }, 'incidentId'],
      ['/incident-file', { incidentId: draft, format: 'doc' }, 'format'],
      ['/incident-file', { incidentId: draft }, 'format'],
    ] as const) {
      const res = await call(path, body);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
    }
  });

  it('is for operators only', async () => {
    for (const path of ['/incident', '/incident-file']) {
      expect((await call(path, { incidentId: randomUUID(), format: 'txt' }, trainerToken)).status).toBe(403);
    }
  });
});
