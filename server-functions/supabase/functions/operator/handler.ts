// The operator API (/functions/v1/operator). Every route requires a Supabase
// session whose app_metadata.role is "operator", issued by this project's
// auth server; the check is made here, on the server, whatever the console
// does. Routes: GET /me, POST /pull { cursor }, POST /push { commands },
// POST /investigate { query }, POST /queue-check { councilId }, POST
// /metrics (the snapshot of spec 3.2) and POST /refund-pattern (playbook 5)
// (online only: they read the live system and ask Stripe); the playbook runs'
// routes (/playbook…, evidence and live checks) and the incident reports'
// (/incident-file) and the escalations' (/escalation/draft) are answered by
// their own domains.
import { InvestigateRequest, QueueCheckRequest } from '../../../../shared/api/investigation.ts';
import { PullRequest, PushRequest } from '../../../../shared/api/operator.ts';
import { authenticate, isOperator, type JwtVerifier } from '../_shared/auth.ts';
import { readJsonBody } from '../_shared/body.ts';
import type { Sql } from '../_shared/db.ts';
import { errorResponse, json, preflight, rawJson } from '../_shared/http.ts';
import { checkQueue, investigate } from '../_shared/investigate/investigate.ts';
import { runDailyJob } from '../_shared/jobs/daily.ts';
import { metricsSnapshot } from '../_shared/metrics/snapshot.ts';
import { stripeStatus } from '../_shared/payments/stripe-status.ts';
import { pullJson } from '../_shared/operator/pull.ts';
import { readRefundPattern } from '../_shared/refunds/pattern.ts';
import { push } from '../_shared/operator/push.ts';
import type { Stripe } from '../_shared/stripe.ts';
import { escalationRoutes } from '../_shared/escalations/routes.ts';
import { incidentRoutes } from '../_shared/incidents/routes.ts';
import { playbookRoutes } from '../_shared/playbooks/routes.ts';
import type { RouteDeps } from '../_shared/operator/routes.ts';

export interface OperatorDeps {
  sql: Sql;
  verifier: JwtVerifier;
  stripe: Stripe;
  now?: () => Date;
  /** Back-off between daily-job attempts (tests shorten it). */
  sleep?: (ms: number) => Promise<void>;
  /** Calls another of our edge functions as the public (or Stripe) would: the playbooks' live checks go through the real endpoints. */
  callFunction?: RouteDeps['callFunction'];
  /** The Stripe webhook signing secret, to sign the webhook health check's test event. */
  webhookSecret?: string | null;
  /** Z.AI's settings, for the playbook's provider probe. */
  zai?: RouteDeps['zai'];
  /** The functions' AI_MODE cache lifetime (AI_MODE_TTL_MS): the triage check waits it out after a switch. */
  aiModeTtlMs?: number;
}

/** A push of 1,000 commands is a few hundred kilobytes; nothing legitimate is bigger. */
const PUSH_MAX_BYTES = 2 * 1024 * 1024;

export function createOperatorHandler(deps: OperatorDeps) {
  const runJobNow = (operatorId: string) => runDailyJob({ sql: deps.sql, now: deps.now, sleep: deps.sleep }, 'manual', operatorId);
  const routeDeps: RouteDeps = {
    sql: deps.sql,
    stripe: deps.stripe,
    now: () => deps.now?.() ?? new Date(),
    callFunction: deps.callFunction ?? (() => Promise.reject(new Error('no function URL is configured (SUPABASE_URL)'))),
    webhookSecret: deps.webhookSecret ?? null,
    zai: deps.zai ?? null,
    aiModeTtlMs: deps.aiModeTtlMs,
  };
  return async (req: Request): Promise<Response> => {
    const early = preflight(req);
    if (early) return early;
    const auth = await authenticate(req, deps.verifier);
    if (!auth.ok) return errorResponse(auth.status, 'unauthorized', auth.message);
    // API keys (anon, service_role) are not sessions at all: another role. (Issuer, audience and expiry: authenticate.)
    if (!isOperator(auth.claims)) {
      return errorResponse(403, 'forbidden', 'this API is for the operator role only (app_metadata.role must be "operator")');
    }
    const operatorId = auth.claims.sub!;
    const route = new URL(req.url).pathname.replace(/^.*\/operator/, '') || '/';
    if (route === '/me' && req.method === 'GET') {
      return json({ id: operatorId, email: auth.claims.email ?? null, role: 'operator' });
    }
    if (route === '/pull' && req.method === 'POST') {
      const body = await readJsonBody(req, PullRequest);
      if (!body.ok) return body.response;
      return rawJson(await pullJson(deps.sql, body.value.cursor));
    }
    if (route === '/push' && req.method === 'POST') {
      const body = await readJsonBody(req, PushRequest, PUSH_MAX_BYTES);
      if (!body.ok) return body.response;
      const results = await push({ sql: deps.sql, stripe: deps.stripe, now: deps.now, runDailyJob: runJobNow }, operatorId, body.value.commands);
      return json({ results });
    }
    if (route === '/investigate' && req.method === 'POST') {
      const body = await readJsonBody(req, InvestigateRequest);
      if (!body.ok) return body.response;
      return json(await investigate(deps.sql, deps.stripe, body.value.query, deps.now?.() ?? new Date()));
    }
    if (route === '/metrics' && req.method === 'POST') {
      const now = deps.now?.() ?? new Date();
      const [snapshot, stripe] = await Promise.all([metricsSnapshot(deps.sql, now), stripeStatus(deps.stripe, now)]);
      return json({ ...snapshot, stripe });
    }
    if (route === '/refund-pattern' && req.method === 'POST') {
      return json(await readRefundPattern(deps.sql, deps.now?.() ?? new Date()));
    }
    if (route === '/queue-check' && req.method === 'POST') {
      const body = await readJsonBody(req, QueueCheckRequest);
      if (!body.ok) return body.response;
      return json(await checkQueue(deps.sql, body.value.councilId, deps.now?.() ?? new Date()));
    }
    for (const routes of [playbookRoutes, incidentRoutes, escalationRoutes]) {
      const answer = await routes(routeDeps, operatorId, route, req);
      if (answer) return answer;
    }
    return errorResponse(404, 'not_found', `no operator route ${req.method} ${route}`);
  };
}
