// GET /functions/v1/health: is the database answering, how fast, and the
// alert level. 200 when the database answers, 503 when it does not, so a
// scheduler or uptime check can act on the status code alone. Anyone gets
// the level and counts; the operator (or the service role) also gets the open
// alerts and the AI provider summary, which name charges and errors.
// Refreshes the alert rules this function can evaluate on every call.
import { authenticate, isOperator, type JwtVerifier } from '../_shared/auth.ts';
import type { Sql } from '../_shared/db.ts';
import { expectMethod, json } from '../_shared/http.ts';

export interface HealthDeps {
  sql: Sql;
  verifier: JwtVerifier;
  now?: () => Date;
}

interface AlertRow {
  severity: 'RED' | 'YELLOW';
  kind: string;
  subject: string;
  message: string;
  details: Record<string, unknown>;
  opened_at: Date;
}

async function mayReadDetails(req: Request, verifier: JwtVerifier): Promise<boolean> {
  if (!req.headers.get('authorization')) return false;
  const auth = await authenticate(req, verifier);
  return auth.ok && (isOperator(auth.claims) || auth.claims.role === 'service_role');
}

export function createHealthHandler({ sql, verifier, now = () => new Date() }: HealthDeps) {
  return async (req: Request): Promise<Response> => {
    const refused = expectMethod(req, 'GET');
    if (refused) return refused;
    const checkedAt = now();
    const started = performance.now();
    try {
      await sql`select public.refresh_ai_alerts(${checkedAt})`;
      const alerts = await sql<AlertRow[]>`
        select severity, kind, subject, message, details, opened_at
        from public.alerts where resolved_at is null
        order by severity = 'RED' desc, opened_at`;
      const latencyMs = Math.round(performance.now() - started);
      const red = alerts.filter((a) => a.severity === 'RED').length;
      const level = red ? 'RED' : alerts.length ? 'YELLOW' : 'GREEN';
      const body: Record<string, unknown> = {
        status: 'ok',
        level,
        checkedAt: checkedAt.toISOString(),
        database: { ok: true, latencyMs },
        counts: { red, yellow: alerts.length - red },
      };
      if (await mayReadDetails(req, verifier)) {
        const [summary] = await sql<{ ai: unknown }[]>`select public.ai_provider_summary(${checkedAt}) as ai`;
        body.alerts = alerts.map((a) => ({ ...a, opened_at: a.opened_at.toISOString() }));
        body.ai = summary?.ai ?? null;
      }
      return json(body);
    } catch (err) {
      return json({ status: 'down', level: 'RED', checkedAt: checkedAt.toISOString(), database: { ok: false, error: (err as Error).message } }, 503);
    }
  };
}
