// What a domain's own operator routes are given: the operator API checks the
// session and the operator role first (operator/handler.ts), then asks each
// domain's routes in turn; a domain answers its routes and null for the rest.
import type { ProviderConfig } from '../ai/provider.ts';
import type { Sql } from '../db.ts';
import type { Stripe } from '../stripe.ts';

export interface RouteDeps {
  sql: Sql;
  stripe: Stripe;
  now: () => Date;
  /** POSTs to another of our edge functions by name (emergency-triage, stripe-webhook), as the public or Stripe would. */
  callFunction: (name: string, init: { headers?: Record<string, string>; body: string }) => Promise<Response>;
  /** The Stripe webhook signing secret (null when not configured). */
  webhookSecret: string | null;
  /** Z.AI's settings, for the playbook's provider probe (null or absent when no key is configured). */
  zai?: ProviderConfig | null;
  /**
   * How long a function instance keeps AI_MODE cached (the AI router's AI_MODE_TTL_MS, 30 s): the triage
   * check waits out what is left of it after a switch, so its cases run in the mode it names. Absent: no wait.
   */
  aiModeTtlMs?: number;
}

export type OperatorRoutes = (deps: RouteDeps, operatorId: string, route: string, req: Request) => Promise<Response | null>;
