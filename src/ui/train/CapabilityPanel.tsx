/**
 * What the model catches, from its capability check: the probability-of-detection curve of each
 * kind of synthetic defect against its size at the project's α and ε, the smallest size caught
 * 90% of the time (a90), and the share of mid-size defects that would pass.
 */
import { kindWords, type CapabilityCheck, type CapabilitySummary } from '../../core/capability/capability';
import { percent } from '../format';

const WIDTH = 360;
const HEIGHT = 170;
const PAD = { left: 34, right: 10, top: 10, bottom: 30 };

export function CapabilityPanel({ check, summary, line }: { readonly check: CapabilityCheck; readonly summary: CapabilitySummary; readonly line: string }) {
  return (
    <section aria-labelledby="capability-heading" data-testid="capability">
      <h3 id="capability-heading">What it catches</h3>
      <p data-figure="capability-line">{line}</p>
      <p className="muted">
        Synthetic defects of each kind and size were planted into the {check.images} held-out good images ({check.trials} per kind and size, at {'\u2248'}3× the local texture&apos;s
        contrast) and scored by this model: a defect counts as caught when its image fails and a region outlined on the heatmap touches it. Real defects that are smaller,
        fainter or of another kind may pass. The check took {Math.round(check.seconds)} s.
      </p>
      <PodChart check={check} summary={summary} />
      <table className="capability">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Caught from (a90)</th>
            <th scope="col">
              Mid sizes ({summary.midSizes[0]}–{summary.midSizes[summary.midSizes.length - 1]} px) passed
            </th>
          </tr>
        </thead>
        <tbody>
          {summary.kinds.map((k) => (
            <tr key={k.kind} data-kind={k.kind}>
              <td>{kindWords(k.kind)}</td>
              <td className="number">{k.a90 === null ? `not by ${check.sizes[check.sizes.length - 1]} px` : `${k.a90} px`}</td>
              <td className="number">{percent(k.midEscape)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Detection rate against plant size (log scale), one line per kind. */
function PodChart({ check, summary }: { readonly check: CapabilityCheck; readonly summary: CapabilitySummary }) {
  const { sizes } = check;
  const lo = Math.log2(sizes[0]);
  const hi = Math.log2(sizes[sizes.length - 1]);
  const x = (size: number) => PAD.left + ((Math.log2(size) - lo) / (hi - lo || 1)) * (WIDTH - PAD.left - PAD.right);
  const y = (rate: number) => PAD.top + (1 - rate) * (HEIGHT - PAD.top - PAD.bottom);
  const label = `Share of synthetic defects caught against their size, ${sizes[0]} to ${sizes[sizes.length - 1]} px: ${summary.kinds
    .map((k) => `${kindWords(k.kind)} ${k.detected.map((d) => percent(d)).join(', ')}`)
    .join('; ')}.`;
  return (
    <figure className="chart">
      <figcaption>Share caught against size (px at the model&apos;s {check.longestSide}-px input)</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
        <line className="axis" x1={PAD.left} y1={HEIGHT - PAD.bottom} x2={WIDTH - PAD.right} y2={HEIGHT - PAD.bottom} />
        <line className="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={HEIGHT - PAD.bottom} />
        <line className="axis" x1={PAD.left} y1={y(0.9)} x2={WIDTH - PAD.right} y2={y(0.9)} strokeDasharray="2 3" />
        <text className="tick" x={PAD.left - 4} y={y(1) + 4} textAnchor="end">
          100%
        </text>
        <text className="tick" x={PAD.left - 4} y={y(0.9) + 4} textAnchor="end">
          90%
        </text>
        <text className="tick" x={PAD.left - 4} y={y(0) + 4} textAnchor="end">
          0
        </text>
        {sizes.map((size) => (
          <text key={size} className="tick" x={x(size)} y={HEIGHT - PAD.bottom + 12} textAnchor="middle">
            {size}
          </text>
        ))}
        {summary.kinds.map((k, i) => (
          <polyline key={k.kind} className={`series series-${i}`} points={k.detected.map((d, s) => `${x(sizes[s]).toFixed(1)},${y(d).toFixed(1)}`).join(' ')} />
        ))}
      </svg>
      <ul className="legend-list">
        {summary.kinds.map((k, i) => (
          <li key={k.kind}>
            <svg width="18" height="8" aria-hidden="true">
              <line className={`series series-${i}`} x1="0" y1="4" x2="18" y2="4" />
            </svg>{' '}
            {kindWords(k.kind)}
          </li>
        ))}
      </ul>
    </figure>
  );
}
