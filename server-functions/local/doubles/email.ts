// A local double of Resend's send API (POST /emails), so the email sender's
// real HTTP path runs in tests and the local stack. It keeps what it was
// sent, can be switched to failing, and replays an Idempotency-Key.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';

export interface SentEmail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export interface EmailDouble {
  url: string;
  sent: SentEmail[];
  setFailing(failing: boolean): void;
  close(): Promise<void>;
}

export function startEmailDouble(): Promise<EmailDouble> {
  const sent: SentEmail[] = [];
  const byKey = new Map<string, string>();
  let failing = false;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'POST' || req.url !== '/emails') return reply(404, { statusCode: 404, name: 'not_found', message: 'Route not found' });
    if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) return reply(401, { statusCode: 401, name: 'missing_api_key', message: 'Missing API key' });
    if (failing) return reply(500, { statusCode: 500, name: 'application_error', message: 'Internal server error' });
    const key = req.headers['idempotency-key'];
    if (typeof key === 'string' && byKey.has(key)) return reply(200, { id: byKey.get(key) });
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Partial<SentEmail>;
    if (!body.from || !body.to?.length || !body.subject)
      return reply(422, { statusCode: 422, name: 'validation_error', message: 'from, to and subject are required' });
    const email: SentEmail = { id: randomUUID(), from: body.from, to: body.to, subject: body.subject, text: body.text ?? '' };
    sent.push(email);
    if (typeof key === 'string') byKey.set(key, email.id);
    return reply(200, { id: email.id });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        sent,
        setFailing: (f) => void (failing = f),
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
