// What waits to be uploaded, in main's words, with Cancel (and Change for a
// review decision); the dead-letter lane is the same table with Retry.
import type { OutboxEntry } from '../../../shared/ipc/contract.ts';
import { Badge } from '../ui/Badge.tsx';
import { Time } from '../ui/Time.tsx';
import css from './sync.module.css';

const STATE_WORDS: Record<OutboxEntry['state'], string> = { pending: 'Waiting to sync', sending: 'Sending', dead: 'Dead letter' };
export const isReviewDecision = (e: OutboxEntry) => e.reviewDecision !== null;

export interface OutboxTableProps {
  entries: OutboxEntry[];
  caption: string;
  empty: string;
  cancel(commandId: string): void;
  change?(entry: OutboxEntry): void;
  retry?(commandId: string): void;
}

export function OutboxTable({ entries, caption, empty, cancel, change, retry }: OutboxTableProps) {
  if (!entries.length) return <p className="muted">{empty}</p>;
  return (
    <table>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Decision</th>
          <th scope="col">State</th>
          <th scope="col">Decided</th>
          <th scope="col">Attempts</th>
          <th scope="col">Last error</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.commandId}>
            <td>{e.label}</td>
            <td>
              <Badge tone={e.state === 'dead' ? 'RED' : 'NEUTRAL'}>{STATE_WORDS[e.state]}</Badge>
            </td>
            <td>
              <Time at={e.decidedAt} />
            </td>
            <td>{e.attempts}</td>
            <td>{e.lastError ? <span className={css.error}>{e.lastError}</span> : '—'}</td>
            <td>
              {e.state === 'sending' ? (
                <span className="muted">Being sent</span>
              ) : (
                <div className={css.buttons}>
                  {retry && e.state === 'dead' ? (
                    <button type="button" onClick={() => retry(e.commandId)} aria-label={`Retry: ${e.label}`}>
                      Retry
                    </button>
                  ) : null}
                  {change && isReviewDecision(e) ? (
                    <button type="button" onClick={() => change(e)} aria-label={`Change: ${e.label}`}>
                      Change…
                    </button>
                  ) : null}
                  <button type="button" onClick={() => cancel(e.commandId)} aria-label={`Cancel: ${e.label}`}>
                    Cancel
                  </button>
                </div>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
