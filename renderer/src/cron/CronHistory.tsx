// The daily job's attempts as a table, one group per run (attempts of a run
// share its run id), newest run first; every time in Melbourne.
import { useState } from 'react';
import type { CronRunItem } from '../../../shared/api/operator.ts';
import { Badge, type Tone } from '../ui/Badge.tsx';
import { formatDuration } from '../ui/format.ts';
import { Time } from '../ui/Time.tsx';
import css from './cron.module.css';

const TONE: Record<CronRunItem['status'], Tone> = { success: 'GREEN', failure: 'RED', running: 'NEUTRAL' };

/** Attempts grouped by run, runs in main's order (newest first), attempts in order within a run. */
export function groupByRun(runs: CronRunItem[]): CronRunItem[][] {
  const groups = new Map<string, CronRunItem[]>();
  for (const r of runs) groups.set(r.runId, [...(groups.get(r.runId) ?? []), r]);
  return [...groups.values()].map((g) => g.sort((a, b) => a.attempt - b.attempt));
}

/** What the job recorded ("expired: 2, promoted: 3"), for plain values only. */
function describeResult(result: unknown): string {
  if (!result || typeof result !== 'object') return '';
  return Object.entries(result as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || Array.isArray(v))
    .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${Array.isArray(v) ? v.length : String(v)}`)
    .join(', ');
}

const FIRST = 31;

/** Sub-second runs in milliseconds (a manual run on a quiet day is quick), longer ones as "2s", "1m". */
export const runDuration = (ms: number | null) => (ms === null ? '—' : ms < 1000 ? `${ms} ms` : formatDuration(ms));

export function CronHistory({ runs }: { runs: CronRunItem[] }) {
  const [all, setAll] = useState(false);
  if (!runs.length) return <p className="muted">No runs cached yet: the first sync brings the history.</p>;
  const groups = groupByRun(runs);
  const shown = all ? groups : groups.slice(0, FIRST);
  return (
    <>
      <table className={css.runs}>
        <caption className="visually-hidden">featured-expiry-and-promotion runs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Trigger</th>
            <th scope="col">Attempt</th>
            <th scope="col">Duration</th>
            <th scope="col">Status</th>
            <th scope="col">Error or result</th>
          </tr>
        </thead>
        {shown.map((group) => (
          <tbody key={group[0]!.runId}>
            {group.map((r) => (
              <tr key={r.id}>
                <td>
                  <Time at={r.startedAt} />
                </td>
                <td>{r.trigger === 'manual' ? 'Run now' : 'Schedule'}</td>
                <td>
                  attempt {r.attempt} of {r.maxAttempts}
                </td>
                <td>{runDuration(r.durationMs)}</td>
                <td>
                  <Badge tone={TONE[r.status]}>{r.status}</Badge>
                </td>
                <td>{r.error ? <span className={css.error}>{r.error}</span> : <span className={css.what}>{describeResult(r.result)}</span>}</td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
      {groups.length > shown.length ? (
        <button type="button" className={css.more} onClick={() => setAll(true)}>
          Show all {groups.length} runs
        </button>
      ) : null}
    </>
  );
}
