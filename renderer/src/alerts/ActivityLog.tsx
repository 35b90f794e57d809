// The audit trail, newest first, filtered by main (action, actor, subject,
// details); times in Melbourne.
import { useState } from 'react';
import type { ActivityItem } from '../../../shared/api/operator.ts';
import { Time } from '../ui/Time.tsx';
import { describeActivity } from './describe.ts';
import css from './alerts.module.css';

const PAGE = 40;

export function ActivityLog({ activity, search, setSearch }: { activity: ActivityItem[]; search: string; setSearch(s: string): void }) {
  const [shown, setShown] = useState(PAGE);
  return (
    <>
      <div className={css.filter}>
        <label htmlFor="activity-filter">Filter activity</label>
        <input
          id="activity-filter"
          type="search"
          value={search}
          onChange={(e) => {
            setShown(PAGE);
            setSearch(e.target.value);
          }}
          placeholder="e.g. refund, review, alert"
        />
        <span className="muted" aria-live="polite">
          {activity.length} entries
        </span>
      </div>
      {activity.length ? (
        <ul className={`${css.list} ${css.activity}`} aria-label="Activity log">
          {activity.slice(0, shown).map((a) => (
            <li key={a.id}>
              <Time at={a.occurredAt} />
              <span>{describeActivity(a)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{search ? 'Nothing in the log matches.' : 'No activity cached.'}</p>
      )}
      {activity.length > shown ? (
        <button type="button" className={css.more} onClick={() => setShown((n) => n + PAGE)}>
          Show more
        </button>
      ) : null}
    </>
  );
}
