// The incidents domain's operator routes (spec Part 4):
//   POST /incident { incidentId }              → PlaybookRun: the report, its steps, its timeline and the report pre-filled
//   POST /incident-file { incidentId, format } → IncidentFile: a final report's archived text or PDF, checked against its SHA-256
// Reads only; every change to a report is an audited command of /push.
import { IncidentFileRequest, type IncidentFile, IncidentRequest } from '../../../../../shared/api/playbooks.ts';
import { readJsonBody } from '../body.ts';
import { errorResponse, json } from '../http.ts';
import type { OperatorRoutes } from '../operator/routes.ts';
import { sha256 } from './report.ts';
import { readRun } from './run.ts';

interface Archived {
  playbook: string | null;
  status: 'draft' | 'final';
  report_name: string | null;
  report_text: string | null;
  report_text_sha256: string | null;
  report_pdf: Uint8Array | null;
  report_pdf_sha256: string | null;
}

const toBase64 = (bytes: Uint8Array) => {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
};

export const incidentRoutes: OperatorRoutes = async (deps, _operatorId, route, req) => {
  if (req.method !== 'POST') return null;
  if (route === '/incident') {
    const body = await readJsonBody(req, IncidentRequest);
    if (!body.ok) return body.response;
    const run = await readRun(deps.sql, body.value.incidentId, deps.now());
    return run
      ? json(run)
      : errorResponse(404, 'not_found', `incident ${body.value.incidentId} is not a playbook run (no such incident, or one written without a playbook)`, {
          field: 'incidentId',
        });
  }
  if (route === '/incident-file') {
    const body = await readJsonBody(req, IncidentFileRequest);
    if (!body.ok) return body.response;
    const { incidentId, format } = body.value;
    const [row] = await deps.sql<Archived[]>`
      select playbook, status, report_name, report_text, report_text_sha256, report_pdf, report_pdf_sha256
      from public.incidents where id = ${incidentId}`;
    if (!row) return errorResponse(404, 'not_found', `incident ${incidentId} does not exist`, { field: 'incidentId' });
    if (row.status !== 'final') {
      return errorResponse(409, 'conflict', `incident report ${incidentId} is still a draft; finish it to archive its text and PDF`);
    }
    if (!row.report_name) return errorResponse(409, 'conflict', `incident report ${incidentId} was written before reports were archived; it has no files`);
    const bytes = format === 'txt' ? new TextEncoder().encode(row.report_text!) : new Uint8Array(row.report_pdf!);
    const stored = format === 'txt' ? row.report_text_sha256! : row.report_pdf_sha256!;
    const actual = await sha256(bytes);
    if (actual !== stored) {
      return errorResponse(500, 'internal', `the archived ${format} of incident report ${incidentId} does not match its SHA-256 (${stored}); it is not served`);
    }
    const file: IncidentFile = {
      fileName: `${row.report_name}.${format}`,
      mimeType: format === 'txt' ? 'text/plain; charset=utf-8' : 'application/pdf',
      base64: toBase64(bytes),
      sha256: stored,
    };
    return json(file);
  }
  return null;
};
