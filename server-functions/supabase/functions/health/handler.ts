// GET /functions/v1/health: is the database answering, how fast, and which
// alerts are open. 200 when the database answers, 503 when it does not, so a
// scheduler or uptime check can act on the status code alone.
import type { Sql } from '../_shared/db.ts';
import { errorResponse, json, preflight } from '../_shared/http.ts';

export interface HealthDeps {
  sql: Sql;
  now?: () => Date;
}

export function createHealthHandler({ sql, now = () => new Date() }: HealthDeps) {
  return async (req: Request): Promise<Response> => {
    const early = preflight(req);
    if (early) return early;
    if (req.method !== 'GET') return errorResponse(405, 'method_not_allowed', `${req.method} is not allowed; use GET`);
    const started = performance.now();
    try {
      const alerts = await sql<{ severity: string; kind: string; subject: string; message: string; opened_at: Date }[]>`
        select severity, kind, subject, message, opened_at
        from public.alerts where resolved_at is null
        order by severity = 'RED' desc, opened_at`;
      const latencyMs = Math.round(performance.now() - started);
      const level = alerts.some((a) => a.severity === 'RED') ? 'RED' : alerts.length ? 'YELLOW' : 'GREEN';
      return json({ status: 'ok', level, checkedAt: now().toISOString(), database: { ok: true, latencyMs }, alerts });
    } catch (err) {
      return json(
        { status: 'down', level: 'RED', checkedAt: now().toISOString(), database: { ok: false, error: (err as Error).message } },
        503,
      );
    }
  };
}
