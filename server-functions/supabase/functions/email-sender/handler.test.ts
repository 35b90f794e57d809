// The sender against the real outbox and the Resend double over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/db.ts';
import { startEmailDouble, type EmailDouble } from '../../../local/doubles/email.ts';
import { sendQueuedEmails } from '../_shared/email/sender.ts';

let db: TestDatabase;
let resend: EmailDouble;
beforeAll(async () => {
  db = await freshDatabase();
  resend = await startEmailDouble();
});
afterAll(async () => {
  await resend.close();
  await db.drop();
});

const queue = (to: string, key: string) =>
  db.sql`select public.queue_email(${to}, 'refund_approved', ${db.sql.json({ name: 'Sam', business: 'Sam Trains Dogs', amount_cents: 2200 })}, ${key})`;

describe('email sender', () => {
  it('keeps emails in the outbox when no API key is set', async () => {
    await queue('a@example.test', 'k1');
    expect(await sendQueuedEmails(db.sql, { from: 'ops@dtd.test' })).toEqual({ sent: 0, failed: 0, skipped: 'no_api_key' });
    expect(await db.sql`select status from public.email_outbox where dedupe_key = 'k1'`).toEqual([{ status: 'queued' }]);
  });

  it('sends each queued email once through the Resend-compatible API and records it', async () => {
    await queue('b@example.test', 'k2');
    await queue('b@example.test', 'k2'); // queued twice by a replay: one row
    const config = { apiKey: 're_test', baseUrl: resend.url, from: 'ops@dtd.test' };
    const [first, second] = await Promise.all([sendQueuedEmails(db.sql, config), sendQueuedEmails(db.sql, config)]);
    expect(first!.sent + second!.sent).toBe(2);
    expect(resend.sent.map((m) => m.to[0]).sort()).toEqual(['a@example.test', 'b@example.test']);
    expect(resend.sent[0]!.text).toMatch(/Look for it in 3–5 business days/);
    const rows = await db.sql`select status, provider_message_id is not null as has_id from public.email_outbox order by dedupe_key`;
    expect(rows).toEqual([
      { status: 'sent', has_id: true },
      { status: 'sent', has_id: true },
    ]);
  });

  it('retries a failing provider and gives up after 5 attempts, keeping the error', async () => {
    resend.setFailing(true);
    await queue('c@example.test', 'k3');
    const config = { apiKey: 're_test', baseUrl: resend.url, from: 'ops@dtd.test' };
    for (let i = 0; i < 5; i++) await sendQueuedEmails(db.sql, config);
    const [row] = await db.sql`select status, attempts, last_error from public.email_outbox where dedupe_key = 'k3'`;
    expect(row).toMatchObject({ status: 'failed', attempts: 5, last_error: expect.stringMatching(/HTTP 500/) });
    resend.setFailing(false);
  });
});
