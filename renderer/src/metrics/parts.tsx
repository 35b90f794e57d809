// The Metrics screen's building blocks: a titled panel of figure lines
// (name, figure, what qualifies it) with an optional chart under them, and
// the AI budget's standing against the server's switch line.
import type { ReactNode } from 'react';
import { Badge } from '../ui/Badge.tsx';
import css from './metrics.module.css';

export function Section({ title, children, chart }: { title: string; children: ReactNode; chart?: ReactNode }) {
  return (
    <section className={css.panel} aria-label={title}>
      <h2>{title}</h2>
      <dl className={css.lines}>{children}</dl>
      {chart}
    </section>
  );
}

export function Line({ k, v, more }: { k: string; v: string; more: ReactNode }) {
  return (
    <div>
      <dt>{k}</dt>
      <dd>
        <strong>{v}</strong> {more ? <span className="muted">· {more}</span> : null}
      </dd>
    </div>
  );
}

/**
 * The month's AI spend against the line where the server switches triage to
 * the deterministic rules by itself (its policy, ai_budget_switch_pct): the
 * screen says what the router does, never a line of its own.
 */
export function BudgetBadge({ spentCents, budgetCents, switchRatio }: { spentCents: number; budgetCents: number; switchRatio: number | null }) {
  if (switchRatio === null) return null;
  const pct = Math.round(switchRatio * 100);
  return spentCents < budgetCents * switchRatio ? (
    <Badge tone="GREEN">{`under budget; triage switches to the rules at ${pct}%`}</Badge>
  ) : (
    <Badge tone="YELLOW">{`at ${pct}% of budget: triage answers from the rules`}</Badge>
  );
}
