// The run's timeline as the server built it from what happened (the alert, each step and its command's verdict, recovery, the alert resolved), in Melbourne time.
import type { TimelineEvent } from '../../../shared/api/playbooks.ts';
import { Time } from '../ui/Time.tsx';
import css from './playbooks.module.css';

export function Timeline({ events }: { events: TimelineEvent[] }) {
  if (!events.length) return <p className="muted">Nothing has happened yet.</p>;
  return (
    <ol className={css.timeline} aria-label="Timeline">
      {events.map((e, i) => (
        // Events have no id of their own; their order never changes (append-only).
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <li key={i}>
          <Time at={e.at} />
          <span className={css.text}>{e.text}</span>
        </li>
      ))}
    </ol>
  );
}
