import type { ReactNode } from 'react';
import css from './ui.module.css';

export type Tone = 'RED' | 'YELLOW' | 'GREEN' | 'NEUTRAL';

export function Badge({ tone, children }: { tone: Tone; children: ReactNode }) {
  return <span className={`${css.badge} ${css[tone]}`}>{children}</span>;
}
