// POST /functions/v1/stripe-sweep (service role or operator): applies Stripe
// events the webhook missed, then refreshes the money alerts (orphans).
import { schedulerOrOperator, type JwtVerifier } from '../_shared/auth.ts';
import type { Sql } from '../_shared/db.ts';
import { errorResponse, expectMethod, json } from '../_shared/http.ts';
import type { Stripe } from '../_shared/stripe.ts';
import { sweepMissedEvents } from '../_shared/payments/sweep.ts';

export function createStripeSweepHandler(deps: { sql: Sql; stripe: Stripe; verifier: JwtVerifier; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return async (req: Request): Promise<Response> => {
    const refused = expectMethod(req, 'POST');
    if (refused) return refused;
    const auth = await schedulerOrOperator(req, deps.verifier, 'run the sweep');
    if (!auth.ok) return errorResponse(auth.status, auth.status === 401 ? 'unauthorized' : 'forbidden', auth.message);
    const report = await sweepMissedEvents(deps.sql, deps.stripe, now());
    await deps.sql`select public.refresh_money_alerts(${now()})`;
    return json(report);
  };
}
