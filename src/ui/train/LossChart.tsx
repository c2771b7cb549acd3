/** A small line chart of a training loss, one line per class where the stage runs per class. */
import type { LossPoint } from '../../state/trainingStore';

const WIDTH = 320;
const HEIGHT = 120;
const PAD = { left: 44, right: 8, top: 8, bottom: 22 };

export function LossChart({ title, points, classes }: { readonly title: string; readonly points: readonly LossPoint[]; readonly classes: readonly string[] }) {
  if (points.length === 0) return null;
  const series = new Map<number, LossPoint[]>();
  for (const point of points) series.set(point.classId ?? -1, [...(series.get(point.classId ?? -1) ?? []), point]);
  const steps = points.map((p) => p.step);
  const losses = points.map((p) => p.loss).filter(Number.isFinite);
  const [x0, x1] = [Math.min(...steps), Math.max(...steps)];
  const [y0, y1] = [Math.min(...losses), Math.max(...losses)];
  const x = (step: number) => PAD.left + ((step - x0) / (x1 - x0 || 1)) * (WIDTH - PAD.left - PAD.right);
  const y = (loss: number) => PAD.top + (1 - (loss - y0) / (y1 - y0 || 1)) * (HEIGHT - PAD.top - PAD.bottom);
  const first = points[0].loss;
  const last = points[points.length - 1].loss;
  const summary = `${title}: from ${first.toPrecision(3)} to ${last.toPrecision(3)} over ${points.length} reports.`;

  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        <line className="axis" x1={PAD.left} y1={HEIGHT - PAD.bottom} x2={WIDTH - PAD.right} y2={HEIGHT - PAD.bottom} />
        <line className="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={HEIGHT - PAD.bottom} />
        <text className="tick" x={PAD.left - 4} y={PAD.top + 8} textAnchor="end">
          {y1.toPrecision(3)}
        </text>
        <text className="tick" x={PAD.left - 4} y={HEIGHT - PAD.bottom} textAnchor="end">
          {y0.toPrecision(3)}
        </text>
        <text className="tick" x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end">
          epoch {x1}
        </text>
        {[...series].map(([classId, line], i) => (
          <polyline key={classId} className={`series series-${i % 4}`} points={line.map((p) => `${x(p.step).toFixed(1)},${y(p.loss).toFixed(1)}`).join(' ')}>
            <title>{classId >= 0 ? (classes[classId] ?? `class ${classId}`) : title}</title>
          </polyline>
        ))}
      </svg>
    </figure>
  );
}
