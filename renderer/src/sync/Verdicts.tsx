// What the server refused or found stale, with who decided first and the
// item as the server has it now; dismissed once read.
import type { Verdict } from '../../../shared/ipc/contract.ts';
import { Badge } from '../ui/Badge.tsx';
import { Time } from '../ui/Time.tsx';
import css from './sync.module.css';

const KIND_WORDS: Record<string, string> = {
  stale: 'Changed on the server first',
  refused: 'Refused',
  invalid: 'Invalid',
  not_found: 'Not found',
  frozen: 'Frozen by a legal escalation',
  dead_letter: 'Dead letter',
};

/** The item's current state in a few words ("status: approved"). */
function describeCurrent(current: Record<string, unknown> | null): string | null {
  if (!current) return null;
  if (typeof current.status === 'string') return `now ${current.status}`;
  const plain = Object.entries(current)
    .filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
    .slice(0, 3);
  return plain.length ? plain.map(([k, v]) => `${k}: ${String(v)}`).join(', ') : null;
}

export function Verdicts({ verdicts, dismiss }: { verdicts: Verdict[]; dismiss(commandId: string): void }) {
  if (!verdicts.length) return <p className="muted">No verdicts to read: everything sent was applied.</p>;
  return (
    <ul className={css.list}>
      {verdicts.map((v) => {
        // A freeze's current names the escalation by id; its reason already names it in words.
        const current = v.kind === 'frozen' ? null : describeCurrent(v.current);
        return (
          <li key={v.commandId} className={css.verdict}>
            <Badge tone={v.kind === 'stale' ? 'YELLOW' : 'RED'}>{KIND_WORDS[v.kind] ?? v.kind}</Badge>
            <div>
              <p>
                <strong>{v.label}</strong>: {v.reason}
              </p>
              <p className="muted">
                {v.decidedBy ? (
                  <>
                    Decided by {v.decidedBy.name ?? 'someone else'}
                    {v.decidedBy.at ? (
                      <>
                        {' '}
                        at <Time at={v.decidedBy.at} />
                      </>
                    ) : null}
                    .{' '}
                  </>
                ) : null}
                {current ? `The item is ${current}. ` : null}
                Reported <Time at={v.createdAt} />.
              </p>
            </div>
            <div className={css.buttons}>
              <button type="button" onClick={() => dismiss(v.commandId)} aria-label={`Dismiss verdict: ${v.reason}`}>
                Dismiss
              </button>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
