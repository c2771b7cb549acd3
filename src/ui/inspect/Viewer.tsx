/**
 * One inspected image: the heatmap over it (its opacity adjustable), the regions flagged at ε
 * outlined, zoom, and a probe that reads the score, class and etalon distance under the
 * pointer, or under a cursor moved with the arrow keys.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ModelRecord, ResultRecord } from '../../storage/projectRecords';
import { setAlpha, setEpsilon, setMinDefectArea } from '../../app/inspection/inspectionWorkflow';
import { setOpacity, setZoom, useInspection } from '../../state/inspectionStore';
import { heatmapRgba } from '../../core/results/colormap';
import { regionOutline, rejectedShare } from '../../core/results/regions';
import { mapsWithin } from '../../core/roi/judgeWithin';
import { WHOLE_IMAGE } from '../../core/roi/regionSpec';
import { ALPHA_PRESETS, EPSILON_PRESETS } from '../../state/settings';
import { useObjectUrl } from '../common/useObjectUrl';
import { percent, score } from '../format';
import { RateSelect } from '../common/RateSelect';
import { Legend } from './Legend';

interface Probe {
  readonly x: number;
  readonly y: number;
}

export function Viewer({ model, epsilon, alpha, minDefectArea }: { readonly model: ModelRecord; readonly epsilon: number; readonly alpha: number; readonly minDefectArea: number }) {
  const results = useInspection((s) => s.results);
  const selectedId = useInspection((s) => s.selectedId);
  const opacity = useInspection((s) => s.opacity);
  const zoom = useInspection((s) => s.zoom);
  const result = results.find((r) => r.id === selectedId) ?? null;

  return (
    <section className="panel viewer-panel" aria-labelledby="viewer-heading">
      <h2 id="viewer-heading">{result ? result.name : 'No image inspected yet'}</h2>
      <div className="viewer-controls">
        <span className="control-group-label">Verdict:</span>
        <label title="The share of good parts you accept to see failed: the verdict's threshold.">
          good parts rejected α{' '}
          <RateSelect value={alpha} rates={ALPHA_PRESETS} onChoose={setAlpha} label="Image false-reject rate α" />
        </label>
        <label title="A severe image passes when its largest region at ε is smaller than this (0: no minimum).">
          Min. defect area{' '}
          <input
            type="number"
            min={0}
            step={10}
            defaultValue={minDefectArea}
            aria-label="Minimum defect area, pixels"
            onBlur={(e) => void setMinDefectArea(Number(e.currentTarget.value))}
            style={{ width: '6em' }}
          />{' '}
          px
        </label>
        <span className="control-group-label">Heatmap:</span>
        <label title="Which pixels the cyan outlines enclose: those that fewer than ε of normal pixels reach. A larger ε outlines more; it changes a verdict only through the minimum defect area.">
          outline sensitivity ε{' '}
          <RateSelect value={epsilon} rates={EPSILON_PRESETS} onChoose={setEpsilon} label="Outline sensitivity ε (pixel false-alarm rate)" />
        </label>
        <label>
          Heatmap opacity <input type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setOpacity(Number(e.currentTarget.value))} />
        </label>
        <span className="zoom" role="group" aria-label="Zoom">
          <button type="button" onClick={() => setZoom(zoom / 1.5)} disabled={zoom <= 1} aria-label="Zoom out">
            −
          </button>
          <span aria-live="polite">{Math.round(zoom * 100)}%</span>
          <button type="button" onClick={() => setZoom(zoom * 1.5)} disabled={zoom >= 8} aria-label="Zoom in">
            +
          </button>
          <button type="button" onClick={() => setZoom(1)} disabled={zoom === 1}>
            Fit
          </button>
        </span>
      </div>
      {result ? <Stage key={result.id} result={result} model={model} epsilon={epsilon} opacity={opacity} zoom={zoom} /> : <p className="muted">Drop images above, or inspect the test images.</p>}
      <Legend />
    </section>
  );
}

function Stage({ result, model, epsilon, opacity, zoom }: { readonly result: ResultRecord; readonly model: ModelRecord; readonly epsilon: number; readonly opacity: number; readonly zoom: number }) {
  const preview = useObjectUrl(result.preview);
  const heat = useRef<HTMLCanvasElement>(null);
  const outline = useRef<HTMLCanvasElement>(null);
  const [probe, setProbe] = useState<Probe | null>(null);
  const regions = model.model.regions ?? WHOLE_IMAGE;
  // Outside the regions of interest nothing is coloured or outlined as anomalous.
  const maps = useMemo(() => mapsWithin(regions, result.maps, result), [regions, result]);

  useEffect(() => {
    const context = heat.current?.getContext('2d');
    if (context) context.putImageData(new ImageData(heatmapRgba(maps.score, true), maps.width, maps.height), 0, 0);
  }, [maps]);

  useEffect(() => {
    const context = outline.current?.getContext('2d');
    if (!context) return;
    const edges = regionOutline(maps.score, maps.width, maps.height, epsilon);
    const pixels = new ImageData(maps.width, maps.height);
    for (let i = 0; i < edges.length; i++) if (edges[i]) pixels.data.set([0, 255, 255, 255], 4 * i);
    context.putImageData(pixels, 0, 0);
  }, [maps, epsilon]);

  const share = rejectedShare(maps.score, epsilon);
  const at = probe ? probe.y * maps.width + probe.x : -1;

  const move = (dx: number, dy: number) => {
    const from = probe ?? { x: Math.floor(maps.width / 2), y: Math.floor(maps.height / 2) };
    setProbe({ x: Math.min(maps.width - 1, Math.max(0, from.x + dx)), y: Math.min(maps.height - 1, Math.max(0, from.y + dy)) });
  };

  return (
    <>
      <p className={`verdict ${result.verdict}${result.unsure ? ' unsure' : ''}`} data-testid="verdict">
        {result.reason} {percent(share)} of the image outlined at ε = {percent(epsilon)}.
        {result.details && <span className="muted verdict-details"> Details: {result.details}.</span>}
      </p>
      <div className="viewer">
        <div
          className="stage"
          // At zoom 1 the whole image fits the viewer, whose height follows the window (--viewer-height in app.css).
          style={{ width: `min(${zoom * 100}%, calc(${zoom} * var(--viewer-height) * ${result.imageWidth / result.imageHeight}))`, aspectRatio: `${result.imageWidth} / ${result.imageHeight}` }}
          tabIndex={0}
          role="group"
          aria-label={`Heatmap of ${result.name}. Move the probe with the arrow keys.`}
          aria-describedby="probe-readout"
          onMouseMove={(event) => {
            const box = event.currentTarget.getBoundingClientRect();
            const x = Math.floor(((event.clientX - box.left) / box.width) * maps.width);
            const y = Math.floor(((event.clientY - box.top) / box.height) * maps.height);
            if (x >= 0 && y >= 0 && x < maps.width && y < maps.height) setProbe({ x, y });
          }}
          onMouseLeave={() => setProbe(null)}
          onKeyDown={(event) => {
            const step = event.shiftKey ? 8 : 1;
            const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
            const delta = moves[event.key];
            if (!delta) return;
            event.preventDefault();
            move(...delta);
          }}
        >
          {preview && <img src={preview} alt="" draggable={false} />}
          <canvas ref={heat} width={maps.width} height={maps.height} style={{ opacity }} className="heat" />
          <canvas ref={outline} width={maps.width} height={maps.height} className="outline" />
          {probe && <span className="probe" style={{ left: `${((probe.x + 0.5) / maps.width) * 100}%`, top: `${((probe.y + 0.5) / maps.height) * 100}%` }} />}
        </div>
      </div>
      <p id="probe-readout" className="readout" aria-live="polite">
        {probe
          ? `Pixel (${Math.floor(((probe.x + 0.5) / maps.width) * result.imageWidth)}, ${Math.floor(((probe.y + 0.5) / maps.height) * result.imageHeight)}): score ${score(maps.score[at])} · class ${model.model.classes[maps.predicted[at]] ?? maps.predicted[at]} · distance to the nearest etalon ${maps.distance[at].toFixed(2)}`
          : 'Point at the image (or focus it and use the arrow keys) to read a pixel’s score, class and distance.'}
      </p>
    </>
  );
}
