// Sends one AI question to the provider AI_MODE names, through its circuit
// breaker, and records the outcome in ai_provider_health. It never throws for
// a provider problem: the caller gets `value: null` with the reason and
// answers from the deterministic rules instead.
import type { Sql } from '../db.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import type { AiMode } from './mode.ts';
import { chatJson, ProviderError, type ProviderConfig, type ProviderName } from './provider.ts';

export interface AiOutcome<T> {
  /** The provider asked, or 'deterministic' when AI_MODE says so. */
  provider: AiMode;
  value: T | null;
  fellBack: boolean;
  error: string | null;
  latencyMs: number;
  costCents: number;
}

export interface AiRouterDeps {
  sql: Sql;
  providers: Partial<Record<ProviderName, ProviderConfig>>;
  aiMode: () => Promise<AiMode>;
  breakers?: Record<ProviderName, CircuitBreaker>;
  timeoutMs?: number;
  now?: () => Date;
  fetch?: typeof fetch;
}

export function createAiRouter(deps: AiRouterDeps) {
  const breakers = deps.breakers ?? { z_ai: new CircuitBreaker(), secondary: new CircuitBreaker() };
  const timeoutMs = deps.timeoutMs ?? 3000;
  const now = deps.now ?? (() => new Date());

  async function recordHealth(provider: ProviderName, ok: boolean, latencyMs: number | null, error: string | null, costCents = 0) {
    await deps.sql`
      insert into public.ai_provider_health (provider, checked_at, ok, latency_ms, error, cost_cents)
      values (${provider}, ${now()}, ${ok}, ${latencyMs}, ${error}, ${costCents})`;
  }

  /**
   * `mayCall`, when given, is asked only when a provider would really be
   * called (not in deterministic mode, not with its circuit open): an
   * allowance it meters is spent on AI answers, never on the rules'. It
   * returns why not, or null to go ahead.
   */
  return async function ask<T>(
    system: string,
    user: string,
    parse: (json: Record<string, unknown>) => T | null,
    mayCall?: () => Promise<string | null>,
  ): Promise<AiOutcome<T>> {
    const mode = await deps.aiMode();
    const rules = (error: string | null): AiOutcome<T> => ({ provider: 'deterministic', value: null, fellBack: false, error, latencyMs: 0, costCents: 0 });
    if (mode === 'deterministic') return rules(null);
    const fallback = (error: string, latencyMs = 0): AiOutcome<T> => ({
      provider: mode,
      value: null,
      fellBack: true,
      error,
      latencyMs,
      costCents: 0,
    });
    const config = deps.providers[mode];
    if (!config) {
      await recordHealth(mode, false, null, `${mode} is not configured (missing API key or base URL)`);
      return fallback(`${mode} is not configured`);
    }
    const breaker = breakers[mode];
    if (!breaker.allow(now().getTime())) return fallback(`${mode} skipped: circuit open after repeated failures`);
    const refused = mayCall ? await mayCall() : null;
    if (refused !== null) return rules(refused);
    const started = performance.now();
    try {
      const { json, latencyMs } = await chatJson(config, system, user, timeoutMs, deps.fetch);
      const value = parse(json);
      if (value === null) throw new ProviderError(mode, 'malformed', `unexpected answer ${JSON.stringify(json).slice(0, 80)}`);
      breaker.success();
      await recordHealth(mode, true, latencyMs, null, config.costCentsPerCall);
      return { provider: mode, value, fellBack: false, error: null, latencyMs, costCents: config.costCentsPerCall };
    } catch (err) {
      const latencyMs = Math.round(performance.now() - started);
      const message = err instanceof ProviderError ? err.message : `${mode}: ${(err as Error).message}`;
      breaker.failure(now().getTime());
      await recordHealth(mode, false, err instanceof ProviderError && err.kind === 'timeout' ? null : latencyMs, message);
      return fallback(message, latencyMs);
    }
  };
}
