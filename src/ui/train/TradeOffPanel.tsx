/**
 * The operating point, chosen with evidence: on the labelled test set, the share of defective
 * parts caught against the share of good parts rejected as the threshold moves, the current
 * threshold marked, and what the capability check says it catches there. The person may set the
 * threshold by "catch X% of these defects", seeing both rates before choosing.
 */
import { useId, useState } from 'react';
import { capabilityAt } from '../../core/capability/capability';
import { ALPHA_RANGE, alphaForThreshold, operatingThreshold, thresholdToCatch } from '../../core/calibration/operatingPoint';
import { GOOD_TYPE } from '../../core/metrics/evaluation';
import { qcCounts, type ScoredTestImage } from '../../core/metrics/qcCounts';
import type { ImageCalibration, PixoodModel } from '../../engine/api';
import type { ProjectRecord } from '../../storage/projectRecords';
import { setCatchRate } from '../../app/inspection/inspectionWorkflow';
import { percent } from '../format';

const SIZE = 220;

/** An α found for a threshold, where the held-out images stop speaking said so. */
function alphaWords(alpha: number): string {
  return alpha <= ALPHA_RANGE[0] ? `below ${percent(ALPHA_RANGE[0])} (beyond every held-out good image)` : percent(alpha);
}
const PAD = { left: 36, right: 8, top: 8, bottom: 30 };

interface Point {
  readonly goodRejected: number;
  readonly caught: number;
  /** Share of the capability check's plants caught at this threshold; null without a check. */
  readonly plantsCaught: number | null;
}

export function TradeOffPanel({ model, calibration, testImages, project }: { readonly model: PixoodModel; readonly calibration: ImageCalibration; readonly testImages: readonly ScoredTestImage[]; readonly project: ProjectRecord }) {
  const inputId = useId();
  const [target, setTarget] = useState(Math.round(100 * (project.byCatch?.rate ?? 0.9)));
  const defects = testImages.filter((image) => image.defectType !== GOOD_TYPE).map((image) => image.severity);
  if (defects.length === 0 || defects.length === testImages.length) return null;
  const pointAt = (threshold: number): Point => {
    const qc = qcCounts(testImages, threshold);
    const check = model.capability;
    return { goodRejected: qc.goodRejectRate, caught: 1 - qc.defects.escapeRate, plantsCaught: check ? 1 - capabilityAt(check, threshold, project.epsilon).escape : null };
  };
  const current = pointAt(operatingThreshold(calibration.severities, project));
  const rate = Math.min(100, Math.max(1, target)) / 100;
  const candidateThreshold = thresholdToCatch(defects, rate);
  const candidate = pointAt(candidateThreshold);
  const candidateAlpha = alphaForThreshold(calibration.severities, candidateThreshold);
  const curve = [...new Set(testImages.map((image) => image.severity))].sort((a, b) => b - a).map(pointAt);
  const x = (share: number) => PAD.left + share * (SIZE - PAD.left - PAD.right);
  const y = (share: number) => PAD.top + (1 - share) * (SIZE - PAD.top - PAD.bottom);
  const line = [`${x(0)},${y(0)}`, ...curve.map((p) => `${x(p.goodRejected).toFixed(1)},${y(p.caught).toFixed(1)}`), `${x(1)},${y(1)}`].join(' ');
  const words = (p: Point) =>
    `rejects ${percent(p.goodRejected)} of the good test parts and catches ${percent(p.caught)} of the defective ones${p.plantsCaught === null ? '' : ` (synthetic defects of the capability check: ${percent(p.plantsCaught)} caught)`}`;

  return (
    <section aria-labelledby="trade-off-heading" data-testid="trade-off">
      <h3 id="trade-off-heading">Trade-off on the test set</h3>
      <figure className="chart">
        <figcaption>Defective parts caught against good parts rejected, as the threshold moves</figcaption>
        <svg viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-label={`Trade-off curve; the current threshold ${words(current)}.`} style={{ maxWidth: SIZE }}>
          <line className="axis" x1={PAD.left} y1={y(0)} x2={x(1)} y2={y(0)} />
          <line className="axis" x1={PAD.left} y1={y(0)} x2={PAD.left} y2={y(1)} />
          <text className="tick" x={PAD.left - 4} y={y(1) + 8} textAnchor="end">
            100%
          </text>
          <text className="tick" x={PAD.left - 4} y={y(0)} textAnchor="end">
            0
          </text>
          <text className="tick" x={x(1)} y={SIZE - 16} textAnchor="end">
            good rejected 100%
          </text>
          <text className="axis-label" x={PAD.left + 4} y={y(1) + 10}>
            caught
          </text>
          <polyline className="series series-0" points={line} />
          <circle className="marker" cx={x(current.goodRejected)} cy={y(current.caught)} r={4} />
          <circle className="marker candidate" cx={x(candidate.goodRejected)} cy={y(candidate.caught)} r={4} />
        </svg>
      </figure>
      <p data-figure="operating-point">
        Now ({project.byCatch ? `set to catch ${percent(project.byCatch.rate)}; nearest α ${alphaWords(project.alpha)}` : `α = ${percent(project.alpha)}`}): the threshold {words(current)}.
      </p>
      <div className="catch-choice">
        <label htmlFor={inputId}>Catch</label>{' '}
        <input id={inputId} type="number" min={1} max={100} step={1} value={target} onChange={(e) => setTarget(Number(e.currentTarget.value))} style={{ width: '4.5em' }} /> % of these
        defective parts:{' '}
        <span data-figure="catch-preview">
          nearest α {alphaWords(candidateAlpha)}; it {words(candidate)}.
        </span>{' '}
        <button type="button" onClick={() => void setCatchRate(rate)}>
          Use this threshold
        </button>
      </div>
      <p className="muted">
        A threshold chosen on these test images fits them: expect other parts to do somewhat worse. The held-out good images still say what α means for good parts.
      </p>
    </section>
  );
}
