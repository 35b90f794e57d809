// The dashboard's word on escalations (spec Part 7): those still open past
// the age their urgency allows, each with how late it is and the way to it.
import { TEAM_NAME, URGENCY_WORDS } from '../../../shared/api/escalations.ts';
import type { EscalationView } from '../../../shared/ipc/contract.ts';
import { Badge } from '../ui/Badge.tsx';
import { formatDuration } from '../ui/format.ts';
import { Time } from '../ui/Time.tsx';

export function OverdueEscalations({ escalations, now, open, className }: { escalations: EscalationView[]; now: number; open(): void; className?: string }) {
  if (!escalations.length) return null;
  return (
    <section aria-labelledby="overdue-h" className={className}>
      <h2 id="overdue-h">Overdue escalations ({escalations.length})</h2>
      <ul>
        {escalations.map((e) => (
          <li key={e.id}>
            <Badge tone="RED">Overdue {formatDuration(now - Date.parse(e.dueAt))}</Badge> {e.subject}: {TEAM_NAME[e.team]} team,{' '}
            {URGENCY_WORDS[e.urgency].toLowerCase()} urgency, sent <Time at={e.openedAt} />, no answer yet.
          </li>
        ))}
      </ul>
      <button type="button" onClick={open}>
        Open escalations
      </button>
    </section>
  );
}
