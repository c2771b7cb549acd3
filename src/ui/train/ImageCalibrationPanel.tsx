/**
 * The image verdict's calibration on the model panel: the held-out good images' severities as an
 * ECDF with the threshold at the chosen α, what the threshold rests on, the QC counts on the test
 * images, and a warning in warning style when the model does not separate good from defective.
 */
import { imageThreshold, type ImageThreshold } from '../../core/calibration/imageThreshold';
import { calibrationWithin } from '../../core/roi/judgeWithin';
import { isWholeImage, WHOLE_IMAGE } from '../../core/roi/regionSpec';
import { operatingThreshold } from '../../core/calibration/operatingPoint';
import { qcCounts, type ScoredTestImage } from '../../core/metrics/qcCounts';
import type { ImageCalibration } from '../../engine/api';
import type { ModelRecord, ProjectRecord } from '../../storage/projectRecords';
import { setAlpha } from '../../app/inspection/inspectionWorkflow';
import { modelStanding, weakModelHelp } from '../../state/modelHealth';
import { ALPHA_PRESETS } from '../../state/settings';
import { RateSelect } from '../common/RateSelect';
import { percent } from '../format';
import { CapabilityPanel } from './CapabilityPanel';
import { TradeOffPanel } from './TradeOffPanel';

const WIDTH = 320;
const HEIGHT = 130;
const PAD = { left: 36, right: 10, top: 8, bottom: 24 };

export function ImageCalibrationPanel({ record, project }: { readonly record: ModelRecord; readonly project: ProjectRecord }) {
  const whole = record.model.imageCalibration;
  // The threshold the verdicts meet: within the model's regions of interest where it has some (and can judge within them).
  const calibration = whole && (calibrationWithin(record.model.regions ?? WHOLE_IMAGE, whole) ?? whole);
  const standing = modelStanding(record.model, record.evaluation, project);
  return (
    <section aria-labelledby="image-calibration-heading">
      <h3 id="image-calibration-heading">Pass / fail</h3>
      {standing.weakReasons.length > 0 && (
        <div className="weak-model" role="alert">
          <strong>This model does not separate good parts from defective ones well: its passes are marked unsure.</strong>
          {standing.weakReasons.map((reason) => (
            <p key={reason}>{reason}</p>
          ))}
          <p>{weakModelHelp(record.model)}</p>
        </div>
      )}
      {calibration ? (
        <>
          {!isWholeImage(record.model.regions) && <p className="muted">Within the regions of interest: the held-out good images are judged there too.</p>}
          <Calibrated calibration={calibration} record={record} project={project} />
          {record.evaluation?.testImages && <TradeOffPanel model={record.model} calibration={calibration} testImages={record.evaluation.testImages} project={project} />}
        </>
      ) : (
        <p className="warning">
          This model needs recalibration: it has no held-out good images to set a pass/fail threshold (it was trained before image verdicts, or from fewer than 2 good images).
          Retrain it with at least 2 good images per class to get verdicts.
        </p>
      )}
      {record.model.capability && standing.capability && standing.capabilityLine ? (
        <CapabilityPanel check={record.model.capability} summary={standing.capability} line={standing.capabilityLine} />
      ) : (
        calibration && <p className="muted">This model has no capability check (it was trained before the check existed, or its check was stopped): retrain it to learn which defects it catches.</p>
      )}
    </section>
  );
}

function Calibrated({ calibration, record, project }: { readonly calibration: ImageCalibration; readonly record: ModelRecord; readonly project: ProjectRecord }) {
  const { alpha, byCatch } = project;
  const threshold = imageThreshold(calibration.severities, alpha);
  const severity = operatingThreshold(calibration.severities, project);
  const testImages = record.evaluation?.testImages;
  const qc = testImages ? qcCounts(testImages, severity) : null;
  return (
    <>
      <label>
        Image false-reject rate α{' '}
        <RateSelect
          value={alpha}
          rates={ALPHA_PRESETS}
          onChoose={setAlpha}
          label="Image false-reject rate α"
          meaning={(rate) => alphaMeaning(rate, calibration, testImages)}
        />
      </label>
      <p>
        A part fails when its severity is at least <strong data-figure="image-threshold">{severity.toFixed(2)}</strong> nats.{' '}
        {byCatch ? `It was set to catch ${percent(byCatch.rate)} of the labelled defective test images (below, "Trade-off"); pick an α to set it from the good images again.` : basis(threshold, alpha)}
      </p>
      <p className="muted">
        The held-out images ({calibration.heldOut.map((names, c) => `${names.length} of ${record.model.classes[c]}`).join(', ')}) were scored by this model, which never saw them. The
        model is not retrained on them afterwards, so the threshold belongs to exactly the model that decides.
      </p>
      <SeverityEcdf severities={calibration.severities} threshold={severity} label={byCatch ? `threshold, catch ${percent(byCatch.rate)}` : `threshold, α = ${percent(alpha)}`} />
      {qc && (
        <p data-figure="qc-counts">
          On the test images at this threshold: {qc.goodRejected} of {qc.goodImages} good parts rejected ({percent(qc.goodRejectRate)}), {qc.defects.escaped} of {qc.defects.images}{' '}
          defective parts passed ({percent(qc.defects.escapeRate)} escapes)
          {Object.keys(qc.perDefect).length > 1 &&
            `: ${Object.entries(qc.perDefect)
              .map(([type, c]) => `${type} ${c.escaped} of ${c.images}`)
              .join(', ')}`}
          .
        </p>
      )}
    </>
  );
}

/**
 * A rate in the α menu, in plain words: the promise, whether the held-out images can bear it out
 * (rule of three), and after an evaluation the share of good test parts it rejected.
 */
function alphaMeaning(rate: number, calibration: ImageCalibration, testImages: readonly ScoredTestImage[] | undefined): string {
  const n = calibration.severities.length;
  const promise = `about 1 good part in ${Math.round(1 / rate).toLocaleString()} rejected`;
  const vouched = rate >= Math.min(1, 3 / n) ? `, as ${n} held-out images can confirm` : `; ${n} held-out images confirm only rates from ${percent(Math.min(1, 3 / n))}`;
  if (!testImages) return ` (${promise}${vouched})`;
  const qc = qcCounts(testImages, imageThreshold(calibration.severities, rate).severity);
  return qc.goodImages > 0 ? ` (${promise}${vouched}; measured on the test set: ${percent(qc.goodRejectRate)})` : ` (${promise}${vouched})`;
}

/** What the threshold rests on, and the uncertainty when the held-out images are few for α. */
function basis({ method, heldOut, confirmableRate }: ImageThreshold, alpha: number): string {
  const source =
    method === 'empirical'
      ? `It is the ${percent(1 - alpha)} quantile of the severities of n = ${heldOut} held-out good images.`
      : `It is extrapolated by an extreme-value (Gumbel) fit to the severities of n = ${heldOut} held-out good images (fewer than 1/α), never below the largest of them.`;
  return alpha >= confirmableRate ? source : `${source} A rate below 3/n ≈ ${percent(confirmableRate)} cannot be confirmed by them.`;
}

/** The held-out severities' empirical distribution function, the threshold as a vertical line. */
/** `label` names the threshold line: by its α, or by the catch rate it was set to. */
function SeverityEcdf({ severities, threshold, label: thresholdLabel }: { readonly severities: readonly number[]; readonly threshold: number; readonly label: string }) {
  const lo = Math.min(severities[0], threshold);
  const hi = Math.max(severities[severities.length - 1], threshold);
  const x = (s: number) => PAD.left + ((s - lo) / (hi - lo || 1)) * (WIDTH - PAD.left - PAD.right);
  const y = (p: number) => PAD.top + (1 - p) * (HEIGHT - PAD.top - PAD.bottom);
  const n = severities.length;
  const steps = severities.flatMap((s, i) => [`${x(s).toFixed(1)},${y(i / n).toFixed(1)}`, `${x(s).toFixed(1)},${y((i + 1) / n).toFixed(1)}`]);
  const label = `Held-out good images' severities from ${severities[0].toFixed(2)} to ${severities[n - 1].toFixed(2)} nats; ${thresholdLabel}: ${threshold.toFixed(2)}.`;
  return (
    <figure className="chart">
      <figcaption>Held-out good images: share with severity ≤ x</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
        <line className="axis" x1={PAD.left} y1={HEIGHT - PAD.bottom} x2={WIDTH - PAD.right} y2={HEIGHT - PAD.bottom} />
        <line className="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={HEIGHT - PAD.bottom} />
        <text className="tick" x={PAD.left - 4} y={PAD.top + 8} textAnchor="end">
          1
        </text>
        <text className="tick" x={PAD.left - 4} y={HEIGHT - PAD.bottom} textAnchor="end">
          0
        </text>
        <text className="tick" x={PAD.left} y={HEIGHT - 8} textAnchor="start">
          {lo.toFixed(1)}
        </text>
        <text className="tick" x={WIDTH - PAD.right} y={HEIGHT - 8} textAnchor="end">
          {hi.toFixed(1)} nats
        </text>
        <polyline className="series series-0" points={steps.join(' ')} />
        <line className="series series-2" x1={x(threshold)} y1={PAD.top} x2={x(threshold)} y2={HEIGHT - PAD.bottom} strokeDasharray="4 3" />
        <text className="tick" x={x(threshold) - 3} y={PAD.top + 10} textAnchor="end">
          {thresholdLabel}
        </text>
      </svg>
    </figure>
  );
}
