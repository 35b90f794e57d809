import { formatMelbourne, formatMelbourneDate, utcTitle } from './format.ts';

/** A moment in Melbourne time, its UTC instant on hover. */
export function Time({ at, dateOnly = false }: { at: string | null | undefined; dateOnly?: boolean }) {
  if (!at) return <span>—</span>;
  return (
    <time dateTime={at} title={utcTitle(at)}>
      {dateOnly ? formatMelbourneDate(at) : formatMelbourne(at)}
    </time>
  );
}
