// /functions/v1/payment-reconciliation (spec 2.3), for the scheduler (service
// role, daily) and the operator (online only: it reads Stripe):
//   POST                        run it now: the 7-day comparison, archived
//   GET                         the archived reports, newest first (no files)
//   GET ?id=<uuid>&format=csv|pdf  one report's file, as it was archived
import { z } from 'zod';
import { schedulerOrOperator, type JwtVerifier } from '../_shared/auth.ts';
import type { Sql } from '../_shared/db.ts';
import { corsHeaders, errorResponse, json, preflight } from '../_shared/http.ts';
import { runReconciliation } from '../_shared/reconcile/reconcile.ts';
import type { Stripe } from '../_shared/stripe.ts';

export interface ReconciliationDeps {
  sql: Sql;
  stripe: Stripe;
  verifier: JwtVerifier;
  now?: () => Date;
}

const reportId = z.uuid();

export function createReconciliationHandler(deps: ReconciliationDeps) {
  const now = deps.now ?? (() => new Date());
  return async (req: Request): Promise<Response> => {
    const early = preflight(req);
    if (early) return early;
    if (req.method !== 'GET' && req.method !== 'POST') {
      return errorResponse(405, 'method_not_allowed', `method ${req.method} is not allowed; use GET or POST`, { field: 'method' });
    }
    const auth = await schedulerOrOperator(req, deps.verifier, 'reconcile payments');
    if (!auth.ok) return errorResponse(auth.status, auth.status === 401 ? 'unauthorized' : 'forbidden', auth.message);

    if (req.method === 'POST') {
      const run = await runReconciliation(deps.sql, deps.stripe, {
        now: now(),
        trigger: auth.scheduler ? 'schedule' : 'manual',
        operatorId: auth.scheduler ? null : (auth.claims.sub ?? null),
      });
      return json(run, 201);
    }

    const url = new URL(req.url);
    const id = url.searchParams.get('id');
    if (id === null) {
      const reports = await deps.sql`
        select id, name, run_at as "runAt", trigger, window_start as "windowStart", window_end as "windowEnd",
               our_total_cents::int8 as "ourTotalCents", stripe_total_cents::int8 as "stripeTotalCents", matched,
               jsonb_array_length(discrepancies) as discrepancies, csv_sha256 as "csvSha256", pdf_sha256 as "pdfSha256", keep_until as "keepUntil"
        from public.reconciliation_reports order by run_at desc limit 400`;
      return json({ reports: reports.map((r) => ({ ...r, ourTotalCents: Number(r.ourTotalCents), stripeTotalCents: Number(r.stripeTotalCents) })) });
    }
    if (!reportId.safeParse(id).success) return errorResponse(400, 'bad_request', 'id must be a report id (uuid)', { field: 'id' });
    const format = url.searchParams.get('format') ?? 'csv';
    if (format !== 'csv' && format !== 'pdf') return errorResponse(400, 'bad_request', 'format must be csv or pdf', { field: 'format' });
    const [report] = await deps.sql<{ name: string; csv: string; pdf: Uint8Array; csv_sha256: string; pdf_sha256: string }[]>`
      select name, csv, pdf, csv_sha256, pdf_sha256 from public.reconciliation_reports where id = ${id}`;
    if (!report) return errorResponse(404, 'not_found', `report ${id} does not exist`, { field: 'id' });
    const body = format === 'csv' ? new TextEncoder().encode(report.csv) : report.pdf;
    return new Response(new Blob([new Uint8Array(body)]), {
      status: 200,
      headers: {
        ...corsHeaders,
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf',
        'content-disposition': `attachment; filename="${report.name}.${format}"`,
        'x-content-sha256': format === 'csv' ? report.csv_sha256 : report.pdf_sha256,
      },
    });
  };
}
