// Provider settings from the function's environment (Supabase secrets, or the
// local stack pointing at its Z.AI double).
import type { ProviderConfig, ProviderName } from './provider.ts';

export function providersFromEnv(get: (name: string) => string | undefined): Partial<Record<ProviderName, ProviderConfig>> {
  const providers: Partial<Record<ProviderName, ProviderConfig>> = {};
  const zaiKey = get('ZAI_API_KEY');
  if (zaiKey) {
    providers.z_ai = {
      name: 'z_ai',
      baseUrl: get('ZAI_BASE_URL') ?? 'https://api.z.ai/api/paas/v4',
      apiKey: zaiKey,
      model: get('ZAI_MODEL') ?? 'glm-4.5-flash',
      costCentsPerCall: Number(get('ZAI_COST_CENTS_PER_CALL') ?? '0.1'),
    };
  }
  const secondaryKey = get('SECONDARY_AI_API_KEY');
  const secondaryUrl = get('SECONDARY_AI_BASE_URL');
  if (secondaryKey && secondaryUrl) {
    providers.secondary = {
      name: 'secondary',
      baseUrl: secondaryUrl,
      apiKey: secondaryKey,
      model: get('SECONDARY_AI_MODEL') ?? 'glm-4.5-air',
      costCentsPerCall: Number(get('SECONDARY_AI_COST_CENTS_PER_CALL') ?? '0.02'),
    };
  }
  return providers;
}
