/** A curve over the unit square, x the pixel false-positive rate: the ROC or the PRO curve of an evaluation. */
import type { CurvePoints } from '../../core/metrics/evaluationReport';

const SIDE = 180;
const PAD = { left: 38, right: 10, top: 10, bottom: 34 };
const WIDTH = PAD.left + SIDE + PAD.right;
const HEIGHT = PAD.top + SIDE + PAD.bottom;
const TICKS = [0, 0.5, 1];

const x = (fpr: number) => PAD.left + fpr * SIDE;
const y = (value: number) => PAD.top + (1 - value) * SIDE;

export interface CurveChartProps {
  readonly title: string;
  /** What the chart says to a screen reader: the curve and its figure. */
  readonly description: string;
  readonly curve: CurvePoints;
  readonly yLabel: string;
  /** Where the figure stops counting the curve (PRO: FPR 0.3), marked with a line. */
  readonly fprLimit?: number;
  /** Draws the diagonal of a scorer that guesses (ROC). */
  readonly chance?: boolean;
}

export function CurveChart({ title, description, curve, yLabel, fprLimit, chance = false }: CurveChartProps) {
  const path = curve.fpr.map((fpr, i) => `${i === 0 ? 'M' : 'L'}${x(fpr).toFixed(1)},${y(curve.y[i]).toFixed(1)}`).join(' ');
  return (
    <figure className="chart curve-chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={description}>
        <title>{description}</title>
        <rect className="plot-area" x={PAD.left} y={PAD.top} width={SIDE} height={SIDE} />
        {chance && <line className="chance" x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} />}
        {fprLimit !== undefined && (
          <>
            <line className="fpr-limit" x1={x(fprLimit)} y1={y(0)} x2={x(fprLimit)} y2={y(1)} />
            <text className="tick" x={x(fprLimit) + 3} y={PAD.top + 10}>
              FPR {fprLimit}
            </text>
          </>
        )}
        <line className="axis" x1={x(0)} y1={y(0)} x2={x(1)} y2={y(0)} />
        <line className="axis" x1={x(0)} y1={y(0)} x2={x(0)} y2={y(1)} />
        {TICKS.map((t) => (
          <g key={t}>
            <text className="tick" x={x(t)} y={y(0) + 12} textAnchor="middle">
              {t}
            </text>
            <text className="tick" x={x(0) - 4} y={y(t) + 3} textAnchor="end">
              {t}
            </text>
          </g>
        ))}
        <text className="axis-label" x={x(0.5)} y={HEIGHT - 6} textAnchor="middle">
          False-positive rate (pixels)
        </text>
        <text className="axis-label" transform={`translate(10 ${y(0.5)}) rotate(-90)`} textAnchor="middle">
          {yLabel}
        </text>
        <path className="series series-0" d={path} />
      </svg>
    </figure>
  );
}
