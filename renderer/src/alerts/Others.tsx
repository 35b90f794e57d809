// Flagged accounts and incident reports, briefly.
import type { FlaggedAccount, IncidentItem } from '../../../shared/api/operator.ts';
import { Badge } from '../ui/Badge.tsx';
import { Time } from '../ui/Time.tsx';
import css from './alerts.module.css';

export function FlaggedAccounts({ accounts }: { accounts: FlaggedAccount[] }) {
  if (!accounts.length) return <p className="muted">No account is flagged for review.</p>;
  return (
    <ul className={css.list}>
      {accounts.map((a) => (
        <li key={a.id}>
          <strong>{a.displayName ?? a.email ?? a.id}</strong>
          {a.email && a.displayName ? <span className="muted"> ({a.email})</span> : null} — {a.flaggedReason ?? 'no reason recorded'}{' '}
          <span className="muted">
            (flagged <Time at={a.flaggedAt} />)
          </span>
        </li>
      ))}
    </ul>
  );
}

export interface IncidentsProps {
  incidents: IncidentItem[];
  /** Opens a draft's playbook run where it was left. */
  resume(incidentId: string): void;
  /** Saves a final report's archived file. */
  exportFile(incidentId: string, format: 'txt' | 'pdf'): void;
}

export function Incidents({ incidents, resume, exportFile }: IncidentsProps) {
  if (!incidents.length) return <p className="muted">No incident reports.</p>;
  return (
    <ul className={css.list}>
      {incidents.slice(0, 10).map((i) => (
        <li key={i.id}>
          <Badge tone={i.severity}>{i.severity}</Badge> {i.status === 'draft' ? <Badge tone="YELLOW">Draft</Badge> : <Badge tone="GREEN">Final</Badge>}{' '}
          <strong>{i.title}</strong>{' '}
          <span className="muted">
            started <Time at={i.startedAt} />
            {i.resolvedAt ? (
              <>
                , resolved <Time at={i.resolvedAt} />
              </>
            ) : (
              ', unresolved'
            )}
          </span>{' '}
          {i.status === 'draft' && i.playbook ? (
            <button type="button" onClick={() => resume(i.id)} aria-label={`Resume: ${i.title}`}>
              Resume
            </button>
          ) : null}
          {i.status === 'final' && i.playbook ? (
            <>
              <button type="button" onClick={() => exportFile(i.id, 'txt')} aria-label={`Export as text: ${i.title}`}>
                Export as text
              </button>{' '}
              <button type="button" onClick={() => exportFile(i.id, 'pdf')} aria-label={`Export as PDF: ${i.title}`}>
                Export as PDF
              </button>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
