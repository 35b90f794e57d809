// Escalations (spec Part 7) on the real database: each of the five situations
// drafted from a source (a complaint's dossier, an alert, a playbook run, a
// reconciliation report), sent with the evidence the operator read, routed to
// the team and urgency the spec names with the address and age the settings
// hold, the packet stored with its SHA-256 (the audit entry keeps the same
// hash) and emailed through the outbox; then answered and closed at the
// version the operator saw, refused when malformed, stale or closed, and
// carried by the pull. The legal freeze: legal-freeze.test.ts.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscalationDraft } from '../../../../shared/api/escalations.ts';
import type { CommandResult, PullResponse } from '../../../../shared/api/operator.ts';
import { startStripeDouble, type StripeDouble } from '../../../local/doubles/stripe.ts';
import { signJwt } from '../../../local/stack/keys.ts';
import { freshDatabase, rowCount, type TestDatabase } from '../../../test/db.ts';
import { createBusiness, createCouncil, createPayment, createPerson } from '../../../test/fixtures.ts';
import { hs256Verifier } from '../_shared/auth.ts';
import { createStripe } from '../_shared/stripe.ts';
import { createOperatorHandler } from './handler.ts';

const SECRET = 'escalations-test-secret';
let db: TestDatabase;
let stripeDouble: StripeDouble;
let handler: ReturnType<typeof createOperatorHandler>;
let alex: string;
let opToken: string;
const src: Record<'integrity' | 'legal' | 'alert' | 'run' | 'report', string> = { integrity: '', legal: '', alert: '', run: '', report: '' };
const CSV = 'class,charge_id,ours_cents,stripe_cents\nmissing_here,ch_ledger_gap_77,0,2200\n';

type Verdict = CommandResult & { details?: Record<string, unknown>; kind?: string; reason?: string; current?: Record<string, unknown> };

beforeAll(async () => {
  db = await freshDatabase();
  stripeDouble = await startStripeDouble();
  handler = createOperatorHandler({ sql: db.sql, verifier: hs256Verifier(SECRET), stripe: createStripe('sk_test_double', stripeDouble.url) });
  alex = await createPerson(db.sql, { profileRole: 'operator' });
  await db.sql`update public.profiles set display_name = 'Alex Operator' where id = ${alex}`;
  opToken = await signJwt(SECRET, { sub: alex, aud: 'authenticated', role: 'authenticated', app_metadata: { role: 'operator' } }, 600);
  // The routing reads the settings: finance's address and the medium age are not the migration's defaults here.
  await db.sql`update public.settings set value = '"books@finance.example"' where key = 'escalation_email_finance'`;
  await db.sql`update public.settings set value = '4320' where key = 'escalation_age_medium_minutes'`;

  const council = await createCouncil(db.sql, 'yarra', 'City of Yarra');
  const owner = await createPerson(db.sql);
  const alpha = await createBusiness(db.sql, owner, council, { name: 'Alpha Dogs' });
  const lawful = await createBusiness(db.sql, owner, council, { name: 'Lawful Paws' });
  const paid = await createPayment(db.sql, alpha, council);
  const complaint = async (business: string, message: string, payment: string | null = null) =>
    (
      await db.sql<{ id: string }[]>`
      insert into public.complaints (business_id, filed_by, kind, message, payment_id) values (${business}, ${owner}, 'other', ${message}, ${payment}) returning id`
    )[0]!.id;
  src.integrity = await complaint(alpha, 'I paid on Monday and my placement vanished from the list', paid);
  src.legal = await complaint(lawful, 'My solicitor will review the refund you denied me');
  src.alert = (
    await db.sql<{ id: string }[]>`
    insert into public.alerts (severity, kind, subject, message, details)
    values ('RED', 'stripe_down', 'stripe', 'Stripe API failing for 20 minutes', ${db.sql.json({ failed_calls: 31 })}) returning id`
  )[0]!.id;
  src.run = randomUUID();
  const [opened] = await push(cmd('incident.open', { incidentId: src.run, playbook: 'refund_rate', signal: { kind: 'palette', id: null } }));
  expect(opened!.status).toBe('applied');
  src.report = (
    await db.sql<{ id: string }[]>`
    insert into public.reconciliation_reports (name, window_start, window_end, trigger, our_total_cents, stripe_total_cents, our_count, stripe_count,
                                               matched, discrepancies, csv, csv_sha256, pdf, pdf_sha256)
    values ('Payment_Reconciliation_2026-11-25', '2026-11-24T13:00:00Z', '2026-11-25T13:00:00Z', 'manual', 4400, 6600, 2, 3, 2,
            ${db.sql.json([{ class: 'missing_here', chargeId: 'ch_ledger_gap_77' }])}, ${CSV}, ${sha(CSV)}, ${Buffer.from('%PDF-1.4')}, ${sha('%PDF-1.4')})
    returning id`
  )[0]!.id;
});
afterAll(async () => {
  await stripeDouble?.close();
  await db?.drop();
});

const call = (path: string, body: unknown) =>
  handler(
    new Request(`http://x/operator${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${opToken}`, 'content-type': 'application/json' },
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
  return ((await res.json()) as { results: Verdict[] }).results;
}
async function pull(cursor: string | null) {
  const res = await call('/pull', { cursor });
  expect(res.status).toBe(200);
  return (await res.json()) as PullResponse;
}
async function draft(situation: string, source: { kind: string; id: string }) {
  const res = await call('/escalation/draft', { situation, source });
  expect(res.status).toBe(200);
  return (await res.json()) as EscalationDraft;
}
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const setting = async (key: string) => (await db.sql<{ v: string }[]>`select value #>> '{}' as v from public.settings where key = ${key}`)[0]!.v;
/** Drafts from the source and sends it with the draft's evidence and subject, as the console does. */
async function escalate(situation: string, source: { kind: string; id: string }, note = 'Please advise what we should do next.') {
  const d = await draft(situation, source);
  const escalationId = randomUUID();
  const [verdict] = await push(cmd('escalation.open', { escalationId, situation, source, subject: d.subject, note, evidence: d.evidence }));
  return { d, escalationId, verdict: verdict! };
}

describe('sending an escalation, for each of the spec’s situations', () => {
  it.each([
    {
      situation: 'data_integrity',
      team: 'product',
      urgency: 'high',
      within: '1 day',
      kind: 'complaint',
      from: 'integrity',
      business: 'Alpha Dogs',
      shows: ['I paid on Monday and my placement vanished from the list', 'BUSINESS: Alpha Dogs', 'FINDINGS'],
    },
    {
      situation: 'infrastructure',
      team: 'devops',
      urgency: 'immediate',
      within: '1 hour',
      kind: 'alert',
      from: 'alert',
      business: null,
      shows: ['ALERT', 'Stripe API failing for 20 minutes', '"failed_calls": 31'],
    },
    {
      situation: 'feature_policy',
      team: 'product',
      urgency: 'low',
      within: '30 days',
      kind: 'playbook',
      from: 'run',
      business: null,
      shows: ['PLAYBOOK RUN: 4.5 High refund rate', 'TIMELINE'],
    },
    {
      situation: 'legal_compliance',
      team: 'legal',
      urgency: 'medium',
      within: '3 days',
      kind: 'complaint',
      from: 'legal',
      business: 'Lawful Paws',
      shows: ['My solicitor will review the refund you denied me', 'BUSINESS: Lawful Paws', 'Freeze:'],
    },
    {
      situation: 'financial',
      team: 'finance',
      urgency: 'medium',
      within: '3 days',
      kind: 'reconciliation',
      from: 'report',
      business: null,
      shows: ['RECONCILIATION REPORT Payment_Reconciliation_2026-11-25', `THE REPORT'S CSV (SHA-256 ${sha(CSV)})`, 'missing_here,ch_ledger_gap_77,0,2200'],
    },
  ] as const)('$situation goes to $team with $urgency urgency, its packet stored, hashed, audited and emailed', async (c) => {
    const source = { kind: c.kind, id: src[c.from] };
    const address = await setting(`escalation_email_${c.team}`);
    const ageMinutes = Number(await setting(`escalation_age_${c.urgency}_minutes`));
    const note = `Question for ${c.team} about ${c.situation}: what is the right call here?`;
    const { d, escalationId, verdict } = await escalate(c.situation, source, note);

    expect(d).toMatchObject({
      situation: c.situation,
      source,
      team: c.team,
      urgency: c.urgency,
      to: address,
      answerWithin: c.within,
      businessName: c.business,
    });
    expect(verdict).toMatchObject({
      status: 'applied',
      details: { escalationId, team: c.team, urgency: c.urgency, to: address, frozen: c.situation === 'legal_compliance' ? c.business : null },
    });
    const [row] = await db.sql<(Record<string, unknown> & { packet: string; packet_sha256: string; due_at: Date; age_minutes: number })[]>`
      select e.team, e.urgency, e.status, e.to_email, b.name as business, e.opened_by, e.source_kind, e.packet, e.packet_sha256, e.email_id, e.due_at,
             (extract(epoch from e.due_at - e.opened_at) / 60)::float8 as age_minutes
      from public.escalations e left join public.businesses b on b.id = e.business_id where e.id = ${escalationId}`;
    const expected = { team: c.team, urgency: c.urgency, status: 'open', to_email: address, business: c.business, opened_by: alex, source_kind: c.kind };
    expect(row).toMatchObject(expected);
    // Due when its urgency's age (the setting) has passed since it was opened.
    expect(row!.age_minutes).toBe(ageMinutes);
    expect(verdict.details!.dueAt).toBe(row!.due_at.toISOString());

    // The packet: the operator's question and the evidence they read.
    expect(row!.packet).toContain(`ESCALATION: ${d.subject}`);
    expect(row!.packet).toContain(note);
    expect(row!.packet).toContain(d.evidence.trim());
    for (const text of c.shows) expect(row!.packet).toContain(text);
    expect(row!.packet_sha256).toBe(sha(row!.packet));
    expect(verdict.details!.packetSha256).toBe(row!.packet_sha256);
    const [audit] = await db.sql<{ actor_id: string; details: { after: { packet_sha256: string; team: string } } }[]>`
      select actor_id, details from public.audit_log where action = 'command.escalation.open' and subject_id = ${escalationId}`;
    expect(audit).toMatchObject({ actor_id: alex, details: { after: { packet_sha256: row!.packet_sha256, team: c.team } } });

    const mails = await db.sql<{ id: string; to_email: string; template: string; subject: string; body_text: string }[]>`
      select id, to_email, template, subject, body_text from public.email_outbox where dedupe_key = ${`escalation:${escalationId}`}`;
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ id: row!.email_id, to_email: address, template: 'escalation' });
    expect(mails[0]!.subject).toContain(d.subject);
    expect(mails[0]!.body_text).toContain(row!.packet.trim());
  });

  it('sends to the address the settings name, not one fixed in code', async () => {
    expect(await setting('escalation_email_finance')).toBe('books@finance.example');
    expect(await db.sql`select 1 from public.email_outbox where template = 'escalation' and to_email like 'finance@%'`).toHaveLength(0);
  });
});

describe('refusals', () => {
  it('the draft route answers 400 naming a bad situation or source id, and 404 naming an unknown source', async () => {
    for (const [body, field] of [
      [{ situation: 'gossip', source: { kind: 'complaint', id: src.legal } }, 'situation'],
      [{ situation: 'financial', source: { kind: 'reconciliation', id: 'not-a-uuid' } }, 'source.id'],
      [{ situation: 'financial', source: { kind: 'ledger', id: src.report } }, 'source.kind'],
    ] as const) {
      const res = await call('/escalation/draft', body);
      expect(res.status, field).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
    }
    const missing = randomUUID();
    const res = await call('/escalation/draft', { situation: 'financial', source: { kind: 'reconciliation', id: missing } });
    expect(res.status).toBe(404);
    const { error } = (await res.json()) as { error: { field: string; message: string } };
    expect(error).toMatchObject({ field: 'source.id', message: expect.stringContaining(missing) });
  });

  it('refuses a send with a missing or empty field naming it, or from a source that does not exist, and writes nothing', async () => {
    const before = { escalations: await rowCount(db.sql, 'public.escalations'), emails: await rowCount(db.sql, 'public.email_outbox') };
    const good = { situation: 'financial', source: { kind: 'reconciliation', id: src.report }, subject: 'Revenue gap', note: '', evidence: 'the CSV' };
    const { subject: _s, ...noSubject } = good;
    const results = await push(
      cmd('escalation.open', { escalationId: randomUUID(), ...noSubject }),
      cmd('escalation.open', { escalationId: randomUUID(), ...good, evidence: '' }),
      cmd('escalation.open', { escalationId: randomUUID(), ...good, situation: 'gossip' }),
      cmd('escalation.open', { escalationId: randomUUID(), ...good, source: { kind: 'complaint', id: randomUUID() } }),
    );
    expect(results.map((r) => [r.status, r.kind])).toEqual([
      ['rejected', 'invalid'],
      ['rejected', 'invalid'],
      ['rejected', 'invalid'],
      ['rejected', 'not_found'],
    ]);
    expect(results[0]!.reason).toMatch(/^malformed escalation\.open payload: subject /);
    expect(results[1]!.reason).toBe('malformed escalation.open payload: evidence must not be empty');
    expect(results[2]!.reason).toMatch(/^malformed escalation\.open payload: situation must be one of/);
    expect(results[3]!.reason).toMatch(/^no complaint .* to escalate from$/);
    expect({ escalations: await rowCount(db.sql, 'public.escalations'), emails: await rowCount(db.sql, 'public.email_outbox') }).toEqual(before);
  });

  it('answers and closes at the version seen: no baseVersion is invalid, an old one stale, a closed one refused, a resent id refused', async () => {
    const { escalationId: id, verdict } = await escalate('financial', { kind: 'reconciliation', id: src.report });
    expect(verdict.status).toBe('applied');
    const answer = (v: number | null) => cmd('escalation.answer', { escalationId: id, answer: 'A refund was recorded twice; fix queued.' }, v);
    const close = (v: number | null) => cmd('escalation.close', { escalationId: id, note: 'Finance fixed the ledger.' }, v);

    const unversioned = await push(answer(null), close(null));
    expect(unversioned.map((r) => [r.status, r.kind])).toEqual([
      ['rejected', 'invalid'],
      ['rejected', 'invalid'],
    ]);
    expect(unversioned[0]!.reason).toBe('escalation.answer needs baseVersion: the version of the item you decided on');
    expect(unversioned[1]!.reason).toBe('escalation.close needs baseVersion: the version of the item you decided on');

    const [answered] = await push(answer(1));
    expect(answered!.status).toBe('applied');
    const [stale] = await push(close(1));
    expect(stale).toMatchObject({ status: 'rejected', kind: 'stale', current: { status: 'answered', version: 2 } });
    expect(stale!.reason).toMatch(/you saw version 1, it is now 2/);
    expect(await db.sql`select status, answer, answered_by, version from public.escalations where id = ${id}`).toEqual([
      { status: 'answered', answer: 'A refund was recorded twice; fix queued.', answered_by: alex, version: 2 },
    ]);

    const [closed] = await push(close(2));
    expect(closed!.status).toBe('applied');
    const after = await push(close(3), answer(3));
    expect(after.map((r) => [r.status, r.kind])).toEqual([
      ['rejected', 'refused'],
      ['rejected', 'refused'],
    ]);
    expect(after[0]!.reason).toMatch(/^escalation "Reconciliation Payment_Reconciliation_2026-11-25: 1 discrepancies" was closed /);
    expect(await db.sql`select status, close_note, closed_by, version from public.escalations where id = ${id}`).toEqual([
      { status: 'closed', close_note: 'Finance fixed the ledger.', closed_by: alex, version: 3 },
    ]);

    const emails = await rowCount(db.sql, 'public.email_outbox');
    const [resent] = await push(
      cmd('escalation.open', {
        escalationId: id,
        situation: 'financial',
        source: { kind: 'reconciliation', id: src.report },
        subject: 'Again',
        note: '',
        evidence: 'x',
      }),
    );
    expect(resent).toMatchObject({ status: 'rejected', kind: 'refused', reason: expect.stringMatching(new RegExp(`^escalation ${id} was already sent`)) });
    expect(await rowCount(db.sql, 'public.email_outbox')).toBe(emails);
    expect(await db.sql`select subject from public.escalations where id = ${id}`).toEqual([
      { subject: 'Reconciliation Payment_Reconciliation_2026-11-25: 1 discrepancies' },
    ]);
  });
});

describe('the pull', () => {
  it('brings an escalation on a first pull and its changes after a cursor, with its status, business, packet and due time', async () => {
    const first = await pull(null);
    const { escalationId: id, verdict } = await escalate('data_integrity', { kind: 'complaint', id: src.integrity }, 'Why did the placement vanish?');
    const [row] = await db.sql<{ packet: string }[]>`select packet from public.escalations where id = ${id}`;

    const full = (await pull(null)).escalations.find((e) => e.id === id);
    expect(full).toMatchObject({
      status: 'open',
      situation: 'data_integrity',
      team: 'product',
      urgency: 'high',
      businessName: 'Alpha Dogs',
      packet: row!.packet,
      packetSha256: sha(row!.packet),
      openedByName: 'Alex Operator',
      version: 1,
    });
    expect(Date.parse(full!.dueAt)).toBe(Date.parse(verdict.details!.dueAt as string));

    const since = await pull(first.cursor);
    expect(since.escalations.find((e) => e.id === id)).toMatchObject({ status: 'open', businessName: 'Alpha Dogs', packet: row!.packet });
    const [answered] = await push(cmd('escalation.answer', { escalationId: id, answer: 'A migration dropped the row; restored.' }, 1));
    expect(answered!.status).toBe('applied');
    const later = await pull(since.cursor);
    expect(later.escalations.map((e) => [e.id, e.status, e.answer, e.version])).toEqual([[id, 'answered', 'A migration dropped the row; restored.', 2]]);
    expect(Date.parse(later.escalations[0]!.dueAt)).toBe(Date.parse(verdict.details!.dueAt as string));
  });
});
