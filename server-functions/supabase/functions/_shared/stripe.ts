// The real Stripe SDK, configured once for every function: the fetch HTTP
// client and SubtleCrypto signature checks work the same under Deno (edge
// runtime) and Node (tests). STRIPE_API_BASE points it at the local Stripe
// double; unset, it talks to api.stripe.com.
import Stripe from 'stripe';

export type { Stripe };

export function createStripe(secretKey: string, apiBase?: string): Stripe {
  const base = apiBase ? new URL(apiBase) : null;
  return new Stripe(secretKey, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 2,
    timeout: 20_000,
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
          protocol: base.protocol.replace(':', '') as 'http' | 'https',
        }
      : {}),
  });
}

export const subtleCryptoProvider = Stripe.createSubtleCryptoProvider();
