// A client for OpenAI-compatible chat-completions APIs (Z.AI, and the
// secondary provider). It asks for a JSON answer and refuses anything else:
// an HTTP error, a timeout or a malformed answer is a ProviderError, which
// callers turn into the deterministic fallback.
export type ProviderName = 'z_ai' | 'secondary';

export interface ProviderConfig {
  name: ProviderName;
  baseUrl: string;
  apiKey: string;
  model: string;
  /** Cost of one call, in cents, for the AI budget (Z.AI ≈ $0.001). */
  costCentsPerCall: number;
}

export class ProviderError extends Error {
  constructor(
    readonly provider: ProviderName,
    readonly kind: 'timeout' | 'http' | 'network' | 'malformed',
    message: string,
  ) {
    super(`${provider} ${kind}: ${message}`);
  }
}

export interface ChatJsonResult {
  json: Record<string, unknown>;
  latencyMs: number;
}

export async function chatJson(
  provider: ProviderConfig,
  system: string,
  user: string,
  timeoutMs: number,
  fetchImpl: typeof fetch = fetch,
): Promise<ChatJsonResult> {
  const started = performance.now();
  let res: Response;
  try {
    res = await fetchImpl(`${provider.baseUrl.replace(/\/$/, '')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${provider.apiKey}` },
      body: JSON.stringify({
        model: provider.model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: user },
        ],
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new ProviderError(provider.name, 'timeout', `no answer within ${timeoutMs} ms`);
    throw new ProviderError(provider.name, 'network', (err as Error).message);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    const name = (err as Error).name;
    throw new ProviderError(provider.name, name === 'TimeoutError' ? 'timeout' : 'network', (err as Error).message);
  }
  if (!res.ok) throw new ProviderError(provider.name, 'http', `HTTP ${res.status}: ${text.slice(0, 200)}`);
  let content: unknown;
  try {
    content = (JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
  } catch {
    throw new ProviderError(provider.name, 'malformed', 'response is not JSON');
  }
  if (typeof content !== 'string') throw new ProviderError(provider.name, 'malformed', 'no message content');
  let json: unknown;
  try {
    json = JSON.parse(content.replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    throw new ProviderError(provider.name, 'malformed', `content is not JSON: ${content.slice(0, 80)}`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new ProviderError(provider.name, 'malformed', 'content is not a JSON object');
  }
  return { json: json as Record<string, unknown>, latencyMs: Math.round(performance.now() - started) };
}
