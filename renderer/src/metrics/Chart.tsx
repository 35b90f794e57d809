// A chart drawn by uPlot on a canvas, with what it shows in words for those
// who cannot see it (its label) and the numbers as a table under a
// disclosure. React owns the box; uPlot owns what is inside it.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartProps {
  title: string;
  /** One sentence of what the chart says (its accessible name). */
  summary: string;
  labels: string[];
  values: number[];
  kind: 'bars' | 'line';
  format(v: number): string;
}

export function Chart({ title, summary, labels, values, kind, format }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = labels.map((_, i) => i);
    const plot = new uPlot(
      {
        width: Math.max(320, el.clientWidth),
        height: 200,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.6, labels.length - 0.4] }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [
          // Long names (councils) slant so they never overlap.
          {
            values: (_u, splits) => splits.map((i) => labels[Math.round(i)] ?? ''),
            incrs: [1, 2, 5, 7],
            gap: 4,
            ...(labels.some((l) => l.length > 6) ? { rotate: -40, size: 80 } : {}),
          },
          { values: (_u, splits) => splits.map((v) => format(v)), size: 70 },
        ],
        series: [
          {},
          kind === 'bars'
            ? { label: title, stroke: '#1f5fbf', fill: 'rgba(31, 95, 191, 0.55)', paths: uPlot.paths.bars!({ size: [0.7, 40] }), points: { show: false } }
            : { label: title, stroke: '#1f5fbf', width: 2, points: { show: true, size: 4 } },
        ],
      },
      [xs, values],
      el,
    );
    return () => plot.destroy();
  }, [labels, values, kind, title, format]);
  return (
    <figure>
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <div ref={box} role="img" aria-label={summary} />
      <details>
        <summary>{title} as a table</summary>
        <table>
          <tbody>
            {labels.map((l, i) => (
              <tr key={l}>
                <th scope="row">{l}</th>
                <td>{format(values[i] ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
