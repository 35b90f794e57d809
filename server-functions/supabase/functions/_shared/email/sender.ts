// Delivers queued trainer emails through a Resend-compatible API
// (POST <base>/emails with a Bearer key). Without a key nothing is sent and
// the emails stay in email_outbox, where the operator reads them. Rows are
// claimed with SKIP LOCKED so two senders never send the same email; the
// outbox's dedupe key already stops an email being queued twice.
import type { Sql } from '../db.ts';

export interface EmailSenderConfig {
  apiKey?: string;
  baseUrl?: string;
  from: string;
  maxAttempts?: number;
  fetch?: typeof fetch;
}

export interface SendReport {
  sent: number;
  failed: number;
  skipped: 'no_api_key' | null;
}

interface QueuedEmail {
  id: string;
  to_email: string;
  subject: string;
  body_text: string;
  attempts: number;
}

export async function sendQueuedEmails(sql: Sql, config: EmailSenderConfig, limit = 50): Promise<SendReport> {
  if (!config.apiKey) return { sent: 0, failed: 0, skipped: 'no_api_key' };
  const doFetch = config.fetch ?? fetch;
  const base = (config.baseUrl ?? 'https://api.resend.com').replace(/\/$/, '');
  const maxAttempts = config.maxAttempts ?? 5;
  let sent = 0;
  let failed = 0;
  for (let i = 0; i < limit; i++) {
    const done = await sql.begin(async (tx) => {
      const [email] = await tx<QueuedEmail[]>`
        select id, to_email, subject, body_text, attempts from public.email_outbox
        where status = 'queued' order by created_at limit 1 for update skip locked`;
      if (!email) return false;
      try {
        const res = await doFetch(`${base}/emails`, {
          method: 'POST',
          headers: { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/json', 'idempotency-key': `email-${email.id}` },
          body: JSON.stringify({ from: config.from, to: [email.to_email], subject: email.subject, text: email.body_text }),
          signal: AbortSignal.timeout(10_000),
        });
        const body = (await res.json().catch(() => ({}))) as { id?: string; message?: string };
        if (!res.ok) throw new Error(`HTTP ${res.status}: ${body.message ?? 'send failed'}`);
        await tx`update public.email_outbox set status = 'sent', sent_at = now(), provider_message_id = ${body.id ?? null},
                 attempts = attempts + 1, last_error = null where id = ${email.id}`;
        sent++;
      } catch (err) {
        const attempts = email.attempts + 1;
        await tx`update public.email_outbox set attempts = ${attempts}, last_error = ${(err as Error).message},
                 status = ${attempts >= maxAttempts ? 'failed' : 'queued'} where id = ${email.id}`;
        failed++;
        if (attempts < maxAttempts) return false; // leave it for the next round rather than spin on it
      }
      return true;
    });
    if (!done) break;
  }
  return { sent, failed, skipped: null };
}
