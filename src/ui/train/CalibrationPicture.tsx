/**
 * The calibration picture: a class's projection space with the density of its normal pixels,
 * and the decision boundaries at ε = 1% and 5%, beyond which a pixel is flagged. With one
 * class the space has one axis (the similarity); with several, the classifier's logit is the
 * other.
 */
import { useMemo, useState } from 'react';
import type { Calibration } from '../../core/calibration/calibrate';
import { calibrationPlot, type CalibrationPlot } from './calibrationPlot';

const EPSILONS = [0.05, 0.01] as const;
const WIDTH = 420;
const HEIGHT = 240;
const PAD = { left: 48, right: 12, top: 12, bottom: 40 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;

export function CalibrationPicture({ calibration, classes }: { readonly calibration: Calibration; readonly classes: readonly string[] }) {
  const [classId, setClassId] = useState(0);
  const plot = useMemo(() => calibrationPlot(calibration, classId), [calibration, classId]);
  return (
    <figure className="calibration">
      <figcaption>
        Calibration{classes.length > 1 ? ` of “${classes[classId]}”` : ''}: where normal pixels fall, and the boundaries beyond which a pixel is flagged at ε = 5% and 1%.
      </figcaption>
      {classes.length > 1 && (
        <label>
          Class{' '}
          <select value={classId} onChange={(e) => setClassId(Number(e.currentTarget.value))}>
            {classes.map((name, i) => (
              <option key={i} value={i}>
                {name}
              </option>
            ))}
          </select>
        </label>
      )}
      {plot.axes.length === 1 ? <OneAxis plot={plot} /> : <TwoAxes plot={plot} />}
      <p className="legend">
        <span className="swatch density" /> density of normal pixels <span className="swatch eps5" /> flagged at ε = 5% <span className="swatch eps1" /> flagged at ε = 1%
      </p>
    </figure>
  );
}

/** Boundaries on a 1-D axis: the x values where s_in crosses ε. */
function crossings(rate: Float64Array, xs: Float64Array, epsilon: number): number[] {
  const out: number[] = [];
  for (let i = 1; i < xs.length; i++) if (rate[i - 1] <= epsilon !== rate[i] <= epsilon) out.push((xs[i - 1] + xs[i]) / 2);
  return out;
}

function Axes({ plot }: { readonly plot: CalibrationPlot }) {
  const [x, y] = plot.axes;
  return (
    <>
      <line className="axis" x1={PAD.left} y1={PAD.top + PLOT_H} x2={PAD.left + PLOT_W} y2={PAD.top + PLOT_H} />
      <line className="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={PAD.top + PLOT_H} />
      <text className="tick" x={PAD.left} y={PAD.top + PLOT_H + 14}>
        {x.from.toFixed(3)}
      </text>
      <text className="tick" x={PAD.left + PLOT_W} y={PAD.top + PLOT_H + 14} textAnchor="end">
        {x.to.toFixed(3)}
      </text>
      <text className="axis-label" x={PAD.left + PLOT_W / 2} y={HEIGHT - 4} textAnchor="middle">
        {x.label}
      </text>
      {y ? (
        <>
          <text className="tick" x={PAD.left - 4} y={PAD.top + 8} textAnchor="end">
            {y.to.toFixed(2)}
          </text>
          <text className="tick" x={PAD.left - 4} y={PAD.top + PLOT_H} textAnchor="end">
            {y.from.toFixed(2)}
          </text>
          <text className="axis-label" transform={`translate(12 ${PAD.top + PLOT_H / 2}) rotate(-90)`} textAnchor="middle">
            similarity
          </text>
        </>
      ) : (
        <text className="axis-label" transform={`translate(12 ${PAD.top + PLOT_H / 2}) rotate(-90)`} textAnchor="middle">
          density
        </text>
      )}
    </>
  );
}

function OneAxis({ plot }: { readonly plot: CalibrationPlot }) {
  const [axis] = plot.axes;
  const n = axis.values.length;
  const px = (i: number) => PAD.left + ((i + 0.5) / n) * PLOT_W;
  const py = (d: number) => PAD.top + (1 - d) * PLOT_H;
  const curve = Array.from(plot.density, (d, i) => `${px(i).toFixed(1)},${py(d).toFixed(1)}`).join(' ');
  const bands = (epsilon: number) => {
    const rects: { from: number; to: number }[] = [];
    for (let i = 0; i < n; i++) {
      if (plot.rate[i] > epsilon) continue;
      const last = rects.at(-1);
      if (last && last.to === i) last.to = i + 1;
      else rects.push({ from: i, to: i + 1 });
    }
    return rects;
  };
  const label = EPSILONS.map((e) => `at ε = ${e * 100}% pixels with similarity ${describe(crossings(plot.rate, axis.values, e))} are flagged`).join('; ');
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Density of normal pixels over the similarity; ${label}.`}>
      {EPSILONS.map((e) =>
        bands(e).map((band) => (
          <rect key={`${e}-${band.from}`} className={e === 0.05 ? 'band eps5' : 'band eps1'} x={px(band.from) - PLOT_W / n / 2} y={PAD.top} width={((band.to - band.from) / n) * PLOT_W} height={PLOT_H} />
        )),
      )}
      <polyline className="density-curve" points={`${PAD.left},${py(0)} ${curve} ${PAD.left + PLOT_W},${py(0)}`} />
      <Axes plot={plot} />
    </svg>
  );
}

function describe(points: number[]): string {
  if (points.length === 0) return 'nowhere in view';
  if (points.length === 1) return `beyond ${points[0].toFixed(3)}`;
  return `below ${points[0].toFixed(3)} or above ${points[points.length - 1].toFixed(3)}`;
}

function TwoAxes({ plot }: { readonly plot: CalibrationPlot }) {
  const [xAxis, yAxis] = plot.axes;
  const w = xAxis.values.length;
  const h = yAxis.values.length;
  const image = useMemo(() => raster(plot, w, h), [plot, w, h]);
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label="Density of normal pixels over classifier logit and similarity, with the regions flagged at ε = 5% and 1% outside their boundaries.">
      <image href={image} x={PAD.left} y={PAD.top} width={PLOT_W} height={PLOT_H} preserveAspectRatio="none" style={{ imageRendering: 'pixelated' }} />
      <Axes plot={plot} />
    </svg>
  );
}

/** Density as brightness, flagged regions tinted, boundaries drawn; y grows upwards. */
function raster(plot: CalibrationPlot, w: number, h: number): string {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const context = canvas.getContext('2d');
  if (!context) return '';
  const pixels = context.createImageData(w, h);
  for (let row = 0; row < h; row++) {
    for (let x = 0; x < w; x++) {
      const cell = row * w + x;
      const out = ((h - 1 - row) * w + x) * 4;
      const d = plot.density[cell];
      const rate = plot.rate[cell];
      // Blue for density; flagged cells tinted orange (5%) or red (1%).
      let [r, g, b] = [20 + 40 * d, 40 + 120 * d, 80 + 175 * d];
      if (rate <= 0.01) [r, g, b] = [0.5 * r + 110, 0.5 * g + 10, 0.5 * b + 10];
      else if (rate <= 0.05) [r, g, b] = [0.5 * r + 115, 0.5 * g + 70, 0.5 * b];
      const boundary = EPSILONS.some((e) => x > 0 && (plot.rate[cell - 1] <= e) !== (rate <= e)) || EPSILONS.some((e) => row > 0 && (plot.rate[cell - w] <= e) !== (rate <= e));
      if (boundary) [r, g, b] = [255, 255, 255];
      pixels.data.set([r, g, b, 255], out);
    }
  }
  context.putImageData(pixels, 0, 0);
  return canvas.toDataURL();
}
