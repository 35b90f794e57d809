// How the console writes money, times and durations: Australian dollars from
// integer cents, every time in Australia/Melbourne (the UTC instant on hover).
export { formatAud } from '../../../shared/money.ts';

const melbourne = new Intl.DateTimeFormat('en-AU', {
  timeZone: 'Australia/Melbourne',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});
const melbourneDate = new Intl.DateTimeFormat('en-AU', { timeZone: 'Australia/Melbourne', day: 'numeric', month: 'short', year: 'numeric' });

/** "Tue, 1 Dec 2026, 2:00 am AEDT". */
export const formatMelbourne = (iso: string | null | undefined): string => (iso ? melbourne.format(new Date(iso)) : '—');
export const formatMelbourneDate = (iso: string | null | undefined): string => (iso ? melbourneDate.format(new Date(iso)) : '—');
export const utcTitle = (iso: string | null | undefined): string => (iso ? `${new Date(iso).toISOString().replace('T', ' ').slice(0, 19)} UTC` : '');

/** 3,780,000 ms → "1h 3m"; under a minute → "45s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m`;
  return `${s}s`;
}

export const formatPercent = (ratio: number): string => `${(ratio * 100).toFixed(ratio > 0 && ratio < 0.1 ? 1 : 0)}%`;

/** The spec's time estimates: 25 → "about 25 min work", 60 → "about 1.0 h work". */
export const minutesOfWork = (m: number) => (m < 60 ? `about ${m} min work` : `about ${(m / 60).toFixed(1)} h work`);
