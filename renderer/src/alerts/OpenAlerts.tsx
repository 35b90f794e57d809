// The open alerts, RED first: severity, message, since when and for how long.
// The alert a notification (or the dashboard) pointed at is scrolled to and
// highlighted. Resolving is queued, so a resolved-here alert stays listed,
// marked waiting to sync, until the server's pull closes it.
import { useEffect, useRef } from 'react';
import { PLAYBOOK, playbookForAlert } from '../../../shared/api/playbooks.ts';
import type { AlertView } from '../../../shared/ipc/contract.ts';
import type { Screen } from '../app/nav.ts';
import { Badge } from '../ui/Badge.tsx';
import { formatDuration } from '../ui/format.ts';
import { Time } from '../ui/Time.tsx';
import css from './alerts.module.css';

/** Alerts whose analysis has a screen of its own: the alert says to open it, so it offers the way there. */
const ANALYSIS: Record<string, { screen: Screen; label: string }> = {
  refund_rate: { screen: 'refunds', label: 'Open the refund pattern (playbook 5)' },
};

export interface OpenAlertsProps {
  alerts: AlertView[];
  resolving: Record<string, string>;
  focusId: string | null;
  now: number;
  resolve(alertId: string): void;
  undo(commandId: string): void;
  open(screen: Screen): void;
  /** Opens (or resumes) the alert's playbook run. */
  openPlaybook(alert: AlertView): void;
  /** Starts an escalation with the alert as its evidence (spec Part 7). */
  escalate(alert: AlertView): void;
}

export function OpenAlerts({ alerts, resolving, focusId, now, resolve, undo, open, openPlaybook, escalate }: OpenAlertsProps) {
  const focused = useRef<HTMLLIElement>(null);
  const present = alerts.some((a) => a.id === focusId);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll again whenever another alert is asked for, even one already present
  useEffect(() => {
    if (present) focused.current?.scrollIntoView({ block: 'center' });
  }, [focusId, present]);
  if (!alerts.length) return <p className="muted">No open alerts: all systems nominal.</p>;
  return (
    <ul className={css.list}>
      {alerts.map((a) => {
        const commandId = resolving[a.id];
        const isFocus = a.id === focusId;
        const analysis = ANALYSIS[a.kind];
        const playbook = playbookForAlert(a.kind);
        return (
          <li
            key={a.id}
            ref={isFocus ? focused : undefined}
            className={`${css.alert} ${isFocus ? css.focused : ''}`}
            aria-current={isFocus ? 'true' : undefined}
          >
            <Badge tone={a.severity}>{a.severity}</Badge>
            <span className={css.message}>{a.message}</span>
            <span className="muted">
              since <Time at={a.openedAt} /> ({formatDuration(now - Date.parse(a.openedAt))})
            </span>
            <span className={css.push}>
              {playbook ? (
                <button type="button" onClick={() => openPlaybook(a)}>
                  Open playbook: {PLAYBOOK[playbook].title}
                </button>
              ) : null}
              {analysis ? (
                <button type="button" onClick={() => open(analysis.screen)}>
                  {analysis.label}
                </button>
              ) : null}
              <button type="button" onClick={() => escalate(a)} aria-label={`Escalate alert: ${a.message}`}>
                Escalate…
              </button>
              {commandId ? (
                <>
                  <Badge tone="NEUTRAL">Resolved here: waiting to sync</Badge>
                  <button type="button" onClick={() => undo(commandId)} aria-label={`Undo resolving: ${a.message}`}>
                    Undo
                  </button>
                </>
              ) : (
                <button type="button" onClick={() => resolve(a.id)} aria-label={`Resolve alert: ${a.message}`}>
                  Resolve…
                </button>
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
