// A local double of Z.AI's OpenAI-compatible chat-completions API
// (POST <base>/chat/completions), used by the stack and the tests in place of
// the paid service. The production client talks to it unchanged. Its mode is
// switchable over HTTP (POST /__double/mode) so every fallback path runs for
// real: ok, slow (answers after a delay), failing (HTTP 500), garbage (200
// with content that is not the JSON we asked for), down (connection reset).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { triageDeterministic } from '../../../shared/triage/rules.ts';

export type DoubleMode = 'ok' | 'slow' | 'failing' | 'garbage' | 'down';

export interface ZaiDouble {
  url: string;
  port: number;
  /** Requests answered so far, by mode at the time. */
  calls: Record<DoubleMode, number>;
  setMode(mode: DoubleMode, delayMs?: number): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** What a model asked to "answer with JSON {category, confidence}" would say. */
function modelAnswer(prompt: string): string {
  const wantsModeration = /moderat|review/i.test(prompt.slice(0, 400));
  const userText = prompt.split('\n---\n').pop() ?? prompt;
  if (wantsModeration) {
    const rude = /\b(shit|fuck|crap|idiot|scam)\w*/i.test(userText);
    const spam = /(https?:\/\/|www\.|buy now|discount|crypto)/i.test(userText);
    const flags = [...(rude ? ['profanity'] : []), ...(spam ? ['spam'] : [])];
    return JSON.stringify({ safe_confidence: flags.length ? 0.2 : 0.96, flags });
  }
  const verdict = triageDeterministic(userText);
  return JSON.stringify({ category: verdict.category, confidence: 0.93 });
}

export function startZaiDouble(opts: { port?: number; mode?: DoubleMode; model?: string } = {}): Promise<ZaiDouble> {
  let mode: DoubleMode = opts.mode ?? 'ok';
  let delayMs = 10_000;
  const calls: Record<DoubleMode, number> = { ok: 0, slow: 0, failing: 0, garbage: 0, down: 0 };

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.url === '/__double/mode' && req.method === 'POST') {
      const next = JSON.parse(body || '{}') as { mode?: DoubleMode; delayMs?: number };
      if (next.mode) mode = next.mode;
      if (next.delayMs !== undefined) delayMs = next.delayMs;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ mode, delayMs }));
      return;
    }
    if (!req.url?.endsWith('/chat/completions') || req.method !== 'POST') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    calls[mode]++;
    if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'missing API key' } }));
      return;
    }
    if (mode === 'down') {
      req.socket.destroy();
      return;
    }
    if (mode === 'failing') {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'internal error', type: 'server_error' } }));
      return;
    }
    if (mode === 'slow') await new Promise((r) => setTimeout(r, delayMs));
    const request = JSON.parse(body || '{}') as { model?: string; messages?: { role: string; content: string }[] };
    const prompt = (request.messages ?? []).map((m) => m.content).join('\n---\n');
    const content = mode === 'garbage' ? 'I think your dog is probably fine?' : modelAnswer(prompt);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: `chatcmpl-${Date.now()}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: request.model ?? opts.model ?? 'glm-4.5-flash',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: Math.ceil(prompt.length / 4), completion_tokens: 12, total_tokens: Math.ceil(prompt.length / 4) + 12 },
      }),
    );
  });
  server.keepAliveTimeout = 5_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}/api/paas/v4`,
        port,
        calls,
        setMode(next, nextDelay) {
          mode = next;
          if (nextDelay !== undefined) delayMs = nextDelay;
        },
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
