// The AI router as deployed: providers and timings from the environment,
// AI_MODE from feature_flags. Shared by every function that asks an AI.
import type { Sql } from '../db.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { createAiModeReader } from './mode.ts';
import { providersFromEnv } from './providers-from-env.ts';
import { createAiRouter } from './router.ts';

export function aiRouterFromEnv(sql: Sql, get: (name: string) => string | undefined) {
  const breaker = () =>
    new CircuitBreaker({
      threshold: Number(get('AI_BREAKER_THRESHOLD') ?? '3'),
      cooldownMs: Number(get('AI_BREAKER_COOLDOWN_MS') ?? '60000'),
    });
  return createAiRouter({
    sql,
    providers: providersFromEnv(get),
    aiMode: createAiModeReader(sql, Number(get('AI_MODE_TTL_MS') ?? '30000')),
    breakers: { z_ai: breaker(), secondary: breaker() },
    timeoutMs: Number(get('AI_TIMEOUT_MS') ?? '3000'),
  });
}
