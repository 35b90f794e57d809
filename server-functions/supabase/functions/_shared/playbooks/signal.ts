// Where a playbook run came from, read now: the alert's row (when it opened,
// its subject and the numbers behind it) or the complaint's business. The
// evidence readers take their "since when" and their subject from here.
import type { PlaybookRun } from '../../../../../shared/api/playbooks.ts';
import type { Sql } from '../db.ts';

export interface SignalFacts {
  /** When the signal started: the alert's opening, the complaint's filing, or the run's opening for one opened by name. */
  startedAt: Date;
  alertKind: string | null;
  alertSubject: string | null;
  details: Record<string, unknown>;
  businessId: string | null;
  councilId: string | null;
}

export async function readSignal(sql: Sql, run: PlaybookRun): Promise<SignalFacts> {
  const opened = new Date(run.openedAt);
  const none: SignalFacts = { startedAt: opened, alertKind: null, alertSubject: null, details: {}, businessId: null, councilId: null };
  if (run.signal.kind === 'alert' && run.signal.id) {
    const [a] = await sql<{ kind: string; subject: string; details: Record<string, unknown>; opened_at: Date }[]>`
      select a.kind, a.subject, a.details, a.opened_at from public.alerts a where a.id = ${run.signal.id}`;
    if (!a) return none;
    const businessId = typeof a.details.business_id === 'string' ? a.details.business_id : null;
    const councilId = a.kind === 'queue_out_of_order' || a.kind === 'queue_long' ? a.subject : null;
    return { startedAt: a.opened_at, alertKind: a.kind, alertSubject: a.subject, details: a.details, businessId, councilId };
  }
  if (run.signal.kind === 'complaint' && run.signal.id) {
    const [c] = await sql<{ business_id: string; council_id: string; created_at: Date }[]>`
      select c.business_id, b.council_id, c.created_at from public.complaints c join public.businesses b on b.id = c.business_id
      where c.id = ${run.signal.id}`;
    if (!c) return none;
    return { ...none, startedAt: c.created_at, businessId: c.business_id, councilId: c.council_id };
  }
  return none;
}
