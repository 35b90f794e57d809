// The Metrics screen's building blocks: a titled panel of figure lines
// (name, figure, what qualifies it) with an optional chart under them.
import type { ReactNode } from 'react';
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
