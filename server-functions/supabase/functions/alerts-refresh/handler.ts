// POST /functions/v1/alerts-refresh { scope: "red" | "all" }: keeps the
// alerts current (spec 1.2, 6.1). The scheduler calls it every 30 s with
// "red" and every minute with "all" (the local stack's scheduler; pg_cron +
// pg_net on hosted Supabase, see README); the operator may call it too.
// First it probes the database the way every function meets it (one
// statement, timed here, with a hard timeout), records the probe, then runs
// public.refresh_alerts, which opens, updates and resolves every rule's
// alert, the new "database slow or timing out" among them. Before the rules,
// the Z.AI provider probe (playbook 4.1 step 5, _shared/ai/probe.ts): while
// AI_MODE is not z_ai, at most one small call every 5 minutes, so recovery
// is seen (and zai_down resolves) without a visitor's call.
import type { ProviderConfig } from '../_shared/ai/provider.ts';
import { type ProbeOutcome, probeZai } from '../_shared/ai/probe.ts';
import { schedulerOrOperator, type JwtVerifier } from '../_shared/auth.ts';
import type { Sql } from '../_shared/db.ts';
import { errorResponse, expectMethod, json } from '../_shared/http.ts';

export interface AlertsRefreshDeps {
  sql: Sql;
  verifier: JwtVerifier;
  now?: () => Date;
  /** A probe slower than this counts as timed out (the db_probe_timeout_ms setting says the same to the operator). */
  probeTimeoutMs?: number;
  /** Z.AI's settings, for the provider probe (null or absent: no probe). */
  zai?: ProviderConfig | null;
  /** How long the provider probe waits for Z.AI. */
  aiTimeoutMs?: number;
}

export interface Probe {
  latencyMs: number;
  ok: boolean;
  error: string | null;
}

/** One statement, timed from here: what a request meets when the database is slow. */
export async function probeDatabase(sql: Sql, timeoutMs: number): Promise<Probe> {
  const t0 = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      sql`select 1 as ok`,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { latencyMs: performance.now() - t0, ok: true, error: null };
  } catch (err) {
    return { latencyMs: performance.now() - t0, ok: false, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export function createAlertsRefreshHandler(deps: AlertsRefreshDeps) {
  const now = deps.now ?? (() => new Date());
  const timeoutMs = deps.probeTimeoutMs ?? 5000;
  return async (req: Request): Promise<Response> => {
    const refused = expectMethod(req, 'POST');
    if (refused) return refused;
    const auth = await schedulerOrOperator(req, deps.verifier, 'refresh the alerts');
    if (!auth.ok) return errorResponse(auth.status, auth.status === 401 ? 'unauthorized' : 'forbidden', auth.message);
    let body: { scope?: unknown } = {};
    try {
      body = (await req.json()) as { scope?: unknown };
    } catch {
      body = {};
    }
    const scope = body.scope ?? 'all';
    if (scope !== 'red' && scope !== 'all') return errorResponse(400, 'bad_request', 'scope must be "red" or "all"', { field: 'scope' });

    const probe = await probeDatabase(deps.sql, timeoutMs);
    let zaiProbe: ProbeOutcome | null = null;
    if (probe.ok && deps.zai) {
      // A probe that cannot be made (the database refused its record) must not stop the alerts.
      zaiProbe = await probeZai({ sql: deps.sql, zai: deps.zai, now, timeoutMs: deps.aiTimeoutMs }, { scheduled: true }).catch((err) => ({
        probed: false as const,
        reason: `the Z.AI probe failed: ${(err as Error).message}`,
      }));
    }
    try {
      const at = now();
      await deps.sql`select public.record_db_probe(${probe.latencyMs}, ${probe.ok}, ${probe.error}, ${at})`;
      const [row] = await deps.sql<{ r: { scope: string; open_red: number; open_yellow: number } }[]>`select public.refresh_alerts(${scope}, ${at}) as r`;
      return json({ ...row!.r, probe, zaiProbe });
    } catch (err) {
      // The database could not even take the probe's record: say so in JSON (the scheduler logs it).
      return errorResponse(503, 'unavailable', `the database is not answering: ${(err as Error).message}`);
    }
  };
}
