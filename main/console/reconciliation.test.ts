// The console's reconciliation client against a fetch that answers as the
// function does: a file is handed over only when it matches its archived
// SHA-256, and offline each call says it needs a connection.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createReconciliationClient } from './reconciliation.ts';

const pdf = Buffer.from('%PDF-1.7 a report');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const meta = (pdfSha256: string) => ({
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Payment_Reconciliation_2026-12-02',
  runAt: '2026-12-02T00:00:00Z',
  trigger: 'manual',
  windowStart: '2026-11-25T00:00:00Z',
  windowEnd: '2026-12-02T00:00:00Z',
  ourTotalCents: 0,
  stripeTotalCents: 0,
  matched: 0,
  discrepancies: 0,
  csvSha256: 'a'.repeat(64),
  pdfSha256,
  keepUntil: '2033-12-02',
});
const client = (archivedSha: string, online = true) =>
  createReconciliationClient({
    apiUrl: 'http://api.test',
    getAccessToken: async () => 'token',
    fetch: (async (url: string) => {
      if (!online) throw new TypeError('fetch failed');
      if (String(url).includes('format=pdf')) {
        const m = meta(archivedSha);
        return new Response(pdf, { status: 200, headers: { 'content-disposition': `attachment; filename="${m.name}.pdf"`, 'x-content-sha256': m.pdfSha256 } });
      }
      return Response.json({ reports: [meta(archivedSha)] });
    }) as typeof fetch,
  });

describe('reconciliation client', () => {
  it('hands over a file that matches its archived hash, named as archived', async () => {
    const file = await client(sha(pdf)).file(meta('').id, 'pdf');
    expect(file).toMatchObject({ fileName: 'Payment_Reconciliation_2026-12-02.pdf', mimeType: 'application/pdf', sha256: sha(pdf) });
    expect(Buffer.from(file.base64, 'base64').equals(pdf)).toBe(true);
  });

  it('refuses a file whose bytes are not what was archived', async () => {
    await expect(client('f'.repeat(64)).file(meta('').id, 'pdf')).rejects.toThrow(/does not match its archived SHA-256; not saved/);
  });

  it('offline, says the run needs a connection', async () => {
    await expect(client('', false).run()).rejects.toMatchObject({ kind: 'offline', message: expect.stringMatching(/needs a connection to the server/) });
  });
});
